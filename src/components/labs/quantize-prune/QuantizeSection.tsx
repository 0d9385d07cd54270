/** Step 2: quantize the weights (whole model or chosen layers), two experiments past the converter, and the histogram. */
import { useState } from 'react';
import { strFromU8 } from 'fflate';
import { artifactNames, artifacts } from '../../../../labs/quantize-prune/lab.ts';
import type { Histogram } from '../../../../labs/quantize-prune/protocol.ts';
import { histogramChart, stemChart } from '../../../labkit/charts/index.ts';
import { Chart } from '../shell/Chart.tsx';
import { ExercisePanel } from '../code/ExercisePanel.tsx';
import type { QpContext } from './QuantizePruneWorkspace.tsx';

function histogramSvg(h: Histogram): string {
  const title = `Weights of ${h.weight}: float32 baseline and ${h.variant}`;
  if (h.levels) {
    return stemChart({ title, xLabel: 'weight value', yLabel: 'weights', behind: { ...h.before, name: 'float32 baseline (80 bins)' }, stems: h.levels, stemName: `${h.dtype} levels used` });
  }
  return histogramChart({ title, xLabel: 'weight value', yLabel: 'weights', edges: h.before.edges, series: [{ name: 'float32 baseline', counts: h.before.counts }, { name: h.variant, counts: h.after!.counts }] });
}

export function QuantizeSection({ ctx }: { ctx: QpContext }) {
  const { summary, busy, state, make, shell, client, exercises } = ctx;
  const exercise = exercises.find((e) => e.exportName === 'quantizeAffine');
  const [layers, setLayers] = useState<string[] | null>(null);
  const [histLayer, setHistLayer] = useState('');
  const [histVariant, setHistVariant] = useState('');
  const [hist, setHist] = useState<Histogram | null>(null);
  const off = busy || !summary;
  const weighted = summary?.layers.filter((l) => l.params > 0) ?? [];
  const kernels = summary?.layers.filter((l) => l.kernel) ?? [];
  const variants = state.variants.filter((v) => v.model === summary?.key && v.exportable);
  const layer = histLayer || kernels[0]?.name || '';
  const variant = histVariant || variants.find((v) => v.recipe.dtype === 'uint8')?.id || variants.at(-1)?.id || '';

  const showHistogram = async () => {
    const v = state.variants.find((x) => x.id === variant);
    if (!v) return;
    const names = artifactNames(v.id);
    const [json, weights] = await Promise.all([artifacts.get(names.json), artifacts.get(names.weights)]);
    if (!json || !weights) {
      shell.warn(`The files of "${v.name}" are no longer in this browser; make the variant again to see its weights.`);
      return;
    }
    const h = await shell.run('Weight histogram', (onProgress) => client.call('histogram', { layer, variant: { name: v.name, json: strFromU8(json), weights } }, { onProgress }));
    if (h) setHist(h);
  };

  return (
    <section className="lab-section" aria-labelledby="qp-quant">
      <h2 id="qp-quant">2. Quantize the weights</h2>
      <fieldset className="lab-form" disabled={off}>
        <legend>Layers to quantize</legend>
        <label>
          <input type="checkbox" checked={layers === null} onChange={(e) => setLayers(e.target.checked ? null : weighted.map((l) => l.name))} /> whole model
        </label>
        {layers !== null &&
          weighted.map((l) => (
            <label key={l.name}>
              <input type="checkbox" checked={layers.includes(l.name)} onChange={(e) => setLayers((q) => (e.target.checked ? [...(q ?? []), l.name] : (q ?? []).filter((n) => n !== l.name)))} /> {l.name}
            </label>
          ))}
      </fieldset>
      <div className="lab-row">
        {(['uint8', 'uint16', 'float16'] as const).map((dtype) => (
          <button key={dtype} type="button" disabled={off || (layers !== null && !layers.length)} onClick={() => make(`Quantize ${dtype}`, 'quantize', { dtype, layers } as never)}>
            Quantize {dtype}
          </button>
        ))}
      </div>
      {exercise && (
        <details>
          <summary>Coding track: write the quantizer yourself</summary>
          <ExercisePanel session={shell.session} spec={exercise} />
        </details>
      )}
      <details>
        <summary>Experiments beyond the converter (scored here, not exportable)</summary>
        <div className="lab-row">
          <button type="button" disabled={off} onClick={() => make('int8 per-channel', 'experiment', { kind: 'int8' } as never)}>
            Symmetric int8 per-channel weights
          </button>
          <button type="button" disabled={off} onClick={() => make('Full-integer simulation', 'experiment', { kind: 'full-integer' } as never)}>
            Simulated full-integer inference
          </button>
        </div>
      </details>
      <h3>Look at the weights</h3>
      <div className="lab-row">
        <label>
          Layer
          <select value={layer} onChange={(e) => setHistLayer(e.target.value)} disabled={off}>
            {kernels.map((l) => (
              <option key={l.name} value={l.name}>{l.name}</option>
            ))}
          </select>
        </label>
        <label>
          Variant
          <select value={variant} onChange={(e) => setHistVariant(e.target.value)} disabled={off}>
            {variants.map((v) => (
              <option key={v.id} value={v.id}>{v.name}</option>
            ))}
          </select>
        </label>
        <button type="button" disabled={off || !variant || !layer} onClick={showHistogram}>
          Show weight histogram
        </button>
      </div>
      {hist && <Chart svg={histogramSvg(hist)} caption={hist.note} testId="histogram" />}
    </section>
  );
}
