/**
 * Reads the labelled linter corpus (corpus.dockerfiles) and scores the linter on it: per rule, precision (of the
 * findings it reported, how many the labels expect) and recall (of the expected findings, how many it reported),
 * matching rule and line.
 */
import { lint } from './lint.ts';
import { RULES } from './rules.ts';

export interface CorpusEntry {
  id: string;
  dockerfile: string;
  dockerignore?: string;
  config?: string;
  /** Expected findings as `RULE:LINE`. */
  expect: string[];
}

export function parseCorpus(text: string): CorpusEntry[] {
  const entries: CorpusEntry[] = [];
  for (const block of text.split(/^=== /m).slice(1)) {
    const lines = block.split('\n');
    const id = lines.shift()!.trim();
    const expect: string[] = [];
    const ignore: string[] = [];
    const config: string[] = [];
    while (lines[0]?.startsWith('@')) {
      const header = lines.shift()!;
      const m = /^@(\w+)\s+(.*)$/.exec(header);
      if (!m) throw new Error(`${id}: bad header ${header}`);
      if (m[1] === 'expect') expect.push(...m[2]!.split(/\s+/).filter(Boolean));
      else if (m[1] === 'dockerignore') ignore.push(m[2]!);
      else if (m[1] === 'config') config.push(m[2]!);
      else throw new Error(`${id}: unknown header @${m[1]}`);
    }
    while (lines.length && !lines.at(-1)!.trim()) lines.pop();
    entries.push({ id, dockerfile: `${lines.join('\n')}\n`, ...(ignore.length ? { dockerignore: `${ignore.join('\n')}\n` } : {}), ...(config.length ? { config: `${config.join('\n')}\n` } : {}), expect });
  }
  return entries;
}

export interface RuleScore {
  rule: string;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
}

export interface CorpusScore {
  rules: RuleScore[];
  /** Every disagreement, for a test message: entry, rule:line, and which way. */
  mistakes: { id: string; finding: string; kind: 'false positive' | 'false negative' }[];
}

/** Which rule names count as one: a finding reported under a rule's code matches a label with the same code. */
export function scoreCorpus(entries: CorpusEntry[]): CorpusScore {
  const counts = new Map<string, { tp: number; fp: number; fn: number }>();
  const bump = (rule: string, key: 'tp' | 'fp' | 'fn') => {
    const c = counts.get(rule) ?? { tp: 0, fp: 0, fn: 0 };
    c[key]++;
    counts.set(rule, c);
  };
  const mistakes: CorpusScore['mistakes'] = [];
  for (const e of entries) {
    const result = lint({ dockerfile: e.dockerfile, hadolintYaml: e.config, dockerignore: e.dockerignore });
    const got = result.findings.map((f) => `${f.rule}:${f.line}`);
    const expected = [...e.expect];
    for (const g of got) {
      const k = expected.indexOf(g);
      if (k >= 0) {
        expected.splice(k, 1);
        bump(g.split(':')[0]!, 'tp');
      } else {
        bump(g.split(':')[0]!, 'fp');
        mistakes.push({ id: e.id, finding: g, kind: 'false positive' });
      }
    }
    for (const missed of expected) {
      bump(missed.split(':')[0]!, 'fn');
      mistakes.push({ id: e.id, finding: missed, kind: 'false negative' });
    }
  }
  const rules = RULES.map((r) => {
    const c = counts.get(r.code) ?? { tp: 0, fp: 0, fn: 0 };
    return {
      rule: r.code,
      truePositives: c.tp,
      falsePositives: c.fp,
      falseNegatives: c.fn,
      precision: c.tp + c.fp ? c.tp / (c.tp + c.fp) : 1,
      recall: c.tp + c.fn ? c.tp / (c.tp + c.fn) : 1,
    };
  });
  return { rules, mistakes };
}
