/** Step 3: magnitude pruning with fine-tuning (and its control), the one-shot sweep, and structured pruning. */
import { useState, type ReactNode } from 'react';
import { checkPrune, checkStructured, DEFAULT_PRUNE, structuredWarning, type PruneOptions, type StructuredOptions } from '../../../../labs/quantize-prune/lab.ts';
import { sweepChart } from '../../../../labs/quantize-prune/charts.ts';
import { Chart } from '../shell/Chart.tsx';
import { ExercisePanel } from '../code/ExercisePanel.tsx';
import type { QpContext } from './QuantizePruneWorkspace.tsx';

const SPARSITIES = [0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98];

function NumberField({ label, value, error, onChange, step }: { label: string; value: number; error?: string; onChange: (v: number) => void; step: number }) {
  const id = `qp-${label.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <div className="lab-field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="number" step={step} value={Number.isNaN(value) ? '' : value} aria-invalid={!!error} aria-describedby={error ? `${id}-error` : undefined} onChange={(e) => onChange(e.target.value === '' ? Number.NaN : Number(e.target.value))} />
      {error && (
        <span id={`${id}-error`} className="lab-field-error">
          {error}
        </span>
      )}
    </div>
  );
}

function Select<T extends string>({ label, value, options, onChange }: { label: string; value: T; options: [T, string][]; onChange: (v: T) => void }): ReactNode {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value as T)}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>{text}</option>
        ))}
      </select>
    </label>
  );
}

export function PruneSection({ ctx }: { ctx: QpContext }) {
  const { summary, busy, state, make, shell, client, exercises } = ctx;
  const exercise = exercises.find((e) => e.exportName === 'magnitudeMask');
  const [o, setO] = useState<PruneOptions>(DEFAULT_PRUNE);
  const [s, setS] = useState<StructuredOptions>({ fraction: 0.5, epochs: 2 });
  const [sweepScope, setSweepScope] = useState<'per-tensor' | 'global'>('per-tensor');
  const off = busy || !summary;
  const errors = checkPrune(o);
  const sErrors = checkStructured(s);
  const warning = structuredWarning(s);
  const set = (patch: Partial<PruneOptions>) => setO((x) => ({ ...x, ...patch }));
  const control = state.variants.find((v) => v.model === summary?.key && v.kind === 'control' && v.recipe.epochs === o.epochs && v.recipe.trainImages === o.trainImages);
  const sweepSvg = summary ? sweepChart(state, summary.key) : null;

  const sweep = async () => {
    const r = await shell.run('Accuracy–sparsity sweep', (onProgress) => client.call('sweep', { scope: sweepScope, sparsities: SPARSITIES }, { onProgress }));
    if (r) shell.session.update((st) => ({ ...st, sweeps: [...st.sweeps, r] }));
  };

  return (
    <section className="lab-section" aria-labelledby="qp-prune">
      <h2 id="qp-prune">3. Prune</h2>
      <fieldset className="lab-form" disabled={off}>
        <legend>Magnitude pruning with fine-tuning (the mask is held after every step)</legend>
        <NumberField label="Target sparsity" step={0.05} value={o.target} error={errors.target} onChange={(target) => set({ target })} />
        <Select label="Threshold" value={o.scope} onChange={(scope) => set({ scope })} options={[['per-tensor', 'per tensor (TF MOT default)'], ['global', 'global (one threshold for all kernels)']]} />
        <Select label="Schedule" value={o.schedule} onChange={(schedule) => set({ schedule })} options={[['polynomial', 'polynomial decay'], ['constant', 'constant sparsity']]} />
        {o.schedule === 'polynomial' && (
          <>
            <NumberField label="Initial sparsity" step={0.05} value={o.initialSparsity} error={errors.initialSparsity} onChange={(initialSparsity) => set({ initialSparsity })} />
            <NumberField label="Power" step={1} value={o.power} error={errors.power} onChange={(power) => set({ power })} />
            <NumberField label="End step (fraction of training)" step={0.1} value={o.endFraction} error={errors.endFraction} onChange={(endFraction) => set({ endFraction })} />
          </>
        )}
        <NumberField label="Frequency (steps)" step={1} value={o.frequency} error={errors.frequency} onChange={(frequency) => set({ frequency })} />
        <NumberField label="Epochs" step={1} value={o.epochs} error={errors.epochs} onChange={(epochs) => set({ epochs })} />
        <NumberField label="Training images" step={500} value={o.trainImages} error={errors.trainImages} onChange={(trainImages) => set({ trainImages })} />
        <label>
          <span>
            <input type="checkbox" checked={o.quantizeAfter} onChange={(e) => set({ quantizeAfter: e.target.checked })} /> then also quantize to uint8
          </span>
        </label>
      </fieldset>
      <div className="lab-row">
        <button type="button" className="lab-primary" disabled={off || Object.keys(errors).length > 0} onClick={() => make('Prune and fine-tune', 'prune', { options: o, control: control?.id ?? null } as never)}>
          Prune and fine-tune
        </button>
        <span className="lab-muted">
          {control
            ? `Compared with the control ${control.id} (the baseline fine-tuned ${o.epochs} epochs without pruning).`
            : `Also fine-tunes the control: the baseline for ${o.epochs} epochs without pruning, so the comparison is fair.`}
        </span>
      </div>

      {exercise && (
        <details>
          <summary>Coding track: write the magnitude mask yourself</summary>
          <ExercisePanel session={shell.session} spec={exercise} />
        </details>
      )}

      <h3>One-shot sweep</h3>
      <div className="lab-row">
        <Select label="Sweep threshold" value={sweepScope} onChange={setSweepScope} options={[['per-tensor', 'per tensor'], ['global', 'global']]} />
        <button type="button" disabled={off} onClick={sweep}>
          Run the accuracy–sparsity sweep
        </button>
      </div>
      {sweepSvg && <Chart svg={sweepSvg} testId="sweep-chart" />}

      <fieldset className="lab-form" disabled={off}>
        <legend>Structured pruning: remove whole units or filters (smallest L2 norm)</legend>
        <NumberField label="Fraction removed per hidden layer" step={0.05} value={s.fraction} error={sErrors.fraction} onChange={(fraction) => setS((x) => ({ ...x, fraction }))} />
        <NumberField label="Fine-tuning epochs" step={1} value={s.epochs} error={sErrors.epochs} onChange={(epochs) => setS((x) => ({ ...x, epochs }))} />
        {warning && <p className="lab-field-error">{warning}</p>}
      </fieldset>
      <div className="lab-row">
        <button type="button" disabled={off || Object.keys(sErrors).length > 0} onClick={() => make('Structured pruning', 'structured', s as never)}>
          Build the smaller model and time it
        </button>
      </div>
    </section>
  );
}
