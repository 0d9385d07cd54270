/**
 * The runner's expressions against GitHub's published test data (fixtures/expressions, from
 * actions/languageservices: "test cases that all implementations should pass"), and the functions the runner adds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kindStr } from '@actions/expressions/data/expressiondata';
import { replacer } from '@actions/expressions/data/replacer';
import { evaluate, evaluateJson, ExpressionProblem } from './expressions.ts';
import { hashFiles } from './files.ts';

interface Case {
  expr: string;
  contexts?: Record<string, unknown>;
  result?: { kind: string; value: unknown };
  err?: { kind: 'lexing' | 'parsing' | 'evaluation'; value: string };
  options?: { skip?: string[] };
}

const DIR = new URL('./fixtures/expressions/', import.meta.url);
const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

describe("GitHub's expression test data", () => {
  it('is all there (28 files)', () => expect(files.length).toBe(28));
  for (const file of files) {
    const groups = JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as Record<string, Case[]>;
    const cases = Object.entries(groups).flatMap(([group, list]) => list.filter((c) => !c.options?.skip?.includes('typescript')).map((c) => ({ group, ...c })));
    it(`${file}: ${cases.length} cases`, () => {
      for (const c of cases) {
        const label = `${file} ${c.group}: ${c.expr}`;
        if (c.err) {
          let message = '';
          try {
            evaluate(c.expr, c.contexts ?? {});
          } catch (error) {
            message = (error as Error).message;
          }
          expect(message, label).toContain(c.err.value);
          continue;
        }
        const result = evaluate(c.expr, c.contexts ?? {});
        expect(kindStr(result.kind), label).toBe(c.result!.kind);
        expect(JSON.stringify(result, replacer), label).toBe(JSON.stringify(c.result!.value, replacer));
      }
    });
  }
});

describe('what the runner adds', () => {
  const status = (ok: boolean) => [
    { name: 'success', minArgs: 0, maxArgs: 0, call: () => ok },
    { name: 'failure', minArgs: 0, maxArgs: 0, call: () => !ok },
    { name: 'always', minArgs: 0, maxArgs: 0, call: () => true },
  ];

  it('status functions come from the runner and combine with the language', () => {
    expect(evaluateJson("success() && github.ref == 'refs/heads/main'", { github: { ref: 'refs/heads/main' } }, status(true))).toBe(true);
    expect(evaluateJson('failure() || always()', {}, status(true))).toBe(true);
    expect(evaluateJson('SUCCESS()', {}, status(false))).toBe(false);
  });

  it('an unknown function is a parse error that says where', () => {
    expect(() => evaluate('sucess()', {}, status(true))).toThrow(ExpressionProblem);
    expect(() => evaluate('sucess()', {}, status(true))).toThrow("Unrecognized function: 'sucess'. Located at position 1 within expression: sucess()");
  });

  it('hashFiles hashes the digests of the matching files in path order, and is empty for no match', () => {
    const files = { 'data/b.csv': 'b', 'data/a.csv': 'a', 'lib/x.mjs': 'x' };
    expect(hashFiles(files, ['data/**'])).toMatch(/^[0-9a-f]{64}$/);
    expect(hashFiles(files, ['data/**'])).toBe(hashFiles({ 'data/a.csv': 'a', 'data/b.csv': 'b' }, ['data/*.csv']));
    expect(hashFiles(files, ['data/**'])).not.toBe(hashFiles({ ...files, 'data/a.csv': 'A' }, ['data/**']));
    expect(hashFiles(files, ['data/**', '!data/b.csv'])).toBe(hashFiles({ 'data/a.csv': 'a' }, ['data/**']));
    expect(hashFiles(files, ['nothing/**'])).toBe('');
  });
});
