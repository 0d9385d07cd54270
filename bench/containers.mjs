// The containers lab's figures: the linter's precision and recall per rule on the labelled corpus, the cache
// conformance suite's agreement with the buildah fixtures, and how long the simulator takes (build, lint, OCI export)
// on this machine. Prints medians; asserts nothing.
//
//   node bench/containers.mjs          (Node 22.18+: it runs the TypeScript sources directly)
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build, emptyBuilder } from '../src/labkit/docker/build.ts';
import { hex } from '../src/labkit/docker/fs.ts';
import { lint } from '../src/labkit/docker/lint/lint.ts';
import { parseCorpus, scoreCorpus } from '../src/labkit/docker/lint/corpus.ts';
import { ociLayout } from '../src/labkit/docker/oci.ts';
import scenarios from '../labs/containers/conformance/scenarios.mjs';

const root = new URL('../', import.meta.url).pathname;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (fn, runs = 15) => {
  fn();
  const ms = [];
  for (let k = 0; k < runs; k++) {
    const t = performance.now();
    fn();
    ms.push(performance.now() - t);
  }
  return median(ms);
};

// Linter on the corpus.
const corpus = parseCorpus(readFileSync(join(root, 'src/labkit/docker/lint/corpus.dockerfiles'), 'utf8'));
const score = scoreCorpus(corpus);
console.log(`Linter: ${corpus.length} labelled Dockerfiles, ${score.rules.length} rules`);
console.log('rule | true pos. | false pos. | false neg. | precision | recall');
for (const r of score.rules) console.log(`${r.rule} | ${r.truePositives} | ${r.falsePositives} | ${r.falseNegatives} | ${r.precision.toFixed(3)} | ${r.recall.toFixed(3)}`);
const min = (k) => Math.min(...score.rules.filter((r) => r.truePositives + r.falseNegatives > 0).map((r) => r[k]));
console.log(`lowest precision ${min('precision').toFixed(3)}, lowest recall ${min('recall').toFixed(3)}\n`);

// Conformance: how many scenarios buildah confirmed.
const oracle = JSON.parse(readFileSync(join(root, 'labs/containers/conformance/buildah.json'), 'utf8'));
const differs = scenarios.filter((s) => s.buildah);
console.log(`Cache conformance: ${scenarios.length} scenarios; ${oracle.tool}; ${scenarios.length - differs.length} confirmed by buildah, ${differs.length} where buildah differs from BuildKit: ${differs.map((s) => s.id).join(', ')}\n`);

// Timing.
const files = {};
const walk = (dir, base) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, base);
    else files[relative(base, path)] = readFileSync(path, 'utf8');
  }
};
walk(join(root, 'labs/containers/project'), join(root, 'labs/containers/project'));
const solution = { ...files };
walk(join(root, 'labs/containers/solution'), join(root, 'labs/containers/solution'));
for (const [name, source] of [['starter', files], ['solution', solution]]) {
  const src = name === 'solution' ? { ...files, ...Object.fromEntries(Object.entries(solution)) } : source;
  const context = Object.entries(src).map(([path, text]) => ({ path, text, size: Buffer.byteLength(text), digest: hex(text), mode: 0o644 }));
  const request = { dockerfile: src.Dockerfile, dockerignore: src['.dockerignore'] ?? '', context, day: 1 };
  let image;
  const cold = time(() => (image = build(request, emptyBuilder()).image));
  const warmBuilder = emptyBuilder();
  build(request, warmBuilder);
  const warm = time(() => build(request, warmBuilder));
  const linted = time(() => lint({ dockerfile: src.Dockerfile, hadolintYaml: src['.hadolint.yaml'], dockerignore: src['.dockerignore'] }));
  const exported = time(() => ociLayout(image), 5);
  console.log(`${name}: build ${cold.toFixed(1)} ms (empty cache), ${warm.toFixed(1)} ms (all cached), lint ${linted.toFixed(2)} ms, OCI export ${exported.toFixed(1)} ms (median)`);
}
