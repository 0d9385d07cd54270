// Extracts every YAML example of the Compose specification (compose-spec/compose-spec: spec.md, build.md,
// deploy.md, develop.md, models.md) into src/labkit/docker/compose/spec-examples.json, for the validator's tests.
// An example that is a whole Compose file (its top-level keys are the specification's) is marked `document`; the
// others are fragments shown in the text. The specification is Apache-2.0 (see the fixture's header).
//
//   node scripts/oracles/containers-compose-examples.mjs <checkout of compose-spec/compose-spec>
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parse } from 'yaml';

const repo = process.argv[2];
if (!repo) throw new Error('usage: containers-compose-examples.mjs <path to a compose-spec checkout>');
const git = (...args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
const commit = git('rev-parse', 'HEAD').trim();
const TOP = new Set(['version', 'name', 'include', 'services', 'models', 'networks', 'volumes', 'secrets', 'configs']);
const examples = [];
for (const file of ['spec.md', 'build.md', 'deploy.md', 'develop.md', 'models.md']) {
  const text = git('show', `HEAD:${file}`);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```ya?ml\s*$/.test(lines[i])) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
    const yaml = lines.slice(start, end).join('\n') + '\n';
    let keys = null;
    try {
      const data = parse(yaml);
      if (data && typeof data === 'object' && !Array.isArray(data)) keys = Object.keys(data);
    } catch {
      keys = null;
    }
    const document = !!keys && keys.length > 0 && keys.every((k) => TOP.has(k) || k.startsWith('x-'));
    examples.push({ file, line: start, document, yaml });
    i = end;
  }
}
writeFileSync(
  new URL('../../src/labkit/docker/compose/spec-examples.json', import.meta.url),
  `${JSON.stringify({ source: `https://github.com/compose-spec/compose-spec (commit ${commit})`, license: 'Apache-2.0, Copyright The Compose Specification Authors', examples }, null, 1)}\n`,
);
console.log(`${examples.length} examples, ${examples.filter((e) => e.document).length} whole documents`);
