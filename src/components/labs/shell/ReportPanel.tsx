/**
 * The student's name and notes (kept with the lab), and the report downloads: one Markdown file, or the bundle
 * (report.md with chart files, and the evidence a lecturer's verify page re-checks).
 */
import { useEffect, useState } from 'react';
import { buildBundle, singleFileReport, type BundleInput } from '../../../labkit/lab/evidence.ts';
import { downloadFile, mime } from '../../../labkit/report/download.ts';
import { reportFileName } from '../../../labkit/report/report.ts';
import type { LabShellApi } from './useLabShell.ts';

export function ReportPanel<S>({ shell }: { shell: LabShellApi<S> }) {
  const { session } = shell;
  const [name, setName] = useState(session.meta.student.name);
  const [notes, setNotes] = useState(session.meta.student.notes);
  const [building, setBuilding] = useState(false);

  // Another tab, an import or a reset changed the fields: show them.
  useEffect(() => {
    setName(session.meta.student.name);
    setNotes(session.meta.student.notes);
  }, [session.meta.student.name, session.meta.student.notes]);

  // Save the fields a moment after typing stops.
  useEffect(() => {
    if (name === session.meta.student.name && notes === session.meta.student.notes) return;
    const timer = setTimeout(() => session.updateMeta((m) => ({ ...m, student: { name, notes } })), 400);
    return () => clearTimeout(timer);
  }, [name, notes, session]);

  const input = (): BundleInput<S> => ({
    definition: shell.definition,
    state: session.state,
    meta: { ...session.meta, student: { name, notes } },
    criteria: shell.lab.criteria,
    title: shell.lab.title,
    url: typeof location === 'undefined' ? undefined : `${location.origin}${location.pathname}`,
    environment: shell.environment(),
  });

  const downloadMarkdown = () => downloadFile(reportFileName(shell.lab.id, 'md'), singleFileReport(input()), mime.markdown);
  const downloadBundle = async () => {
    setBuilding(true);
    try {
      const { zip } = await buildBundle(input());
      downloadFile(reportFileName(shell.lab.id, 'zip'), zip, mime.zip);
    } catch (error) {
      shell.warn(`The report bundle could not be made: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setBuilding(false);
    }
  };

  return (
    <section className="lab-report" aria-labelledby="lab-report-title">
      <h2 id="lab-report-title">Your report</h2>
      <div className="lab-fields">
        <label>
          Your name or student number
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} autoComplete="name" />
        </label>
        <label>
          Your notes: what you observed and what you conclude (Markdown)
          <textarea value={notes} onChange={(e) => setNotes(e.target.value)} rows={5} maxLength={20000} />
        </label>
      </div>
      <div className="lab-row">
        <button type="button" className="lab-primary" onClick={downloadBundle} disabled={building}>
          {building ? 'Making the bundle…' : 'Download report bundle (.zip)'}
        </button>
        <button type="button" onClick={downloadMarkdown}>
          Download report (.md)
        </button>
      </div>
      <p className="lab-muted">
        The bundle holds <code>report.md</code> with its charts as files (it renders on GitHub) and the evidence your
        lecturer&rsquo;s <a href={`${import.meta.env.BASE_URL.replace(/\/?$/, '/')}labs/verify/`}>verify page</a> re-checks.
        The single Markdown file embeds the charts for previewers that show them.
      </p>
    </section>
  );
}
