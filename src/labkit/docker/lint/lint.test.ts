/**
 * The Dockerfile linter: precision and recall of every rule on the labelled corpus, the .hadolint.yaml
 * configuration, inline ignores, severities and the failure threshold, and bad input.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCorpus, scoreCorpus } from './corpus.ts';
import { lint, parseConfig } from './lint.ts';
import { RULES } from './rules.ts';

const corpus = parseCorpus(readFileSync(new URL('./corpus.dockerfiles', import.meta.url), 'utf8'));

describe('linter on the labelled corpus', () => {
  const score = scoreCorpus(corpus);

  it('has at least 100 labelled Dockerfiles, and every reported rule has positive cases', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(100);
    for (const r of RULES.filter((x) => x.severity !== 'ignore')) {
      const positives = corpus.filter((e) => e.expect.some((f) => f.startsWith(`${r.code}:`))).length;
      expect(positives, `${r.code} positive cases`).toBeGreaterThanOrEqual(2);
    }
  });

  it('reaches precision and recall of at least 0.95 for every rule', () => {
    const weak = score.rules.filter((r) => r.precision < 0.95 || r.recall < 0.95);
    expect(weak, JSON.stringify(score.mistakes, null, 1)).toEqual([]);
  });
});

describe('configuration and pragmas', () => {
  const apt = 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nCMD ["curl"]\n';

  it('reads ignored, override, failure-threshold and trustedRegistries as hadolint does', () => {
    const { config, problems } = parseConfig('ignored:\n  - DL3008\noverride:\n  error: [DL3015]\nfailure-threshold: error\ntrustedRegistries: [docker.io]\n');
    expect(problems).toEqual([]);
    expect(config).toMatchObject({ ignored: ['DL3008'], override: { error: ['DL3015'] }, failureThreshold: 'error', trustedRegistries: ['docker.io'] });
    const r = lint({ dockerfile: apt, hadolintYaml: 'ignored: [DL3008]\noverride:\n  error: [DL3015]\nfailure-threshold: error\n' });
    expect(r.findings.map((f) => `${f.rule}/${f.severity}`)).toEqual(['DL3015/error', 'DL3009/info']);
    expect(r.failing).toBe(1);
    expect(r.passed).toBe(false);
  });

  it('passes or fails by the threshold: info findings do not fail at warning', () => {
    const clean = 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8\nCMD ["curl"]\n';
    const r = lint({ dockerfile: clean, threshold: 'warning' });
    expect(r.findings.map((f) => f.rule)).toEqual(['DL3009']);
    expect(r.passed).toBe(true);
    expect(lint({ dockerfile: clean, threshold: 'info' }).passed).toBe(false);
  });

  it('applies inline and global ignores and reports what they suppressed', () => {
    const r = lint({ dockerfile: `# hadolint global ignore=DL3009\nFROM debian:bookworm-slim\n# hadolint ignore=DL3008\nRUN apt-get update && apt-get install -y curl\n` });
    expect(r.findings.map((f) => f.rule)).toEqual(['DL3015']);
    expect(r.suppressed.map((s) => `${s.rule} by ${s.by}`).sort()).toEqual(['DL3008 by # hadolint ignore', 'DL3009 by # hadolint global ignore']);
  });

  it('accepts Docker check names for the hadolint rules that match them', () => {
    const r = lint({ dockerfile: 'FROM python:3.12-slim\nCMD python app.py\n', hadolintYaml: 'ignored: [JSONArgsRecommended]\n' });
    expect(r.findings).toEqual([]);
  });

  it('makes Docker checks errors with # check=error=true', () => {
    const r = lint({ dockerfile: '# check=error=true\nFROM python:3.12-slim as build\nCMD ["python"]\n' });
    expect(r.findings.map((f) => `${f.rule}/${f.severity}`)).toEqual(['FromAsCasing/error']);
  });

  it('reports bad configuration with its line, and keeps linting', () => {
    const { problems } = parseConfig('ignored: DL3008\nfailure-threshold: loud\nstyle: x\noverride:\n  fatal: [DL3008]\n');
    expect(problems.map((p) => `${p.line}: ${p.message.split(' (')[0]}`)).toEqual([
      '1: ignored must be a list',
      '2: failure-threshold must be one of error, warning, info, style, ignore, none',
      '3: unknown key "style"',
      '5: override: "fatal" is not a severity',
    ]);
    expect(parseConfig('ignored: [\n').problems[0]?.message).toMatch(/not valid YAML/);
    expect(parseConfig('ignored: [DL9999]\n').problems[0]?.message).toMatch(/DL9999 is not a rule/);
  });

  it('never throws on text that is not a Dockerfile', () => {
    for (const text of ['', '\u0000\u0001binary', 'RUN\nCOPY\nFROM', '{"json": true}', `FROM x\nRUN ${'a '.repeat(20000)}`, 'FROM a\nRUN echo "unclosed\n']) {
      expect(() => lint({ dockerfile: text })).not.toThrow();
    }
  });
});
