/**
 * The report bundle a student hands in, and what a lecturer can re-derive from it.
 *
 *   lab-report-<lab>/report.md       the report, charts linked as files (GitHub renders it)
 *   lab-report-<lab>/charts/*.svg
 *   lab-report-<lab>/evidence.json   the lab state, the student's fields, the environment, the measured values and
 *                                    the SHA-256 of every evidence file
 *   lab-report-<lab>/evidence/…      what the lab exports as evidence (models, the student's code, run records)
 *
 * `report.md` is a pure function of `evidence.json` and the lab's definition, so `verifyBundle` can regenerate it and
 * spot a number edited by hand; the measured values are recomputed from the state; the evidence files are checked
 * against their hashes; and the lab's own verifier (`labs/<lab>/verify.ts`) re-derives what it can from the
 * evidence itself (re-scoring exported models, re-running the student's code). Each claim ends up confirmed,
 * contradicted or not checkable (timings, for instance, cannot be re-measured on another machine).
 */
import { strFromU8, strToU8, unzipSync } from 'fflate';
import type { Criterion } from '../report/criteria.ts';
import { evaluateCriteria, formatEstimate } from '../report/criteria.ts';
import { labReportFiles, labReportMarkdown, type Cell, type LabReportInput } from '../report/report.ts';
import { zipFiles } from '../report/zip.ts';
import { StateError, type EvidenceFile, type LabDefinition, type Measured } from './define.ts';
import type { LabMeta } from './session.ts';
import type { ExerciseRun, ExerciseSpec } from './exercise.ts';

export const EVIDENCE_FORMAT = 'mlops-course-lab-evidence';
export const EVIDENCE_VERSION = 1;

export interface Evidence {
  format: typeof EVIDENCE_FORMAT;
  version: typeof EVIDENCE_VERSION;
  generatedAt: string;
  lab: { id: string; title: string; url?: string; stateVersion: number };
  /** The acceptance criteria as the course stated them when the report was made. */
  criteria: Criterion[];
  student: LabMeta['student'];
  shown: LabMeta['shown'];
  /** The coding exercises: the student's code and last run. */
  code: LabMeta['code'];
  restoredAt?: string;
  environment: Record<string, Cell>;
  measured: Measured;
  state: unknown;
  /** Evidence file path (under `evidence/`) → SHA-256, hex. */
  files: Record<string, string>;
}

export interface Bundle {
  evidence: Evidence;
  reportMarkdown: string;
  /** Evidence files by path (without the `evidence/` prefix). */
  files: Record<string, Uint8Array>;
}

export type ClaimStatus = 'confirmed' | 'contradicted' | 'not-checkable';
export interface Claim {
  claim: string;
  status: ClaimStatus;
  detail?: string;
}

/** A lab's own verifier: re-derives what it can from the state and the evidence files. */
export type LabVerifier<S> = (state: S, files: Record<string, Uint8Array>, evidence: Evidence) => Promise<Claim[]>;

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as BufferSource);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const bytesOf = (content: string | Uint8Array) => (typeof content === 'string' ? strToU8(content) : content);

/** The report input for a state: the same function makes the report at download time and when it is verified. */
export function reportInput<S>(definition: LabDefinition<S>, state: S, evidence: Omit<Evidence, 'state' | 'files' | 'format' | 'version'>): LabReportInput {
  const parts = definition.report?.(state) ?? {};
  const units = Object.fromEntries(Object.entries(definition.quantities).flatMap(([k, q]) => (q.unit ? [[k, q.unit]] : [])));
  return {
    lab: { id: evidence.lab.id, title: evidence.lab.title, url: evidence.lab.url },
    student: evidence.student,
    environment: { ...evidence.environment, ...(parts.environment ?? {}) },
    criteria: evaluateCriteria(evidence.criteria, evidence.measured),
    measured: evidence.measured,
    units,
    tables: parts.tables,
    charts: parts.charts,
    notes: parts.notes,
    changes: [codeSection(evidence.code ?? {}), parts.changes].filter(Boolean).join('\n\n'),
    shown: evidence.shown,
    restoredAt: evidence.restoredAt,
    generatedAt: new Date(evidence.generatedAt),
  };
}

/** The student's code for each coding exercise, with the result of its last test run. */
function codeSection(code: Evidence['code']): string {
  return Object.entries(code)
    .map(([id, r]) => {
      const run = r.last;
      const summary = !run
        ? 'not run yet'
        : run.error
          ? `did not run: ${run.error}`
          : `${run.cases.filter((c) => c.passed).length} of ${run.cases.length} test cases passed${r.use ? '; the lab used this function' : ''}`;
      const failed = run && !run.error ? run.cases.filter((c) => !c.passed).map((c) => `- ${c.name}: ${c.message ?? 'failed'}`) : [];
      return [`### Exercise \`${id}\` (${summary})`, '', '```js', r.source.replace(/```/g, '``\u200b`'), '```', ...(failed.length ? ['', ...failed] : [])].join('\n');
    })
    .join('\n\n');
}

export interface BundleInput<S> {
  definition: LabDefinition<S>;
  state: S;
  meta: LabMeta;
  criteria: Criterion[];
  title: string;
  url?: string;
  environment: Record<string, Cell>;
  now?: Date;
}

function makeEvidence<S>(input: BundleInput<S>, files: Record<string, string>): Evidence {
  const { definition, state, meta } = input;
  return {
    format: EVIDENCE_FORMAT,
    version: EVIDENCE_VERSION,
    generatedAt: (input.now ?? new Date()).toISOString(),
    lab: { id: definition.id, title: input.title, ...(input.url ? { url: input.url } : {}), stateVersion: definition.version },
    criteria: input.criteria,
    student: meta.student,
    shown: meta.shown,
    code: meta.code,
    ...(meta.restoredAt ? { restoredAt: meta.restoredAt } : {}),
    environment: input.environment,
    measured: definition.measure(state),
    state: JSON.parse(JSON.stringify(state)),
    files,
  };
}

/** Builds the bundle: the zip to download, and its parts. */
export async function buildBundle<S>(input: BundleInput<S>): Promise<{ zip: Uint8Array; evidence: Evidence; reportMarkdown: string }> {
  const evidenceFiles: EvidenceFile[] = (await input.definition.evidence?.(input.state)) ?? [];
  const hashes: Record<string, string> = {};
  for (const f of evidenceFiles) hashes[f.path] = await sha256Hex(bytesOf(f.content));
  const evidence = makeEvidence(input, hashes);
  const { files } = labReportFiles(reportInput(input.definition, input.state, evidence));
  const all: Record<string, string | Uint8Array> = { ...files, 'evidence.json': `${JSON.stringify(evidence, null, 2)}\n` };
  for (const f of evidenceFiles) all[`evidence/${f.path}`] = f.content;
  return { zip: zipFiles(all, `lab-report-${input.definition.id}/`), evidence, reportMarkdown: files['report.md']! };
}

/** The same report as one Markdown file, charts embedded (for previewers; GitHub and verification want the bundle). */
export function singleFileReport<S>(input: BundleInput<S>): string {
  return labReportMarkdown(reportInput(input.definition, input.state, makeEvidence(input, {})));
}

/** Reads a bundle zip; throws an Error with a message for the lecturer when it is not one. */
export function readBundle(zip: Uint8Array): Bundle {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip);
  } catch {
    throw new Error('This is not a zip file. Upload the report bundle (lab-report-….zip) the lab downloaded.');
  }
  const names = Object.keys(entries);
  const evidenceName = names.find((n) => /(^|\/)evidence\.json$/.test(n) && !n.includes('evidence/'));
  if (!evidenceName) throw new Error('The zip holds no evidence.json, so it is not a lab report bundle from this course (a report downloaded as Markdown alone cannot be verified).');
  const root = evidenceName.slice(0, -'evidence.json'.length);
  let evidence: Evidence;
  try {
    evidence = JSON.parse(strFromU8(entries[evidenceName]!)) as Evidence;
  } catch {
    throw new Error('evidence.json is not valid JSON: the bundle was changed or cut short.');
  }
  if (evidence?.format !== EVIDENCE_FORMAT) throw new Error('evidence.json is not a lab evidence file of this course.');
  if (evidence.version !== EVIDENCE_VERSION) throw new Error(`evidence.json has format version ${String(evidence.version)}; this page reads version ${EVIDENCE_VERSION}.`);
  const report = entries[`${root}report.md`];
  const files: Record<string, Uint8Array> = {};
  for (const name of names) if (name.startsWith(`${root}evidence/`) && !name.endsWith('/')) files[name.slice(`${root}evidence/`.length)] = entries[name]!;
  return { evidence, reportMarkdown: report ? strFromU8(report) : '', files };
}

const close = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined ? a === b : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
const sameEstimate = (a: Measured[string] | undefined, b: Measured[string] | undefined) =>
  !!a && !!b && close(a.value, b.value) && close(a.lower, b.lower) && close(a.upper, b.upper);

/** Where two texts first differ, by line: `a` is the bundle's, `b` what the evidence gives. */
export function firstDifference(a: string, b: string): string {
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) return `line ${i + 1}: the bundle has "${(x[i] ?? '').slice(0, 120)}", the evidence gives "${(y[i] ?? '').slice(0, 120)}"`;
  }
  return '';
}

/**
 * Checks a bundle against the course's lab definition and criteria: everything that can be re-derived from the
 * evidence is, and the lab's verifier adds its own claims.
 */
export interface VerifyOptions<S> {
  labVerifier?: LabVerifier<S>;
  /** The lab's coding exercises, and how to run one (in a sandbox worker in the page; directly in Node). */
  exercises?: ExerciseSpec[];
  runExercise?: (spec: ExerciseSpec, source: string) => Promise<ExerciseRun>;
}

export async function verifyBundle<S>(definition: LabDefinition<S>, criteria: Criterion[], bundle: Bundle, options: VerifyOptions<S> = {}): Promise<Claim[]> {
  const { evidence } = bundle;
  const claims: Claim[] = [];
  if (evidence.lab?.id !== definition.id) {
    return [{ claim: `The bundle is a report of the lab "${definition.id}"`, status: 'contradicted', detail: `it names "${String(evidence.lab?.id)}"` }];
  }
  let state: S;
  try {
    if (evidence.lab.stateVersion > definition.version) throw new StateError(`it was made with a newer version of the lab (state version ${evidence.lab.stateVersion})`);
    state = definition.parse(evidence.state, evidence.lab.stateVersion);
    claims.push({ claim: 'The lab state in evidence.json is a valid state of this lab', status: 'confirmed' });
  } catch (error) {
    claims.push({ claim: 'The lab state in evidence.json is a valid state of this lab', status: 'contradicted', detail: error instanceof Error ? error.message : String(error) });
    return claims;
  }

  // Files: each one listed is there and has the hash the report was made with.
  for (const [path, hash] of Object.entries(evidence.files ?? {})) {
    const bytes = bundle.files[path];
    const actual = bytes ? await sha256Hex(bytes) : null;
    claims.push({
      claim: `Evidence file ${path} is the one the report was made with`,
      status: actual === hash ? 'confirmed' : 'contradicted',
      ...(actual === hash ? {} : { detail: actual ? 'its content changed' : 'it is missing from the bundle' }),
    });
  }

  // Measured values: recomputed from the state.
  const measured = definition.measure(state);
  for (const name of new Set([...Object.keys(measured), ...Object.keys(evidence.measured ?? {})])) {
    const mine = measured[name];
    const theirs = evidence.measured?.[name];
    const same = sameEstimate(mine, theirs);
    claims.push({
      claim: `${name} = ${theirs ? formatEstimate(theirs, definition.quantities[name]?.unit) : 'nothing'} follows from the recorded results`,
      status: same ? 'confirmed' : 'contradicted',
      ...(same ? {} : { detail: `the recorded results give ${mine ? formatEstimate(mine, definition.quantities[name]?.unit) : 'no value'}` }),
    });
    const q = definition.quantities[name];
    if (mine && q && ((q.min !== undefined && mine.value < q.min) || (q.max !== undefined && mine.value > q.max))) {
      claims.push({ claim: `${name} lies in the range this lab can produce`, status: 'contradicted', detail: `${mine.value} is outside [${q.min ?? '−∞'}, ${q.max ?? '∞'}]` });
    }
  }

  // Criteria: the thresholds are the course's, evaluated on the recomputed values.
  const stated = JSON.stringify(evidence.criteria ?? []);
  claims.push({
    claim: 'The report uses the course\u2019s acceptance criteria',
    status: stated === JSON.stringify(criteria) ? 'confirmed' : 'contradicted',
    ...(stated === JSON.stringify(criteria) ? {} : { detail: 'its criteria differ from the ones this site states (another site version, or an edit)' }),
  });
  for (const e of evaluateCriteria(criteria, measured)) {
    claims.push({
      claim: `Criterion "${e.criterion.label}" is ${e.status === 'met' ? 'met' : e.status === 'not-met' ? 'not met' : 'not measured'}`,
      status: e.status === 'not-measured' ? 'not-checkable' : 'confirmed',
    });
  }

  // The Markdown: regenerated from the evidence, it must come out the same.
  const regenerated = labReportFiles(reportInput(definition, state, evidence)).files['report.md']!;
  if (!bundle.reportMarkdown) claims.push({ claim: 'report.md matches its evidence', status: 'not-checkable', detail: 'the bundle has no report.md' });
  else if (regenerated === bundle.reportMarkdown) claims.push({ claim: 'report.md matches its evidence', status: 'confirmed' });
  else claims.push({ claim: 'report.md matches its evidence', status: 'contradicted', detail: firstDifference(bundle.reportMarkdown, regenerated) });

  if (evidence.restoredAt) {
    claims.push({ claim: 'Every result was measured in the student\u2019s browser', status: 'contradicted', detail: `some were restored from a progress file imported on ${evidence.restoredAt.slice(0, 10)}; the lab marks which` });
  }
  // The student's code: run the exercise's tests on it again.
  for (const [id, record] of Object.entries(evidence.code ?? {})) {
    const spec = options.exercises?.find((e) => e.id === id);
    const stated = record.last && !record.last.error ? `${record.last.cases.filter((c) => c.passed).length} of ${record.last.cases.length}` : 'no';
    if (!spec || !options.runExercise) {
      claims.push({ claim: `Exercise ${id}: ${stated} test cases pass`, status: 'not-checkable', detail: spec ? 'no runner here' : 'this lab has no such exercise' });
      continue;
    }
    const run = await options.runExercise(spec, record.source);
    const now = run.error ? 'no' : `${run.cases.filter((c) => c.passed).length} of ${run.cases.length}`;
    claims.push({ claim: `Exercise ${id}: ${stated} test cases pass`, status: now === stated ? 'confirmed' : 'contradicted', ...(now === stated ? {} : { detail: `run again, ${now} pass${run.error ? ` (${run.error})` : ''}` }) });
  }
  if (options.labVerifier) claims.push(...(await options.labVerifier(state, bundle.files, evidence)));
  return claims;
}
