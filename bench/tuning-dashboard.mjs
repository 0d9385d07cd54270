// The tuning dashboard at scale: a made-up study of 1,000 and of 10,000 trials (4 parameters, 9 reports each, a third
// of them pruned). Prints the first (cold) run and the median of the later, warm ones: the time to compute every linked chart (history, learning
// curves, parallel coordinates, importance, slice, distribution, timeline), the time a brush takes (filter + the
// parallel-coordinates SVG), and, in headless Chromium, the time to put all the charts into a page and lay it out,
// and what a brush costs in the page: the kept lines recomputed and the parallel coordinates redrawn on their canvas
// (the interactive view, src/components/labs/tuning/ParallelCoordinates.tsx).
// Usage: node bench/tuning-dashboard.mjs [sizes=1000,10000] [runs=5]
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { chromiumPath } from './chromium.mjs';
import { mulberry32 } from '../src/labkit/ml/random.ts';
import { edfChart, historyChart, importanceChart, intermediateChart, NO_FILTER, parallelCoordinates, selected, sliceChart, timeline } from '../labs/tuning/dashboard.ts';

const sizes = (process.argv[2] ?? '1000,10000').split(',').map(Number);
const runs = Math.max(2, Number(process.argv[3] ?? 7));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function study(n) {
  const rand = mulberry32(n);
  const space = {
    log10_lr: { kind: 'float', low: -3, high: -0.5, log: false, step: 0.5 },
    hidden: { kind: 'categorical', choices: [16, 32, 64] },
    batch: { kind: 'categorical', choices: [16, 64] },
    l2: { kind: 'float', low: 1e-5, high: 1e-2, log: true, step: null },
  };
  const trials = Array.from({ length: n }, (_, i) => {
    const params = { log10_lr: -3 + 0.5 * Math.floor(rand() * 6), hidden: [16, 32, 64][Math.floor(rand() * 3)], batch: [16, 64][Math.floor(rand() * 2)], l2: 10 ** (-5 + 3 * rand()) };
    const level = 0.1 + Math.abs(params.log10_lr + 2) / 5 + rand() * 0.05;
    const pruned = rand() < 0.33;
    const steps = pruned ? 1 + Math.floor(rand() * 3) : 9;
    const intermediate = Array.from({ length: steps }, (_, s) => [s + 1, level + 0.3 / (s + 1) + rand() * 0.01]);
    return { number: i, state: pruned ? 'PRUNED' : 'COMPLETE', params, intermediate, value: intermediate.at(-1)[1], start: i * 100, end: i * 100 + steps * 90, worker: i % 4 };
  });
  return { id: `s${n}`, name: `bench-${n}`, mode: 'replay', createdAt: '', strategy: { sampler: 'random', pruner: 'asha', trials: n, workers: 4 }, seed: 1, direction: 'minimize', source: 's', space, trials, epochs: 0, exports: [] };
}

function charts(s, keep) {
  return [historyChart(s, keep), intermediateChart(s, keep), parallelCoordinates(s, keep), importanceChart(s, keep), sliceChart(s, keep, 'log10_lr'), edfChart('edf', [{ name: 'x', values: s.trials.map((t) => t.value) }], 'v'), timeline(s, keep)];
}

// The canvas drawing code, as the page bundles it.
const bundle = await build({
  stdin: { contents: "export { parallelLayout, drawParallelLines, keptLine } from './src/labkit/charts/parallel.ts'; export { parallelOptions } from './labs/tuning/dashboard.ts';", resolveDir: process.cwd(), loader: 'ts' },
  bundle: true,
  write: false,
  format: 'iife',
  globalName: 'pc',
});
const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'] });
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
await page.setContent('<main style="width:900px"></main><canvas id="pc" style="width:900px"></canvas>');
await page.addScriptTag({ content: bundle.outputFiles[0].text });

for (const n of sizes) {
  const s = study(n);
  const all = [];
  const brush = [];
  let svgs = [];
  let brushed = '';
  for (let r = 0; r < runs; r++) {
    let t0 = performance.now();
    const keep = selected(s, NO_FILTER);
    svgs = charts(s, keep);
    all.push(performance.now() - t0);
    t0 = performance.now();
    const k = selected(s, { ...NO_FILTER, brushes: { objective: { min: 0.1, max: 0.2 + r * 0.01 } } });
    brushed = parallelCoordinates(s, k);
    brush.push(performance.now() - t0);
  }
  const dom = [];
  const swap = [];
  for (let r = 0; r < runs; r++) {
    dom.push(
      await page.evaluate((list) => {
        const main = document.querySelector('main');
        main.innerHTML = '';
        const t0 = performance.now();
        main.innerHTML = list.map((svg) => `<figure>${svg}</figure>`).join('');
        main.getBoundingClientRect();
        document.body.offsetHeight;
        return performance.now() - t0;
      }, svgs),
    );
    swap.push(
      await page.evaluate(
        ({ st, r }) => {
          // Once per study: the layout. Per brush: the kept lines, and a redraw.
          const options = pc.parallelOptions(st, new Set(st.trials.map((t) => t.number)));
          const layout = pc.parallelLayout(options);
          const byId = new Map(options.lines.map((l) => [l.id, l]));
          const c = document.getElementById('pc');
          const scale = 900 / layout.width;
          c.width = Math.round(layout.width * scale);
          c.height = Math.round(layout.height * scale);
          const g = c.getContext('2d');
          const t0 = performance.now();
          const brushes = { [options.axes.length - 1]: { min: 0.1, max: 0.2 + r * 0.01 } };
          const kept = new Set(options.lines.filter((l) => pc.keptLine(options.axes, brushes, l)).map((l) => l.id));
          pc.drawParallelLines(g, layout, (l) => kept.has(l.id), scale);
          g.getImageData(0, 0, 1, 1);
          void byId;
          return performance.now() - t0;
        },
        { st: s, r },
      ),
    );
  }
  const kb = (x) => (x.length / 1024).toFixed(0);
  const warm = (xs) => `${median(xs.slice(1)).toFixed(0)} ms (first ${xs[0].toFixed(0)} ms)`;
  console.log(`${n.toLocaleString('en')} trials: every linked chart computed in ${warm(all)}, put into the page and laid out in ${warm(dom)}; a brush in the page (kept lines + canvas redraw) ${warm(swap)} (as an SVG string, ${warm(brush)} to compute); SVG sizes ${svgs.map(kb).join(' / ')} KB`);
}
console.log(`Node ${process.version}, Chromium ${browser.version()}`);
await browser.close();
