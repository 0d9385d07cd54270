// Times the pipeline lab's offline runtime against real Node running the same files.
//
//   node_modules/.bin/node bench/pipeline-runtime.mjs [iterations]
//
// For each project (the starter, the step-2 solution, which runs the whole pipeline, and a program that appends
// 4,000 lines of 100 bytes to a log with fs.appendFileSync) it measures, from a fresh copy each time:
//   - node:     `node pipeline.mjs` as a child process (what WebContainers run), wall time including start-up;
//   - offline:  the offline runtime as the page uses it (a fresh worker per run: here a Node worker thread running
//               the same worker code as the browser's Web Worker), wall time including the worker's start-up.
// It prints the medians and the ratios offline / node, and writes bench/results/pipeline-runtime.json.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { projectAtStep } from '../labs/pipeline/files.node.ts';
import { createNodeOfflineRuntime } from '../src/labkit/runtime/offline-node.ts';

const iterations = Number(process.argv[2] ?? 9);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function timeNode(files) {
  const dir = mkdtempSync(join(tmpdir(), 'pipeline-bench-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const t0 = performance.now();
  try {
    execFileSync(process.execPath, ['pipeline.mjs'], { cwd: dir, stdio: 'ignore' });
  } catch {
    /* the starter exits 1: its flaky ingest fails */
  }
  const ms = performance.now() - t0;
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

async function timeOffline(files) {
  const runtime = createNodeOfflineRuntime();
  await runtime.mount(files);
  const t0 = performance.now();
  const result = await runtime.run({ entry: 'pipeline.mjs', onOutput: () => {} }).done;
  const ms = performance.now() - t0;
  if (result.reason !== 'exit') throw new Error(`offline run ended by ${result.reason}`);
  return ms;
}

const results = {};
const APPEND_LOG = `import fs from 'node:fs';\nfor (let i = 0; i < 4000; i++) fs.appendFileSync('log.txt', String(i).padStart(99, '.') + '\\n');\n`;
for (const [label, files] of [
  ['starter', projectAtStep(0)],
  ['step-2 solution (full pipeline)', projectAtStep(2)],
  ['4,000 appendFileSync lines', { 'pipeline.mjs': APPEND_LOG }],
]) {
  await timeNode(files); // warm the disk cache
  await timeOffline(files);
  const node = [];
  const offline = [];
  for (let i = 0; i < iterations; i += 1) {
    node.push(await timeNode(files));
    offline.push(await timeOffline(files));
  }
  const r = { nodeMs: median(node), offlineMs: median(offline) };
  r.ratio = r.offlineMs / r.nodeMs;
  results[label] = r;
  console.log(
    `${label}: node ${r.nodeMs.toFixed(0)} ms, offline runtime ${r.offlineMs.toFixed(0)} ms (ratio ${r.ratio.toFixed(2)})  [median of ${iterations}]`,
  );
}
const out = join(dirname(new URL(import.meta.url).pathname), 'results');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'pipeline-runtime.json'), JSON.stringify({ node: process.version, iterations, results }, null, 2) + '\n');
