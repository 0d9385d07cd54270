/** Step 4: every variant of every model, with intervals and the paired comparisons; downloads and reloads. */
import { useState } from 'react';
import { strFromU8 } from 'fflate';
import { artifactNames, artifacts, type Variant } from '../../../../labs/quantize-prune/lab.ts';
import { accuracyOf, baselineOf, dropPp, models } from '../../../../labs/quantize-prune/compare.ts';
import { sizeAccuracyChart } from '../../../../labs/quantize-prune/charts.ts';
import { formatNumber } from '../../../labkit/report/criteria.ts';
import { downloadFile, mime } from '../../../labkit/report/download.ts';
import { zipFiles } from '../../../labkit/report/zip.ts';
import { Chart } from '../shell/Chart.tsx';
import type { QpContext } from './QuantizePruneWorkspace.tsx';

const kib = (n: number | null) => (n == null ? '—' : `${(n / 1024).toFixed(1)} KiB`);
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const range = (lo?: number, hi?: number, scale = 1) => (lo === undefined || hi === undefined ? '' : ` (${formatNumber(lo * scale)} to ${formatNumber(hi * scale)})`);

async function filesOf(v: Variant) {
  const names = artifactNames(v.id);
  const [json, weights] = await Promise.all([artifacts.get(names.json), artifacts.get(names.weights)]);
  return json && weights ? { json, weights } : null;
}

export function ResultsSection({ ctx }: { ctx: QpContext }) {
  const { state, busy, shell, client } = ctx;
  const [reloaded, setReloaded] = useState<{ name: string; same: boolean; accuracy: number } | null>(null);

  const download = async (v: Variant) => {
    const files = await filesOf(v);
    if (!files) return shell.warn(`The files of "${v.name}" are no longer in this browser (they are kept per browser); make the variant again to download it.`);
    const folder = `${v.model.replace(/^upload:/, 'upload-').replace(/[^a-z0-9-]+/gi, '-')}-${v.id.split('-').pop()}`;
    downloadFile(`${folder}.zip`, zipFiles({ 'model.json': files.json, 'weights.bin': files.weights }, `${folder}/`), mime.zip);
  };

  const reload = async (v: Variant) => {
    const files = await filesOf(v);
    if (!files) return shell.warn(`The files of "${v.name}" are no longer in this browser; make the variant again to reload it.`);
    const r = await shell.run(`Reload ${v.name}`, (onProgress) => client.call('reload', { json: strFromU8(files.json), weights: files.weights }, { onProgress }));
    if (r) setReloaded({ name: v.name, same: r.correct === v.correct, accuracy: r.accuracy });
  };

  const keys = models(state);
  if (!keys.length) return null;
  return (
    <section className="lab-section" aria-labelledby="qp-results">
      <h2 id="qp-results">4. Results</h2>
      <p className="lab-muted">
        Accuracy with its 95% interval on the 5,000 test images. A drop compares two models on the same images: the paired difference with its 95%
        interval and an exact McNemar p-value. Pruned variants are also compared with their control, the baseline fine-tuned the same way without
        pruning.
      </p>
      {keys.map((model) => {
        const base = baselineOf(state, model);
        const vs = state.variants.filter((v) => v.model === model);
        return (
          <div key={model} className="lab-section">
            <div className="lab-scroll" role="region" aria-label={`${model.replace(/^upload:/, 'your model ')}: every variant`} tabIndex={0}>
              <table className="lab-table" data-testid="results" data-model={model}>
                <caption>{model.replace(/^upload:/, 'your model ')}: every variant</caption>
                <thead>
                  <tr>
                    {['variant', 'raw', 'gzipped', 'gzip vs float32', 'accuracy (95% CI)', 'drop vs baseline, pp (95% CI)', 'McNemar p', 'drop vs control, pp (95% CI)', 'agreement', 'sparsity', 'ms / 100 images (95% CI)', 'files'].map((c) => (
                      <th scope="col" key={c}>{c}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {vs.map((v) => {
                    const acc = accuracyOf(v);
                    const d = base && v !== base ? dropPp(base, v) : null;
                    const control = state.variants.find((c) => c.id === v.control);
                    const dc = control ? dropPp(control, v) : null;
                    return (
                      <tr key={v.id} data-variant={v.name} data-kind={v.kind} data-restored={Boolean(v.restoredAt)}>
                        <td className="lab-text">
                          {v.name}
                          {v.note && <details><summary>note</summary>{v.note}</details>}
                        </td>
                        <td>{kib(v.rawBytes)}</td>
                        <td>{kib(v.gzipBytes)}</td>
                        <td>{v.gzipBytes && base?.gzipBytes ? `1/${(base.gzipBytes / v.gzipBytes).toFixed(2)}` : '—'}</td>
                        <td>{pct(acc.value)}{range(acc.lower, acc.upper, 100)}</td>
                        <td>{d ? `${formatNumber(d.value)}${range(d.lower, d.upper)}` : '—'}</td>
                        <td>{d ? formatNumber(d.p) : '—'}</td>
                        <td>{dc ? `${formatNumber(dc.value)}${range(dc.lower, dc.upper)}` : '—'}</td>
                        <td>{pct(v.agreement)}</td>
                        <td>{v.sparsity === undefined ? '—' : `${(v.sparsity * 100).toFixed(1)}%`}</td>
                        <td>
                          {v.timing
                            ? `${formatNumber(v.timing.variant.median)}${range(v.timing.variant.lower, v.timing.variant.upper)} vs baseline ${formatNumber(v.timing.baseline.median)}${range(v.timing.baseline.lower, v.timing.baseline.upper)}, ${v.timing.variant.backend}`
                            : '—'}
                        </td>
                        <td>
                          {v.exportable ? (
                            <span className="lab-row">
                              <button type="button" disabled={busy} onClick={() => download(v)} aria-label={`Download ${v.name} as tfjs files`}>Download</button>
                              <button type="button" disabled={busy} onClick={() => reload(v)} aria-label={`Reload ${v.name} with tf.loadLayersModel`}>Reload</button>
                            </span>
                          ) : (
                            'not exportable'
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <Chart svg={sizeAccuracyChart(state, model)} testId="size-chart" />
          </div>
        );
      })}
      {reloaded && (
        <p data-testid="verify" className={reloaded.same ? 'lab-ok' : 'lab-alert'}>
          Reloaded &ldquo;{reloaded.name}&rdquo; with an unmodified tf.loadLayersModel: accuracy {pct(reloaded.accuracy)}, and{' '}
          {reloaded.same ? 'the same answer on every one of the 5,000 test images.' : 'different answers on some images!'}
        </p>
      )}
    </section>
  );
}
