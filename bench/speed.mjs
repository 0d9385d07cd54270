// Inference speed of the baseline models across tfjs backends, in the machine's headless Chromium.
//
//   node_modules/.bin/node bench/speed.mjs [--quick] [--budget ms] [--sweep 1,8,64,256] [--models dense,cnn]
//                                          [--backends cpu,wasm,wasm-simd,wasm-simd-threads,webgl,webgpu] [--json out.json]
//                                          [--threads N (wasm thread-pool size; tfjs defaults to half the cores, max 4)]
//
// It bundles bench/speed-page/ with Vite (the harness in src/labkit/bench/ and the self-hosted tfjs-backend-wasm
// binaries), serves it with COOP/COEP (so the page is cross-origin isolated and wasm threads work) plus
// public/models/, and opens one fresh page per backend variant: a wasm variant (SIMD on/off, threads on/off) can only
// be chosen before the wasm module is first created in a page. For every baseline present (public/models/dense,
// public/models/cnn) the page also builds a structurally pruned copy (structuredPrune from src/labkit/ml/prune.ts,
// half of every hidden layer's units/filters removed) and benchmarks both on the same backend.
//
// It prints medians with 95% CIs and the ratios wasm/cpu, wasm-threads/wasm-single, and structured-pruned/baseline.
// Ratios of medians < 1 mean the first is faster. Nothing here asserts a time.
import { createServer } from 'node:http';
import { createReadStream, existsSync, statSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { extname, join, normalize, resolve, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'vite';
import { chromium } from '@playwright/test';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    budget: { type: 'string' },
    sweep: { type: 'string' },
    models: { type: 'string', default: 'dense,cnn' },
    backends: { type: 'string', default: 'cpu,wasm,wasm-simd,wasm-simd-threads,webgl,webgpu' },
    batch: { type: 'string', default: '1' },
    prune: { type: 'string', default: '0.5' },
    json: { type: 'string' },
    timeout: { type: 'string', default: '300' },
    threads: { type: 'string', default: '' },
    'ratio-batch': { type: 'string', default: '64' },
  },
});
const budget = opt.budget ?? (opt.quick ? '1000' : '4000');
const sweep = opt.sweep ?? (opt.quick ? '' : '1,8,64,256');

// 1. Bundle the page.
const outDir = join(tmpdir(), `mlops-speed-bench-${process.pid}`);
await build({
  configFile: false,
  root: join(root, 'bench/speed-page'),
  logLevel: 'warn',
  // Whitespace-only minification, as the site does for its workers: tfjs-backend-wasm's threaded build ships its own
  // factory to its pthread workers as source text, which renaming/compressing minifiers break (tfjs issue #4539).
  build: { outDir, emptyOutDir: true, target: 'es2022', assetsInlineLimit: 0, chunkSizeWarningLimit: 10_000, rolldownOptions: { output: { minify: { mangle: false, compress: false, codegen: { removeWhitespace: true } } } } },
});

// 2. Serve it, plus public/models/, with the deploy headers (COOP/COEP).
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm', '.bin': 'application/octet-stream' };
const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cross-Origin-Resource-Policy': 'same-origin', 'Cache-Control': 'no-store' };
const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  const file = path.startsWith('/models/') ? join(root, 'public', path) : join(outDir, path === '/' ? 'index.html' : path);
  if (!existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, headers).end('not found');
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;

// 3. One fresh page per backend variant.
const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));
if (!executablePath) throw new Error('no Chromium: set CHROMIUM_PATH (this script never downloads a browser)');
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
const runs = {};
let env = null;
try {
  for (const id of opt.backends.split(',')) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    const url = `${base}?backend=${id}&budget=${budget}&sweep=${sweep}&models=${opt.models}&batch=${opt.batch}&prune=${opt.prune}&threads=${opt.threads}`;
    process.stderr.write(`… ${id}\n`);
    await page.goto(url);
    try {
      await page.waitForFunction(() => window.__speed, null, { timeout: Number(opt.timeout) * 1000, polling: 250 });
    } catch (e) {
      const status = await page.textContent('#status').catch(() => '?');
      throw new Error(`${id}: no result within ${opt.timeout} s (page says "${status}"; errors: ${errors.join('; ') || 'none'})`);
    }
    const r = await page.evaluate(() => window.__speed);
    await context.close();
    if (r.error) throw new Error(`${id}: ${r.error}`);
    if (errors.length) process.stderr.write(`${id}: page errors: ${errors.join('; ')}\n`);
    env ??= r.env;
    runs[id] = r;
  }
} finally {
  await browser.close();
  server.close();
  rmSync(outDir, { recursive: true, force: true });
}

// 4. Print.
const f = (x, d = 3) => (Number.isFinite(x) ? Number(x.toPrecision(d)).toString() : '—');
const ci = (s) => `[${f(s.ci.lower)}, ${f(s.ci.upper)}]`;
console.log(`# Inference speed in headless Chromium\n`);
console.log(`- browser: ${env.userAgent}`);
console.log(`- cores: ${env.hardwareConcurrency}, crossOriginIsolated: ${env.crossOriginIsolated}, timer step: ${f(env.timer.stepMs * 1000)} µs`);
console.log(`- tfjs ${env.tfjs}; WebGL: ${env.webgl.available ? env.webgl.unmaskedRenderer ?? env.webgl.renderer : env.webgl.reason}`);
console.log(`- steady state: batch ${opt.batch}; baseline and pruned copy interleaved round by round; warm-up 5 rounds, ≥ 30 timed runs each, stop when both 95% CIs are within ±2% of the median or after ${budget} ms per model`);
console.log(`- batch sweep: each size on its own (≥ 10 runs, ±5% or ${Math.max(300, Number(budget) / 4)} ms); medians below ~0.1 ms are only a few timer steps (5 µs) wide\n`);
console.log('| backend | model | bytes | first inference ms | median ms | 95% CI of median | p95 ms | IQR ms | runs | stop | samples/s |');
console.log('|---|---|---:|---:|---:|---|---:|---:|---:|---|---:|');
const med = {};
for (const [id, r] of Object.entries(runs)) {
  if (!r.started.ok) {
    console.log(`| ${id} | — | | | unavailable: ${r.started.reason} | | | | | | |`);
    continue;
  }
  const label = r.started.wasm ? `${id} (${r.started.wasm.threadsCount ?? '?'} thread${r.started.wasm.threadsCount === 1 ? '' : 's'})` : id;
  for (const m of r.results) {
    const s = m.steady.summary;
    med[`${id}/${m.model}`] = s;
    console.log(`| ${label} | ${m.model} | ${m.bytes} | ${f(m.first.warmupMs)} | ${f(s.median)} | ${ci(s)} | ${f(s.p95)} | ${f(s.iqr)} | ${s.n} | ${m.steady.stopReason} | ${f(s.throughput, 4)} |`);
    if (m.tensors.leaked) console.log(`|  | ⚠ ${m.tensors.leaked} tensors leaked | | | | | | | | | |`);
  }
}
if (sweep) {
  console.log('\n## Batch sweep (median ms per batch / samples per second)\n');
  const sizes = sweep.split(',');
  console.log(`| backend | model | ${sizes.map((b) => `b=${b}`).join(' | ')} |`);
  console.log(`|---|---|${sizes.map(() => '---:').join('|')}|`);
  for (const [id, r] of Object.entries(runs)) {
    for (const m of r.results ?? []) console.log(`| ${id} | ${m.model} | ${m.sweep.map((p) => `${f(p.summary.median)} / ${f(p.summary.throughput, 4)}`).join(' | ')} |`);
  }
}
console.log('\n## Ratios of medians (< 1: the first is faster)\n');
const models = [...new Set(Object.keys(med).map((k) => k.split('/')[1]))];
const baselines = models.filter((m) => !m.includes('-structured'));
const ratio = (a, b) => (med[a] && med[b] ? med[a].median / med[b].median : NaN);
const disjoint = (a, b) => med[a] && med[b] && (med[a].ci.upper < med[b].ci.lower || med[b].ci.upper < med[a].ci.lower);
const lines = [];
for (const m of baselines) {
  const wasmBest = ['wasm-simd-threads', 'wasm-simd', 'wasm'].find((w) => med[`${w}/${m}`]);
  if (wasmBest) lines.push([`${m}: ${wasmBest} / cpu`, ratio(`${wasmBest}/${m}`, `cpu/${m}`), disjoint(`${wasmBest}/${m}`, `cpu/${m}`)]);
  lines.push([`${m}: wasm-simd / wasm (SIMD on/off, single thread)`, ratio(`wasm-simd/${m}`, `wasm/${m}`), disjoint(`wasm-simd/${m}`, `wasm/${m}`)]);
  lines.push([`${m}: wasm-simd-threads / wasm-simd (threads on/off)`, ratio(`wasm-simd-threads/${m}`, `wasm-simd/${m}`), disjoint(`wasm-simd-threads/${m}`, `wasm-simd/${m}`)]);
  const sp = models.find((x) => x.startsWith(`${m}-structured`));
  for (const id of Object.keys(runs)) if (sp) lines.push([`${m}: ${sp} / baseline on ${id}`, ratio(`${id}/${sp}`, `${id}/${m}`), disjoint(`${id}/${sp}`, `${id}/${m}`)]);
}
console.log(`| ratio (batch ${opt.batch}) | value | CIs disjoint |`);
console.log('|---|---:|---|');
for (const [k, v, d] of lines) if (Number.isFinite(v)) console.log(`| ${k} | ${f(v)} | ${d ? 'yes' : 'no'} |`);

// The same ratios at a larger batch from the sweep, where per-call overhead and timer resolution matter less.
const rb = Number(opt['ratio-batch']);
if (sweep.split(',').map(Number).includes(rb)) {
  const at = {};
  for (const [id, r] of Object.entries(runs)) for (const m of r.results ?? []) {
    const p = m.sweep.find((x) => x.batchSize === rb);
    if (p) at[`${id}/${m.model}`] = p.summary;
  }
  const r2 = (a, b) => (at[a] && at[b] ? at[a].median / at[b].median : NaN);
  const d2 = (a, b) => at[a] && at[b] && (at[a].ci.upper < at[b].ci.lower || at[b].ci.upper < at[a].ci.lower);
  console.log(`\n| ratio (batch ${rb}, from the sweep) | value | CIs disjoint |`);
  console.log('|---|---:|---|');
  for (const m of baselines) {
    const rows = [
      [`${m}: wasm-simd-threads / cpu`, `wasm-simd-threads/${m}`, `cpu/${m}`],
      [`${m}: wasm-simd / cpu`, `wasm-simd/${m}`, `cpu/${m}`],
      [`${m}: wasm-simd / wasm (SIMD on/off)`, `wasm-simd/${m}`, `wasm/${m}`],
      [`${m}: wasm-simd-threads / wasm-simd (threads on/off)`, `wasm-simd-threads/${m}`, `wasm-simd/${m}`],
      [`${m}: webgl / cpu`, `webgl/${m}`, `cpu/${m}`],
    ];
    const sp = models.find((x) => x.startsWith(`${m}-structured`));
    for (const id of Object.keys(runs)) if (sp) rows.push([`${m}: ${sp} / baseline on ${id}`, `${id}/${sp}`, `${id}/${m}`]);
    for (const [k, a, b] of rows) if (Number.isFinite(r2(a, b))) console.log(`| ${k} | ${f(r2(a, b))} | ${d2(a, b) ? 'yes' : 'no'} |`);
  }
}

const out = opt.json ?? join(root, 'bench/results/speed.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ env, options: { ...opt, budget, sweep }, runs }, null, 1));
console.error(`\nraw results: ${out}`);
