// The CI/CD lab's reference workflow (5 jobs, a 2 × 2 matrix with an include) in the offline runtime, as the page
// runs it when WebContainers are not available: a fresh offline runtime (a worker) per job, jobs one after another.
//
//   node_modules/.bin/node bench/cicd.mjs [iterations]
//
// Each iteration runs the workflow on a push to main with an empty cache (cold), then again with the cache the
// first run filled (warm). It prints the medians, the warm run's saving, whether every run stayed within 60 s, and
// whether the runs of every iteration gave the same records (times left out) and artifact digests; it writes
// bench/results/cicd.json.
import { registerHooks } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

// @actions/workflow-parser imports its JSON schema without `with { type: 'json' }`, which Node's loader refuses
// (bundlers and Vitest accept it): say it is JSON.
registerHooks({
  load(url, context, next) {
    return next(url, url.endsWith('.json') && !context.importAttributes?.type ? { ...context, importAttributes: { ...context.importAttributes, type: 'json' } } : context);
  },
});

const { repoFiles, referenceWorkflow } = await import('../labs/cicd/files.node.ts');
const { newRepo, pushRequests, runRequest } = await import('../labs/cicd/ci.ts');
const { emptyCache } = await import('../src/labkit/ci/cache.ts');
const { comparableRun } = await import('../src/labkit/ci/record.ts');
const { createNodeOfflineRuntime } = await import('../src/labkit/runtime/offline-node.ts');

const iterations = Number(process.argv[2] ?? 3);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const files = repoFiles();
const repo = newRepo(files);
const before = repo.state.branches.main;
const commit = repo.commitFiles('main', { ...files, '.github/workflows/ci.yml': referenceWorkflow() }, 'Add the CI pipeline', 1788253300);
const [request] = await pushRequests(repo, 'main', before, commit.id);
const options = (cache) => ({ id: 1, cache, openWorkspace: async () => createNodeOfflineRuntime(), closeWorkspace: async (rt) => rt.dispose(), stepLimitMs: 60_000 });

const cold = [];
const warm = [];
const records = [];
for (let i = 0; i < iterations; i += 1) {
  const cache = emptyCache();
  let t0 = performance.now();
  const a = await runRequest(repo, request, request.workflows[0], options(cache));
  cold.push(performance.now() - t0);
  t0 = performance.now();
  const b = await runRequest(repo, request, request.workflows[0], options(cache));
  warm.push(performance.now() - t0);
  if (a.conclusion !== 'success' || b.conclusion !== 'success') {
    console.error(`iteration ${i + 1}: the runs ended ${a.conclusion} and ${b.conclusion}`);
    process.exit(1);
  }
  records.push(JSON.stringify({ run: comparableRun(a), digests: a.artifacts.map((x) => `${x.name} ${x.digest}`) }));
  console.log(`iteration ${i + 1}: cold ${(cold[i] / 1000).toFixed(1)} s, warm ${(warm[i] / 1000).toFixed(1)} s (${b.caches.filter((c) => c.hit === 'exact').length} exact cache hits)`);
}

const result = {
  machine: { cores: cpus().length, node: process.version },
  jobs: 9,
  iterations,
  coldMedianS: Number((median(cold) / 1000).toFixed(2)),
  warmMedianS: Number((median(warm) / 1000).toFixed(2)),
  warmSavingPercent: Number((100 * (1 - median(warm) / median(cold))).toFixed(1)),
  slowestS: Number((Math.max(...cold, ...warm) / 1000).toFixed(2)),
  withinSixtySeconds: Math.max(...cold, ...warm) <= 60_000,
  sameRecordEveryIteration: records.every((r) => r === records[0]),
};
console.log(JSON.stringify(result, null, 2));
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/cicd.json', import.meta.url), JSON.stringify(result, null, 2) + '\n');
