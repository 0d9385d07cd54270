/** Step 2: what to measure (models, your own model, variants, budget, batch, sweep), and Run. */
import type { Environment } from '../../../labkit/bench/environment.ts';
import { JobCancelled, WorkerClient, type WorkerLike } from '../../../labkit/lab/worker-rpc.ts';
import { unpackModelFiles, uploadLabel } from '../../../labkit/ml/uploads.ts';
import type { UploadedFile } from '../../../labkit/ml/artifacts.ts';
import { BATCHES, BUDGETS, STEADY, SWEEP, VARIANTS, type RunPlan } from '../../../../labs/speed/protocol.ts';
import type { SpeedApi } from '../../../../labs/speed/worker.ts';
import { siteBase, WASM } from '../../../labkit/ml/tfjs-assets.ts';
import { planOf, type Choices } from './choices.ts';
import type { SpeedShell } from './SpeedWorkspace.tsx';

interface Props {
  shell: SpeedShell;
  env: Environment | null;
  choices: Choices | null;
  onChoices: (c: Choices) => void;
  onRun: (plan: Omit<RunPlan, 'code'>) => void;
  createWorker: () => WorkerLike;
}

/** Checks the student's model in a worker of its own on the cpu backend: what it is, or why it cannot be used. */
function checkModel(create: () => WorkerLike, files: UploadedFile[]) {
  const client = new WorkerClient<SpeedApi>({ create });
  let cancelled = false;
  const promise = (async () => {
    try {
      const started = await client.call('start', { spec: { backend: 'cpu' }, base: siteBase(), wasm: WASM }).promise;
      if (!started.ok) throw new Error(started.reason);
      return await client.call('check', { files }).promise;
    } catch (error) {
      throw cancelled ? new JobCancelled() : error;
    } finally {
      client.dispose();
    }
  })();
  return {
    promise,
    cancel() {
      cancelled = true;
      client.dispose();
    },
  };
}

export function SetupSection({ shell, env, choices: c, onChoices, onRun, createWorker }: Props) {
  const busy = !!shell.job || !env || !c;
  const runs = shell.session.state.runs;

  const upload = async (list: FileList | null) => {
    if (!list?.length || !c) return;
    let files: UploadedFile[];
    try {
      files = unpackModelFiles(await Promise.all([...list].map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) }))));
    } catch (error) {
      shell.warn(`Your model: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    onChoices({ ...c, upload: null, models: { ...c.models, upload: false } });
    const found = await shell.run('Check your model', () => checkModel(createWorker, files));
    if (!found) return; // the alert says why
    const label = uploadLabel([...list]);
    onChoices({ ...c, upload: { label, files, summary: `${found.params.toLocaleString('en')} parameters; ${found.layers.join(', ')}` }, models: { ...c.models, upload: true } });
    shell.say(`Your model ${label} loads: ${found.params.toLocaleString('en')} parameters. It is measured when you run the benchmark.`);
  };

  const start = () => {
    if (!env || !c) return;
    const plan = planOf(env, c);
    if (typeof plan === 'string') shell.warn(plan);
    else onRun(plan);
  };

  const clear = () => {
    if (window.confirm(`Delete all ${runs.length} benchmark run${runs.length === 1 ? '' : 's'}? Your code and notes stay. This cannot be undone.`)) {
      shell.session.update(() => ({ runs: [] }));
      shell.say('The benchmark results were deleted.');
    }
  };

  const set = (patch: Partial<Choices>) => c && onChoices({ ...c, ...patch });

  return (
    <section className="lab-section" aria-labelledby="speed-setup">
      <h2 id="speed-setup">2. What to measure</h2>
      <fieldset className="lab-section" disabled={busy}>
        <legend>Models</legend>
        <div className="lab-row">
          <label>
            <input type="checkbox" checked={!!c?.models.dense} onChange={(e) => c && set({ models: { ...c.models, dense: e.target.checked } })} /> dense (MLP)
          </label>
          <label>
            <input type="checkbox" checked={!!c?.models.cnn} onChange={(e) => c && set({ models: { ...c.models, cnn: e.target.checked } })} /> CNN
          </label>
          <label>
            <input type="checkbox" checked={!!c?.models.upload} disabled={!c?.upload} onChange={(e) => c && set({ models: { ...c.models, upload: e.target.checked } })} /> your own model
            {c?.upload && <span className="lab-muted"> ({c.upload.label}: {c.upload.summary})</span>}
          </label>
        </div>
        <label className="lab-row">
          Your own tfjs LayersModel: model.json with its .bin files, or the zip the quantize-and-prune lab downloads
          <input type="file" multiple accept=".json,.bin,.zip" onChange={(e) => void upload(e.target.files)} />
        </label>
      </fieldset>
      <fieldset className="lab-section" disabled={busy}>
        <legend>Variants (built from each model)</legend>
        <div className="lab-row">
          {VARIANTS.map((v) => (
            <label key={v.kind} title={v.note}>
              <input type="checkbox" checked={!!c?.variants[v.kind]} onChange={(e) => c && set({ variants: { ...c.variants, [v.kind]: e.target.checked } })} /> {v.label}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="lab-section" disabled={busy}>
        <legend>Settings</legend>
        <div className="lab-row">
          <label>
            Budget
            <select value={c?.budgetMs} onChange={(e) => set({ budgetMs: Number(e.target.value) })}>
              {BUDGETS.map((b) => (
                <option key={b.ms} value={b.ms}>{b.label}</option>
              ))}
            </select>
          </label>
          <label>
            Batch size
            <select value={c?.batch} onChange={(e) => set({ batch: Number(e.target.value) })}>
              {BATCHES.map((b) => (
                <option key={b} value={b}>{b}</option>
              ))}
            </select>
          </label>
          <label>
            <input type="checkbox" checked={!!c?.sweep} onChange={(e) => set({ sweep: e.target.checked })} /> batch sweep {SWEEP[0]}…{SWEEP.at(-1)} (baselines)
          </label>
        </div>
        <p className="lab-muted">
          Each variant gets {STEADY.warmup} untimed warm-up rounds, then at least {STEADY.minRuns} timed runs, until its interval is within ±{STEADY.targetRelHalfWidth * 100}% of the
          median, the budget is spent, or {STEADY.maxRuns.toLocaleString('en')} runs are done. Every variant's first inference runs in a fresh worker first, one at a time.
        </p>
      </fieldset>
      <div className="lab-row">
        <button type="button" className="lab-primary" onClick={start} disabled={busy}>
          Run benchmark
        </button>
        <button type="button" onClick={clear} disabled={!!shell.job || !runs.length}>
          Clear results…
        </button>
      </div>
    </section>
  );
}
