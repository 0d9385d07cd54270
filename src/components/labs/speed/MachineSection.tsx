/** Step 1: this machine and its backends: what is available (and why not), the clock, isolation, wasm threads. */
import type { Environment } from '../../../labkit/bench/environment.ts';
import { formatResolution } from '../../../labkit/bench/timer.ts';
import { softwareRenderer } from '../../../labkit/bench/backends.ts';
import { defaultChoices, type Choices } from './choices.ts';

interface Props {
  env: Environment | Error | null;
  busy: boolean;
  choices: Choices | null;
  onChoices: (c: Choices) => void;
}

/** tfjs-backend-wasm pre-creates 8 pthread workers; more threads than that cannot run. */
const MAX_WASM_THREADS = 8;

export function MachineSection({ env, busy, choices, onChoices }: Props) {
  if (!env) return <section className="lab-section"><h2>1. Your machine and its backends</h2><p>Detecting backends…</p></section>;
  if (env instanceof Error) return <section className="lab-section"><h2>1. Your machine and its backends</h2><p className="lab-alert">Backend detection failed: {env.message}</p></section>;
  const c = choices ?? defaultChoices(env);
  const threaded = env.backends.find((b) => b.id === 'wasm-simd-threads');
  const cores = env.hardwareConcurrency ?? 0;
  const renderer = env.webgl.available ? (env.webgl.unmaskedRenderer ?? env.webgl.renderer ?? '') : '';
  return (
    <section className="lab-section" aria-labelledby="speed-machine">
      <h2 id="speed-machine">1. Your machine and its backends</h2>
      <p data-testid="timer">
        Timer resolution: <strong>{formatResolution(env.timer.stepMs)}</strong> · crossOriginIsolated: <strong>{String(env.crossOriginIsolated)}</strong> · {cores || '?'} logical
        cores · TensorFlow.js {env.tfjs}
      </p>
      <fieldset className="lab-section" disabled={busy}>
        <legend>Backends to measure</legend>
        {env.backends.map((b) => (
          <div key={b.id} className="lab-row speed-backend" data-backend={b.id} data-available={String(b.available)}>
            <label>
              <input type="checkbox" disabled={!b.available} checked={b.available && !!c.backends[b.id]} onChange={(e) => onChoices({ ...c, backends: { ...c.backends, [b.id]: e.target.checked } })} /> {b.label}
            </label>
            {!b.available && <span className="lab-muted">unavailable: {b.reason}</span>}
            {b.available && b.id === 'webgl' && renderer && <span className="lab-muted">{renderer}</span>}
          </div>
        ))}
      </fieldset>
      {softwareRenderer(renderer) && (
        <p className="lab-notice-warn" data-testid="software-warning">
          WebGL here is drawn by a software rasterizer ({/swiftshader/i.test(renderer) ? 'SwiftShader' : renderer}), not a GPU: its numbers measure your CPU pretending to
          be a GPU. Compare them with cpu and wasm as such, and do not read them as what a graphics card would do.
        </p>
      )}
      {threaded?.available ? (
        <label className="lab-row">
          wasm threads (threaded build)
          <select value={c.threads ?? ''} disabled={busy} onChange={(e) => onChoices({ ...c, threads: e.target.value ? Number(e.target.value) : null })}>
            <option value="">tfjs default (half the logical cores, at most 4)</option>
            {Array.from({ length: MAX_WASM_THREADS }, (_, i) => i + 1).map((n) => (
              <option key={n} value={n}>
                {n}
                {n > cores && cores ? ` (more than the ${cores} cores)` : ''}
              </option>
            ))}
          </select>
          <span className="lab-muted">The results say how many threads tfjs really used.</span>
        </label>
      ) : (
        <p className="lab-muted">wasm threads: not here ({threaded?.reason ?? 'no threaded build'}), so the thread count cannot be set.</p>
      )}
    </section>
  );
}
