/**
 * Matrix expansion against GitHub's documentation ("Running variations of jobs in a workflow": every example there)
 * and further fixtures for the rules of its MatrixBuilder: include-only, partial exclude, an include that would
 * overwrite an original value, values compared as the expression language compares them, the 256-job limit.
 */
import { describe, expect, it } from 'vitest';
import type { Json } from './expressions.ts';
import { expandMatrix, MAX_MATRIX_JOBS, MatrixError } from './matrix.ts';

const combos = (matrix: Json) => expandMatrix(matrix).map((c) => c.matrix);

describe("the examples in GitHub's documentation", () => {
  it('a single-dimension matrix: one job per value', () => {
    expect(combos({ version: [10, 12, 14] })).toEqual([{ version: 10 }, { version: 12 }, { version: 14 }]);
  });

  it('a multi-dimension matrix: every combination, the last variable changing fastest', () => {
    expect(combos({ os: ['ubuntu-22.04', 'ubuntu-20.04'], version: [10, 12, 14] })).toEqual([
      { os: 'ubuntu-22.04', version: 10 },
      { os: 'ubuntu-22.04', version: 12 },
      { os: 'ubuntu-22.04', version: 14 },
      { os: 'ubuntu-20.04', version: 10 },
      { os: 'ubuntu-20.04', version: 12 },
      { os: 'ubuntu-20.04', version: 14 },
    ]);
  });

  it('version × os: six jobs in the documented order', () => {
    expect(combos({ version: [10, 12, 14], os: ['ubuntu-latest', 'windows-latest'] })).toEqual([
      { version: 10, os: 'ubuntu-latest' },
      { version: 10, os: 'windows-latest' },
      { version: 12, os: 'ubuntu-latest' },
      { version: 12, os: 'windows-latest' },
      { version: 14, os: 'ubuntu-latest' },
      { version: 14, os: 'windows-latest' },
    ]);
  });

  it('expanding or adding configurations: the fruit and animal example gives its six jobs', () => {
    const result = combos({
      fruit: ['apple', 'pear'],
      animal: ['cat', 'dog'],
      include: [{ color: 'green' }, { color: 'pink', animal: 'cat' }, { fruit: 'apple', shape: 'circle' }, { fruit: 'banana' }, { fruit: 'banana', animal: 'cat' }],
    });
    expect(result).toEqual([
      { fruit: 'apple', animal: 'cat', color: 'pink', shape: 'circle' },
      { fruit: 'apple', animal: 'dog', color: 'green', shape: 'circle' },
      { fruit: 'pear', animal: 'cat', color: 'pink' },
      { fruit: 'pear', animal: 'dog', color: 'green' },
      { fruit: 'banana' },
      { fruit: 'banana', animal: 'cat' },
    ]);
  });

  it('expanding configurations: npm 6 only for windows-latest with node 16', () => {
    expect(combos({ os: ['windows-latest', 'ubuntu-latest'], node: [14, 16], include: [{ os: 'windows-latest', node: 16, npm: 6 }] })).toEqual([
      { os: 'windows-latest', node: 14 },
      { os: 'windows-latest', node: 16, npm: 6 },
      { os: 'ubuntu-latest', node: 14 },
      { os: 'ubuntu-latest', node: 16 },
    ]);
  });

  it('adding configurations: nine combinations and one more for windows-latest with version 17', () => {
    const result = combos({ os: ['macos-latest', 'windows-latest', 'ubuntu-latest'], version: [12, 14, 16], include: [{ os: 'windows-latest', version: 17 }] });
    expect(result).toHaveLength(10);
    expect(result.at(-1)).toEqual({ os: 'windows-latest', version: 17 });
  });

  it('no matrix variables: every include runs', () => {
    expect(combos({ include: [{ site: 'production', datacenter: 'site-a' }, { site: 'staging', datacenter: 'site-b' }] })).toEqual([
      { site: 'production', datacenter: 'site-a' },
      { site: 'staging', datacenter: 'site-b' },
    ]);
  });

  it('excluding configurations: twelve combinations less three', () => {
    const result = combos({
      os: ['macos-latest', 'windows-latest'],
      version: [12, 14, 16],
      environment: ['staging', 'production'],
      exclude: [{ os: 'macos-latest', version: 12, environment: 'production' }, { os: 'windows-latest', version: 16 }],
    });
    expect(result).toHaveLength(9);
    expect(result).not.toContainEqual({ os: 'macos-latest', version: 12, environment: 'production' });
    expect(result.filter((c) => c.os === 'windows-latest' && c.version === 16)).toEqual([]);
  });
});

interface Fixture {
  name: string;
  matrix: Json;
  expected: Record<string, Json>[] | { error: RegExp };
  origins?: string[];
  names?: string[][];
}

const FIXTURES: Fixture[] = [
  { name: 'include only, one entry', matrix: { include: [{ a: 1 }] }, expected: [{ a: 1 }], origins: ['added'] },
  { name: 'partial exclude: one key removes a whole row', matrix: { a: [1, 2], b: ['x', 'y'], exclude: [{ a: 2 }] }, expected: [{ a: 1, b: 'x' }, { a: 1, b: 'y' }] },
  {
    name: 'an include that would overwrite an original value becomes a job of its own',
    matrix: { os: ['linux'], node: [20], include: [{ os: 'linux', node: 22 }] },
    expected: [{ os: 'linux', node: 20 }, { os: 'linux', node: 22 }],
    origins: ['product', 'added'],
  },
  {
    name: 'a later include overwrites a value an earlier include added',
    matrix: { os: ['linux', 'mac'], include: [{ shell: 'bash' }, { os: 'mac', shell: 'zsh' }] },
    expected: [{ os: 'linux', shell: 'bash' }, { os: 'mac', shell: 'zsh' }],
    origins: ['extended', 'extended'],
  },
  {
    name: 'an include matching an original combination exactly, with no extra values, adds nothing',
    matrix: { a: [1, 2], include: [{ a: 2 }] },
    expected: [{ a: 1 }, { a: 2 }],
    origins: ['product', 'product'],
  },
  {
    name: 'include can add back a combination that exclude removed',
    matrix: { a: [1, 2], b: [1, 2], exclude: [{ a: 2, b: 2 }], include: [{ a: 2, b: 2 }] },
    expected: [{ a: 1, b: 1 }, { a: 1, b: 2 }, { a: 2, b: 1 }, { a: 2, b: 2 }],
    origins: ['product', 'product', 'product', 'added'],
  },
  { name: 'strings compare without regard to case in exclude', matrix: { os: ['Ubuntu', 'Windows'], exclude: [{ os: 'ubuntu' }] }, expected: [{ os: 'Windows' }] },
  { name: 'a number and its string compare equal', matrix: { version: [12, 14], exclude: [{ version: '12' }] }, expected: [{ version: 14 }] },
  {
    name: 'object values: an exclude matches on the leaves it names',
    matrix: { cfg: [{ node: 20, npm: 10 }, { node: 22, npm: 10 }], exclude: [{ cfg: { node: 22 } }] },
    expected: [{ cfg: { node: 20, npm: 10 } }],
  },
  {
    name: 'object values: an include adds to the combinations whose object matches',
    matrix: { cfg: [{ node: 20 }, { node: 22 }], include: [{ cfg: { node: 22 }, experimental: true }] },
    expected: [{ cfg: { node: 20 } }, { cfg: { node: 22 }, experimental: true }],
    names: [['20'], ['22']],
  },
  {
    name: 'two includes on the same combination both add their values',
    matrix: { a: [1, 2], include: [{ a: 1, x: 'p' }, { a: 1, y: 'q' }] },
    expected: [{ a: 1, x: 'p', y: 'q' }, { a: 2 }],
  },
  {
    name: 'an include with no vector key applies to every combination',
    matrix: { a: [1, 2, 3], include: [{ tag: 'all' }] },
    expected: [{ a: 1, tag: 'all' }, { a: 2, tag: 'all' }, { a: 3, tag: 'all' }],
  },
  {
    name: 'exclude removes everything: only the includes run',
    matrix: { a: [1], exclude: [{ a: 1 }], include: [{ a: 5, z: true }] },
    expected: [{ a: 5, z: true }],
  },
  {
    name: 'the 2 × 2 training matrix of the lab with its include',
    matrix: { seed: [1, 2], config: ['fast', 'steady'], include: [{ seed: 3, config: 'fast' }] },
    expected: [
      { seed: 1, config: 'fast' },
      { seed: 1, config: 'steady' },
      { seed: 2, config: 'fast' },
      { seed: 2, config: 'steady' },
      { seed: 3, config: 'fast' },
    ],
    names: [['1', 'fast'], ['1', 'steady'], ['2', 'fast'], ['2', 'steady'], ['3', 'fast']],
  },
  {
    name: 'job names leave out empty strings and nulls, and spell booleans',
    matrix: { flag: [true, false], label: [''], extra: [null] },
    expected: [{ flag: true, label: '', extra: null }, { flag: false, label: '', extra: null }],
    names: [['true'], ['false']],
  },
  { name: 'three vectors: 2 × 3 × 2', matrix: { a: [1, 2], b: [1, 2, 3], c: ['x', 'y'] }, expected: Array.from({ length: 12 }, (_, i) => ({ a: 1 + Math.floor(i / 6), b: 1 + (Math.floor(i / 2) % 3), c: i % 2 ? 'y' : 'x' })) },
  {
    name: 'several exclude entries, some matching nothing',
    matrix: { a: [1, 2, 3], exclude: [{ a: 2 }, { a: 9 }] },
    expected: [{ a: 1 }, { a: 3 }],
  },
  {
    name: 'an include whose vector key matches but whose extra key collides with nothing adds to that row only',
    matrix: { os: ['linux', 'mac'], arch: ['x64', 'arm64'], include: [{ os: 'mac', arch: 'arm64', native: true }] },
    expected: [{ os: 'linux', arch: 'x64' }, { os: 'linux', arch: 'arm64' }, { os: 'mac', arch: 'x64' }, { os: 'mac', arch: 'arm64', native: true }],
  },
  { name: 'an empty vector is an error', matrix: { a: [] }, expected: { error: /Matrix vector 'a' does not contain any values/ } },
  { name: 'a vector that is not a list is an error', matrix: { a: 1 }, expected: { error: /Matrix vector 'a' must be a list/ } },
  { name: 'an exclude key that is not a vector is an error', matrix: { a: [1], exclude: [{ b: 1 }] }, expected: { error: /Matrix exclude key 'b' does not match any key within the matrix/ } },
  { name: 'an empty include entry is an error', matrix: { a: [1], include: [{}] }, expected: { error: /Matrix include mapping does not contain any values/ } },
  { name: 'an empty exclude entry is an error', matrix: { a: [1], exclude: [{}] }, expected: { error: /Matrix exclude filter must not be empty/ } },
  { name: 'no vectors and no includes is an error', matrix: {}, expected: { error: /at least one vector/ } },
  { name: 'more than 256 jobs is an error', matrix: { a: Array.from({ length: 16 }, (_, i) => i), b: Array.from({ length: 17 }, (_, i) => i) }, expected: { error: /more than 256 jobs \(its vectors alone make 272 combinations\)/ } },
  {
    name: 'excluded combinations do not count towards the limit',
    matrix: { a: Array.from({ length: 16 }, (_, i) => i), b: Array.from({ length: 17 }, (_, i) => i), exclude: [{ b: 16 }] },
    expected: Array.from({ length: 256 }, (_, i) => ({ a: Math.floor(i / 16), b: i % 16 })),
  },
  {
    name: 'an include beyond 256 jobs is an error',
    matrix: { a: Array.from({ length: 16 }, (_, i) => i), b: Array.from({ length: 16 }, (_, i) => i), include: [{ a: 99 }] },
    expected: { error: /more than 256 jobs/ },
  },
];

describe('further fixtures', () => {
  it('there are at least 20 of them', () => expect(FIXTURES.length).toBeGreaterThanOrEqual(20));
  for (const f of FIXTURES) {
    it(f.name, () => {
      if ('error' in f.expected) {
        expect(() => expandMatrix(f.matrix)).toThrow(MatrixError);
        expect(() => expandMatrix(f.matrix)).toThrow(f.expected.error);
        return;
      }
      const result = expandMatrix(f.matrix);
      expect(result.map((c) => c.matrix)).toEqual(f.expected);
      if (f.origins) expect(result.map((c) => c.origin)).toEqual(f.origins);
      if (f.names) expect(result.map((c) => c.segments)).toEqual(f.names);
      expect(result.length).toBeLessThanOrEqual(MAX_MATRIX_JOBS);
    });
  }
});
