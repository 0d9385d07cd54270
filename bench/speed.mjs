// Inference speed of the baseline models across tfjs backends, in the machine's headless Chromium.
//
//   node_modules/.bin/node bench/speed.mjs [--quick] [--budget ms] [--sweep 1,8,64,256] [--models dense,cnn]
//                                          [--backends cpu,wasm,wasm-simd,wasm-simd-threads,webgl,webgpu] [--json out.json]
//                                          [--threads N (wasm thread count; tfjs defaults to half the cores, at most 4)]
//   node_modules/.bin/node bench/speed.mjs --first [--backends …] [--models dense] [--repeat 3]
//
// It bundles bench/speed-page/ with Vite (the harness in src/labkit/bench/, the speed lab's variants and the
// self-hosted tfjs-backend-wasm binaries), serves it with COOP/COEP (so the page is cross-origin isolated and wasm
// threads work) plus public/models/, and opens a fresh page per backend variant: a wasm build (SIMD on/off, threads
// on/off) can only be chosen before the wasm module is first created in a page.
//
// Default: the float32 baseline and its structurally pruned copy (half of every hidden layer's units or filters
// removed) timed interleaved on each backend. It prints medians with 95% CIs, the threads each backend really used,
// and the ratios wasm/cpu, wasm-threads/wasm-single and structured/baseline. Ratios of medians < 1 mean the first is
// faster. Backends run one after another, so ratios across backends also carry drift between them.
//
// --first: time to first prediction of float32, uint8, 80%-sparse and structured variants, measured two ways per
// backend: all variants in one page in turn (what the lab did before: every variant after the first finds shaders
// compiled and caches warm), and each variant in a fresh page (what the lab does now). It prints the warm-up of each
// and the uint8/float32 ratio of time to first prediction on 3G and fibre, both ways. Nothing here asserts a time.
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
    first: { type: 'boolean', default: false },
    repeat: { type: 'string', default: '1' },
    budget: { type: 'string' },
    sweep: { type: 'string' },
    models: { type: 'string' },
    backends: { type: 'string', default: 'cpu,wasm,wasm-simd,wasm-simd-threads,webgl,webgpu' },
    batch: { type: 'string', default: '1' },
    json: { type: 'string' },
    timeout: { type: 'string', default: '300' },
    threads: { type: 'string', default: '' },
    'ratio-batch': { type: 'string', default: '64' },
  },
});
const budget = opt.budget ?? (opt.quick ? '1000' : '4000');
const sweep = opt.sweep ?? (opt.quick ? '' : '1,8,64,256');
const models = opt.models ?? (opt.first ? 'dense' : 'dense,cnn');

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

// 3. Fresh pages.
const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));
if (!executablePath) throw new Error('no Chromium: set CHROMIUM_PATH (this script never downloads a browser)');
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });

/** Opens a fresh page with these query parameters and returns what it measured. */
async function measure(query) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  process.stderr.write(`… ${new URLSearchParams(query).toString()}\n`);
  await page.goto(`${base}?${new URLSearchParams(query)}`);
  try {
    await page.waitForFunction(() => window.__speed, null, { timeout: Number(opt.timeout) * 1000, polling: 250 });
  } catch {
    const status = await page.textContent('#status').catch(() => '?');
    throw new Error(`${query.backend}: no result within ${opt.timeout} s (page says "${status}"; errors: ${errors.join('; ') || 'none'})`);
  }
  const r = await page.evaluate(() => window.__speed);
  await context.close();
  if (r.error) throw new Error(`${query.backend}: ${r.error}`);
  if (errors.length) process.stderr.write(`${query.backend}: page errors: ${errors.join('; ')}\n`);
  return r;
}

const f = (x, d = 3) => (Number.isFinite(x) ? Number(x.toPrecision(d)).toString() : '—');
const threads = (s) => (s.threads === null ? 'GPU' : `${s.threads} thread${s.threads === 1 ? '' : 's'}`);
const runs = {};
let env = null;
try {
  if (opt.first) await firstInference();
  else await steadyState();
} finally {
  await browser.close();
  server.close();
  rmSync(outDir, { recursive: true, force: true });
}

const out = opt.json ?? join(root, `bench/results/speed${opt.first ? '-first' : ''}.json`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ env, options: { ...opt, budget, sweep, models }, runs }, null, 1));
console.error(`\nraw results: ${out}`);

async function firstInference() {
  const kinds = ['baseline', 'uint8', 'sparse80', 'structured50'];
  const nets = { '3g': { rtt: 300, mbps: 1.6 }, fibre: { rtt: 5, mbps: 100 } }; // as src/labkit/bench/networks.ts
  const total = (r, n) => 2 * n.rtt + ((r.gzipBytes * 8) / (n.mbps * 1e6)) * 1000 + r.first.loadMs + r.first.warmupMs + r.first.firstPredictionMs;
  console.log('# Time to first prediction: variants in one page (before) against a fresh page per variant (now)\n');
  const lines = [];
  for (const id of opt.backends.split(',')) {
    for (let rep = 0; rep < Number(opt.repeat); rep++) {
      const shared = await measure({ mode: 'first', backend: id, variants: kinds.join(','), models, threads: opt.threads });
      env ??= shared.env;
      if (!shared.started.ok) {
        lines.push(`| ${id} | unavailable: ${shared.started.reason} | | | | | |`);
        break;
      }
      const fresh = [];
      for (const k of kinds) fresh.push(...(await measure({ mode: 'first', backend: id, variants: k, models, threads: opt.threads })).results);
      (runs[id] ??= []).push({ started: shared.started, shared: shared.results, fresh });
      for (const model of models.split(',')) {
        const pick = (rs, k) => rs.find((r) => r.model === model && r.variant === k);
        for (const k of kinds) {
          const s = pick(shared.results, k);
          const n = pick(fresh, k);
          const ratio = (rs, net) => (k === 'baseline' ? '' : f(total(pick(rs, k), nets[net]) / total(pick(rs, 'baseline'), nets[net])));
          lines.push(`| ${id} (${threads(shared.started)}) | ${model} ${k} | ${f(s.first.warmupMs)} | ${f(n.first.warmupMs)} | ${ratio(shared.results, '3g')} → ${ratio(fresh, '3g')} | ${ratio(shared.results, 'fibre')} → ${ratio(fresh, 'fibre')} |`);
        }
      }
    }
  }
  console.log(`- browser: ${env.userAgent}; WebGL: ${env.webgl.available ? env.webgl.unmaskedRenderer ?? env.webgl.renderer : env.webgl.reason}\n`);
  console.log('| backend | variant | warm-up ms, one page | warm-up ms, fresh page | TTFP / float32 on 3G: one page → fresh | on fibre: one page → fresh |');
  console.log('|---|---|---:|---:|---|---|');
  for (const l of lines) console.log(l);
}

async function steadyState() {
  const med = {};
  for (const id of opt.backends.split(',')) {
    const r = await measure({ mode: 'steady', backend: id, variants: 'baseline,structured50', budget, sweep, models, batch: opt.batch, threads: opt.threads });
    env ??= r.env;
    runs[id] = r;
  }
  console.log(`# Inference speed in headless Chromium\n`);
  console.log(`- browser: ${env.userAgent}`);
  console.log(`- cores: ${env.hardwareConcurrency}, crossOriginIsolated: ${env.crossOriginIsolated}, timer step: ${f(env.timer.stepMs * 1000)} µs`);
  console.log(`- tfjs ${env.tfjs}; WebGL: ${env.webgl.available ? env.webgl.unmaskedRenderer ?? env.webgl.renderer : env.webgl.reason}`);
  console.log(`- steady state: batch ${opt.batch}; baseline and structured copy interleaved round by round (labs/speed/protocol.ts STEADY), budget ${budget} ms per model`);
  console.log(`- batch sweep: each size on its own; medians below ~0.1 ms are only a few timer steps (5 µs) wide\n`);
  console.log('| backend | threads used | SIMD | model | variant | bytes | median ms | 95% CI of median | p95 ms | IQR ms | runs | stop | samples/s |');
  console.log('|---|---|---|---|---|---:|---:|---|---:|---:|---:|---|---:|');
  for (const [id, r] of Object.entries(runs)) {
    if (!r.started.ok) {
      console.log(`| ${id} | | | — | | | unavailable: ${r.started.reason} | | | | | | |`);
      continue;
    }
    for (const m of r.results) {
      const s = m.steady.summary;
      med[`${id}/${m.modelName}/${m.variant}`] = s;
      console.log(`| ${id} | ${threads(r.started)} | ${r.started.simd ?? '—'} | ${m.modelName} | ${m.variant} | ${m.bytes} | ${f(s.median)} | [${f(s.ci.lower)}, ${f(s.ci.upper)}] | ${f(s.p95)} | ${f(s.iqr)} | ${s.n} | ${m.steady.stopReason} | ${f(s.throughput, 4)} |`);
      if (m.tensors.leaked) console.log(`|  | ⚠ ${m.tensors.leaked} tensors leaked | | | | | | | | | | | |`);
    }
  }
  if (sweep) {
    console.log('\n## Batch sweep (median ms per batch / samples per second)\n');
    const sizes = sweep.split(',');
    console.log(`| backend | model | ${sizes.map((b) => `b=${b}`).join(' | ')} |`);
    console.log(`|---|---|${sizes.map(() => '---:').join('|')}|`);
    for (const [id, r] of Object.entries(runs)) {
      for (const m of (r.results ?? []).filter((x) => x.sweep.length)) console.log(`| ${id} | ${m.modelName} | ${m.sweep.map((p) => `${f(p.summary.median)} / ${f(p.summary.throughput, 4)}`).join(' | ')} |`);
    }
  }
  console.log('\n## Ratios of medians (< 1: the first is faster)\n');
  const ratio = (a, b) => (med[a] && med[b] ? med[a].median / med[b].median : NaN);
  const disjoint = (a, b) => med[a] && med[b] && (med[a].ci.upper < med[b].ci.lower || med[b].ci.upper < med[a].ci.lower);
  const lines = [];
  for (const m of models.split(',')) {
    const at = (id, v = 'baseline') => `${id}/${m}/${v}`;
    const wasmBest = ['wasm-simd-threads', 'wasm-simd', 'wasm'].find((w) => med[at(w)]);
    if (wasmBest) lines.push([`${m}: ${wasmBest} / cpu (sequential: includes drift)`, at(wasmBest), at('cpu')]);
    lines.push([`${m}: wasm-simd / wasm (SIMD on/off, sequential)`, at('wasm-simd'), at('wasm')]);
    lines.push([`${m}: wasm-simd-threads / wasm-simd (threads on/off, sequential)`, at('wasm-simd-threads'), at('wasm-simd')]);
    for (const id of Object.keys(runs)) lines.push([`${m}: structured / baseline on ${id} (interleaved)`, at(id, 'structured50'), at(id)]);
  }
  console.log(`| ratio (batch ${opt.batch}) | value | CIs disjoint |`);
  console.log('|---|---:|---|');
  for (const [k, a, b] of lines) if (Number.isFinite(ratio(a, b))) console.log(`| ${k} | ${f(ratio(a, b))} | ${disjoint(a, b) ? 'yes' : 'no'} |`);

  // The same ratios at a larger batch from the sweep, where per-call overhead and timer resolution matter less.
  const rb = Number(opt['ratio-batch']);
  if (sweep.split(',').map(Number).includes(rb)) {
    const at = {};
    for (const [id, r] of Object.entries(runs)) for (const m of r.results ?? []) {
      const p = m.sweep.find((x) => x.batchSize === rb);
      if (p) at[`${id}/${m.modelName}`] = p.summary;
    }
    const r2 = (a, b) => (at[a] && at[b] ? at[a].median / at[b].median : NaN);
    console.log(`\n| ratio (batch ${rb}, from the sweep; sequential) | value |`);
    console.log('|---|---:|');
    for (const m of models.split(',')) {
      for (const [k, a, b] of [
        [`${m}: wasm-simd-threads / cpu`, `wasm-simd-threads/${m}`, `cpu/${m}`],
        [`${m}: wasm-simd / cpu`, `wasm-simd/${m}`, `cpu/${m}`],
        [`${m}: wasm-simd / wasm (SIMD on/off)`, `wasm-simd/${m}`, `wasm/${m}`],
        [`${m}: wasm-simd-threads / wasm-simd (threads on/off)`, `wasm-simd-threads/${m}`, `wasm-simd/${m}`],
        [`${m}: webgl / cpu`, `webgl/${m}`, `cpu/${m}`],
      ]) if (Number.isFinite(r2(a, b))) console.log(`| ${k} | ${f(r2(a, b))} |`);
    }
  }
}
