/**
 * node:test and node:assert in the offline runtime against real Node 24: the same test files print the same spec
 * report (durations and Node's own stack frames left out) and end with the same exit code.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normaliseOutput } from '../../../../labs/pipeline/scenarios.ts';
import { createNodeOfflineRuntime } from '../offline-node.ts';

const normalise = (text: string, dir: string) =>
  normaliseOutput(text, dir)
    .replace(/\((\d+(\.\d+)?)ms\)/g, '(…ms)')
    .replace(/duration_ms \d+(\.\d+)?/g, 'duration_ms …')
    // Node runs a suite's tests through Promise.all: an internal frame, like its node: frames.
    .replace(/\n\s+at async Promise\.all \(index \d+\)/g, '');

async function withNode(files: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'node-test-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return await new Promise((resolve) => {
      execFile(process.execPath, ['main.test.mjs'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: normalise(stdout + stderr, dir) });
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function offline(files: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const runtime = createNodeOfflineRuntime();
  await runtime.mount(files);
  let text = '';
  const result = await runtime.run({ entry: 'main.test.mjs', env: { NO_COLOR: '1' }, timeoutMs: 20_000, onOutput: (chunk) => void (text += chunk) }).done;
  return { code: result.code, output: normalise(text.replace(/\r\n/g, '\n'), '/project') };
}

const CASES: { name: string; source: string }[] = [
  {
    name: 'passing tests and a suite',
    source: `import { test, describe, it } from 'node:test';
import assert from 'node:assert/strict';
test('adds', () => { assert.equal(1 + 1, 2); });
describe('group', () => {
  it('inner', () => { assert.deepEqual({ a: [1, 2] }, { a: [1, 2] }); });
  it('async', async () => { await new Promise((r) => setTimeout(r, 5)); assert.ok(true); });
});
`,
  },
  {
    name: 'strictEqual failures: short values, a caret, a line diff',
    source: `import { test } from 'node:test';
import assert from 'node:assert/strict';
test('numbers', () => { assert.equal(2, 3); });
test('long strings', () => { assert.equal('hello world', 'hello there'); });
test('floats', () => { assert.equal(0.1 + 0.2, 0.3); });
test('arrays', () => { assert.deepEqual([1, 2, 3], [1, 2, 4]); });
`,
  },
  {
    name: 'skip, todo, subtests, a thrown error and nested suites',
    source: `import { test, describe, it, beforeEach } from 'node:test';
import assert from 'node:assert';
describe('outer', () => {
  beforeEach(() => {});
  it('a', () => {});
  describe('inner', () => {
    it('b', () => { assert.strictEqual('x', 'y'); });
  });
});
test('with sub', async (t) => {
  await t.test('sub ok', () => {});
});
test.todo('later');
test('skip me', { skip: true }, () => {});
test('skip reason', { skip: 'not now' }, () => {});
test('throws', () => { throw new TypeError('boom'); });
`,
  },
  {
    name: 'assert.ok names the expression; match and throws',
    source: `import { test } from 'node:test';
import assert from 'node:assert/strict';
test('ok', () => { assert.ok(1 > 2); });
test('match', () => { assert.match('abc', /d/); });
test('throws', () => { assert.throws(() => {}); });
test('throws ok', () => { assert.throws(() => { throw new RangeError('r'); }, RangeError); });
`,
  },
];

describe('node:test and node:assert in the offline runtime match Node 24', () => {
  for (const c of CASES) {
    it.concurrent(c.name, async () => {
      const files = { 'main.test.mjs': c.source };
      const [node, mine] = await Promise.all([withNode(files), offline(files)]);
      expect(mine.output).toBe(node.output);
      expect(mine.code).toBe(node.code);
    }, 60_000);
  }
});
