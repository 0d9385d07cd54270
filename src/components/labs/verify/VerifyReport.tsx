/**
 * Verifies report bundles: reads the zip, finds the lab by the id in its evidence, and shows every claim as
 * confirmed, contradicted or not checkable (src/labkit/lab/evidence.ts; a lab's own checks in labs/<lab>/verify.ts).
 */
import { useState } from 'react';
import type { LabDefinition } from '../../../labkit/lab/define.ts';
import { readBundle, verifyBundle, type Claim, type LabVerifier } from '../../../labkit/lab/evidence.ts';
import type { ExerciseApi } from '../../../labkit/lab/exercise-worker.ts';
import type { ExerciseSpec } from '../../../labkit/lab/exercise.ts';
import { WorkerClient, type WorkerLike } from '../../../labkit/lab/worker-rpc.ts';
import type { Criterion } from '../../../labkit/report/criteria.ts';
import { exercisesOf } from '../code/exercises.ts';
import { StatusIcon } from '../shell/StatusIcon.tsx';
import '../shell/lab.css';

const definitions = import.meta.glob<{ default: LabDefinition<unknown> }>('../../../../labs/*/lab.ts');
const verifiers = import.meta.glob<{ verify: LabVerifier<unknown> }>('../../../../labs/*/verify.ts');

interface Props {
  labs: Record<string, { title: string; criteria: Criterion[] }>;
}

interface Result {
  file: string;
  lab?: string;
  student?: string;
  claims: Claim[];
  error?: string;
}

const words = { confirmed: 'confirmed', contradicted: 'contradicted', 'not-checkable': 'not checkable' } as const;

/** The student's exercise code runs again in the same sandbox the lab uses, with the same time limit. */
async function runInSandbox(spec: ExerciseSpec, source: string) {
  const client = new WorkerClient<ExerciseApi>({
    create: () => new Worker(new URL('../../../labkit/lab/exercise-worker.ts', import.meta.url), { type: 'module', name: 'exercise-sandbox' }) as unknown as WorkerLike,
    graceMs: 100,
  });
  const job = client.call('run', { spec, source });
  const timer = setTimeout(() => job.cancel(), 5000);
  try {
    return await job.promise;
  } catch {
    return { at: new Date().toISOString(), cases: [], error: 'the code was still running after 5 s' };
  } finally {
    clearTimeout(timer);
    client.dispose();
  }
}

async function verifyFile(file: File, labs: Props['labs']): Promise<Result> {
  try {
    const bundle = readBundle(new Uint8Array(await file.arrayBuffer()));
    const id = bundle.evidence.lab?.id;
    const key = `../../../../labs/${id}/lab.ts`;
    if (!definitions[key] || !labs[id]) return { file: file.name, claims: [], error: `The bundle is a report of a lab this site does not have ("${String(id)}").` };
    const definition = (await definitions[key]()).default;
    const verifier = verifiers[`../../../../labs/${id}/verify.ts`];
    const claims = await verifyBundle(definition, labs[id]!.criteria, bundle, {
      labVerifier: verifier ? (await verifier()).verify : undefined,
      exercises: exercisesOf(id),
      runExercise: runInSandbox,
    });
    return { file: file.name, lab: labs[id]!.title, student: bundle.evidence.student?.name, claims };
  } catch (error) {
    return { file: file.name, claims: [], error: error instanceof Error ? error.message : String(error) };
  }
}

export default function VerifyReport({ labs }: Props) {
  const [results, setResults] = useState<Result[]>([]);
  const [busy, setBusy] = useState(false);
  const check = async (files: FileList | null) => {
    if (!files?.length) return;
    setBusy(true);
    const out: Result[] = [];
    for (const file of files) out.push(await verifyFile(file, labs));
    setResults(out);
    setBusy(false);
  };
  return (
    <div className="lab-shell not-content">
      <label className="lab-row">
        <span>Report bundles (.zip)</span>
        <input type="file" accept=".zip,application/zip" multiple disabled={busy} onChange={(e) => void check(e.target.files)} data-testid="bundle-input" />
      </label>
      <p role="status" className="lab-status">
        {busy ? 'Verifying… (re-scoring models and re-running code can take a minute)' : ''}
      </p>
      {results.map((r) => {
        const contradicted = r.claims.filter((c) => c.status === 'contradicted').length;
        return (
          <section key={r.file} className="lab-section" data-testid="verdict" data-contradicted={contradicted}>
            <h2>{r.file}</h2>
            {r.error ? (
              <p className="lab-alert">{r.error}</p>
            ) : (
              <>
                <p className={contradicted ? 'lab-alert' : 'lab-ok'}>
                  {r.lab}
                  {r.student ? `, by ${r.student}` : ''}: {r.claims.filter((c) => c.status === 'confirmed').length} confirmed, {contradicted} contradicted,{' '}
                  {r.claims.filter((c) => c.status === 'not-checkable').length} not checkable.
                </p>
                <ul className="lab-cases">
                  {r.claims.map((c, i) => (
                    <li key={i} data-claim-status={c.status}>
                      <StatusIcon status={c.status === 'confirmed' ? 'met' : c.status === 'contradicted' ? 'not-met' : 'not-measured'} />
                      <span>
                        {c.claim} — <strong>{words[c.status]}</strong>
                        {c.detail && <span className="lab-muted">: {c.detail}</span>}
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
        );
      })}
    </div>
  );
}
