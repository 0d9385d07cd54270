/**
 * The frame every lab's view sits in: status line, alerts, notices about saved work, the lab's own sections (in an
 * error boundary), the acceptance criteria, the report, Reset, and the job bar while a job runs.
 */
import type { ReactNode } from 'react';
import { CriteriaList } from './CriteriaList.tsx';
import { LabErrorBoundary } from './ErrorBoundary.tsx';
import { JobBar } from './JobBar.tsx';
import { ReportPanel } from './ReportPanel.tsx';
import { SessionNotices } from './SessionNotices.tsx';
import type { LabShellApi } from './useLabShell.ts';
import './lab.css';

interface Props<S> {
  shell: LabShellApi<S>;
  /** What the lab runs on, for the status line (backend, runtime). */
  status?: ReactNode;
  children: ReactNode;
}

export function LabShell<S>({ shell, status, children }: Props<S>) {
  const confirmReset = () => {
    if (window.confirm('Reset this lab? Your work, results and notes for this lab are deleted.')) void shell.reset();
  };
  return (
    <div className="lab-shell not-content" data-lab={shell.lab.id}>
      <p className="lab-status" role="status" aria-live="polite" data-testid="lab-status">
        {status} {shell.notice}
      </p>
      {shell.alert && (
        <p className="lab-alert" role="alert" data-testid="lab-alert">
          {shell.alert}
        </p>
      )}
      <SessionNotices session={shell.session} />
      <LabErrorBoundary onReset={() => void shell.reset()}>{children}</LabErrorBoundary>
      <CriteriaList evaluations={shell.session.evaluations} />
      <ReportPanel shell={shell} />
      <p className="lab-row">
        <button type="button" className="lab-danger" onClick={confirmReset}>
          Reset lab…
        </button>
      </p>
      {shell.job && <JobBar job={shell.job} onCancel={shell.cancel} />}
    </div>
  );
}
