/**
 * Lints a Dockerfile with the rules of rules.ts, configured like hadolint:
 *
 * - `.hadolint.yaml`: `ignored` (rule codes), `override` (`error`/`warning`/`info`/`style` lists that change a
 *   rule's severity), `failure-threshold` (error, warning, info, style, ignore or none), `trustedRegistries`,
 *   `no-fail`; unknown keys and wrong types are reported with their line;
 * - inline: `# hadolint ignore=DL3008,DL3015` on the line(s) right above an instruction, `# hadolint global
 *   ignore=…` anywhere, and Docker's `# check=skip=…;error=true` parser directive for the build checks.
 *
 * The result says whether the Dockerfile passes at the threshold, as `hadolint --failure-threshold` does.
 */
import { parseDocument, isMap, isSeq, isScalar, type Node } from 'yaml';
import { parseDockerfile, stagesOf } from '../dockerfile.ts';
import { parseIgnore } from '../ignore.ts';
import { findBaseImage, parseImageRef } from '../world.ts';
import { RULES, ruleByCode, type Finding, type Severity } from './rules.ts';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'style', 'ignore'];
export type Threshold = Severity | 'none';

export interface LintConfig {
  ignored: string[];
  override: Partial<Record<Exclude<Severity, 'ignore'>, string[]>>;
  failureThreshold: Threshold;
  trustedRegistries: string[];
  noFail: boolean;
}

export interface ConfigProblem {
  line: number;
  message: string;
  severity: 'error' | 'warning';
}

export const defaultConfig = (): LintConfig => ({ ignored: [], override: {}, failureThreshold: 'info', trustedRegistries: [], noFail: false });

const KNOWN_KEYS = ['ignored', 'override', 'failure-threshold', 'trustedRegistries', 'no-fail', 'no-color', 'format', 'strict-labels', 'label-schema', 'disable-ignore-pragma', 'verbose'];

/** Reads `.hadolint.yaml`; problems name the line and key, and never stop the linter. */
export function parseConfig(text: string): { config: LintConfig; problems: ConfigProblem[] } {
  const config = defaultConfig();
  const problems: ConfigProblem[] = [];
  if (!text.trim()) return { config, problems };
  const doc = parseDocument(text, { prettyErrors: false });
  const lineOf = (node: Node | null | undefined) => (node?.range ? lineAt(text, node.range[0]) : 1);
  for (const e of doc.errors) problems.push({ line: lineAt(text, e.pos[0]), message: `not valid YAML: ${e.message.split('\n')[0]}`, severity: 'error' });
  if (doc.errors.length) return { config, problems };
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { config, problems };
  if (!isMap(root)) {
    problems.push({ line: 1, message: 'the configuration must be a mapping of keys (ignored, override, failure-threshold, trustedRegistries)', severity: 'error' });
    return { config, problems };
  }
  const strings = (node: unknown, key: string): string[] => {
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) return [];
    if (!isSeq(node)) {
      problems.push({ line: lineOf(node as Node), message: `${key} must be a list`, severity: 'error' });
      return [];
    }
    return node.items.flatMap((item) => {
      if (isScalar(item) && typeof item.value === 'string') return [item.value];
      problems.push({ line: lineOf(item as Node), message: `${key}: each entry must be a string`, severity: 'error' });
      return [];
    });
  };
  const checkCodes = (codes: string[], node: unknown, key: string) => {
    for (const code of codes) {
      if (!ruleByCode(code) && !/^SC\d{4}$/.test(code)) problems.push({ line: lineOf(node as Node), message: `${key}: ${code} is not a rule this linter knows`, severity: 'warning' });
    }
  };
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value;
    const line = lineOf(pair.key as Node);
    if (!KNOWN_KEYS.includes(key)) {
      problems.push({ line, message: `unknown key "${key}" (hadolint reads ${KNOWN_KEYS.slice(0, 5).join(', ')}, …)`, severity: 'warning' });
      continue;
    }
    if (key === 'ignored') {
      config.ignored = strings(value, 'ignored');
      checkCodes(config.ignored, value, 'ignored');
    } else if (key === 'trustedRegistries') config.trustedRegistries = strings(value, 'trustedRegistries');
    else if (key === 'failure-threshold') {
      const v = isScalar(value) ? String(value.value) : '';
      if ([...SEVERITIES, 'none'].includes(v)) config.failureThreshold = v as Threshold;
      else problems.push({ line, message: `failure-threshold must be one of error, warning, info, style, ignore, none (not "${v}")`, severity: 'error' });
    } else if (key === 'no-fail') config.noFail = isScalar(value) && value.value === true;
    else if (key === 'override') {
      if (!isMap(value)) {
        problems.push({ line, message: 'override must map severities (error, warning, info, style) to lists of rules', severity: 'error' });
        continue;
      }
      for (const p of value.items) {
        const sev = isScalar(p.key) ? String(p.key.value) : '';
        if (!['error', 'warning', 'info', 'style'].includes(sev)) {
          problems.push({ line: lineOf(p.key as Node), message: `override: "${sev}" is not a severity (error, warning, info, style)`, severity: 'error' });
          continue;
        }
        const codes = strings(p.value, `override.${sev}`);
        checkCodes(codes, p.value, `override.${sev}`);
        config.override[sev as 'error'] = codes;
      }
    } else if (key === 'label-schema' || key === 'strict-labels') {
      problems.push({ line, message: `${key} is accepted but the label rules (DL3048–DL3056) are not implemented here`, severity: 'warning' });
    }
  }
  return { config, problems };
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let k = 0; k < offset && k < text.length; k++) if (text[k] === '\n') line++;
  return line;
}

export interface LintFinding extends Finding {
  severity: Severity;
  title: string;
  url: string;
  source: 'hadolint' | 'docker';
}

export interface LintResult {
  findings: LintFinding[];
  /** Findings switched off by an inline `# hadolint ignore=` or `# check=skip=` (kept for the report). */
  suppressed: (LintFinding & { by: string })[];
  configProblems: ConfigProblem[];
  threshold: Threshold;
  /** True when no finding reaches the threshold (or `no-fail`). */
  passed: boolean;
  /** The number of findings at or above the threshold. */
  failing: number;
}

const rank = (s: Threshold) => (s === 'none' ? Infinity : SEVERITIES.indexOf(s));

/** Whether a finding of severity `s` counts at threshold `t`. */
export const atOrAbove = (s: Severity, t: Threshold) => s !== 'ignore' && rank(s) <= rank(t);

export interface LintInput {
  dockerfile: string;
  hadolintYaml?: string;
  dockerignore?: string;
  /** Overrides the configuration's failure-threshold (the lab's criterion checks at "warning"). */
  threshold?: Threshold;
}

export function lint(input: LintInput): LintResult {
  const file = parseDockerfile(input.dockerfile);
  const { stages, globalArgs } = stagesOf(file);
  const { config, problems } = parseConfig(input.hadolintYaml ?? '');
  const ignore = input.dockerignore !== undefined ? parseIgnore(input.dockerignore) : null;
  const baseEnv = (image: string) => {
    const ref = parseImageRef(image);
    const base = ref && findBaseImage(ref);
    return base ? Object.keys(base.env) : undefined;
  };
  const ctx = { file, stages, globalArgs, ignore, trustedRegistries: config.trustedRegistries, baseEnv };

  // Inline pragmas.
  const global = new Set<string>();
  const byLine = new Map<number, Set<string>>();
  for (const c of file.comments) {
    const g = /^hadolint\s+global\s+ignore=([\w,\s]+)$/.exec(c.text);
    if (g) for (const code of g[1]!.split(',')) global.add(code.trim());
    const m = /^hadolint\s+ignore=([\w,\s]+)$/.exec(c.text);
    if (m) {
      // The pragma applies to the next instruction (comment lines in between are allowed).
      const next = file.instructions.find((i) => i.line > c.line);
      if (next) {
        const set = byLine.get(next.line) ?? new Set();
        for (const code of m[1]!.split(',')) set.add(code.trim());
        byLine.set(next.line, set);
      }
    }
  }
  const check = file.directives.check ?? '';
  const skip = new Set((/(?:^|;)\s*skip=([^;]*)/.exec(check)?.[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  const dockerErrors = /(?:^|;)\s*error=true/.test(check);

  const findings: LintFinding[] = [];
  const suppressed: LintResult['suppressed'] = [];
  for (const rule of RULES) {
    const names = [rule.code, ...(rule.aliases ?? [])];
    if (names.some((n) => config.ignored.includes(n))) continue;
    let severity: Severity = rule.severity;
    for (const sev of ['style', 'info', 'warning', 'error'] as const) if (names.some((n) => config.override[sev]?.includes(n))) severity = sev;
    if (rule.source === 'docker' && dockerErrors) severity = 'error';
    if (severity === 'ignore') continue;
    let found: Finding[];
    try {
      found = rule.check(ctx);
    } catch (error) {
      found = [{ rule: rule.code, line: 1, message: `the rule could not check this file: ${error instanceof Error ? error.message : String(error)}` }];
    }
    for (const f of found) {
      const full: LintFinding = { ...f, severity, title: rule.title, url: rule.url, source: rule.source };
      const inline = byLine.get(f.line);
      const instructionLine = file.instructions.find((i) => i.line <= f.line && i.endLine >= f.line)?.line;
      const inlineHere = inline ?? (instructionLine !== undefined ? byLine.get(instructionLine) : undefined);
      const by = names.find((n) => global.has(n))
        ? '# hadolint global ignore'
        : names.find((n) => inlineHere?.has(n))
          ? '# hadolint ignore'
          : rule.source === 'docker' && (skip.has('all') || names.some((n) => skip.has(n)))
            ? '# check=skip'
            : null;
      if (by) suppressed.push({ ...full, by });
      else findings.push(full);
    }
  }
  findings.sort((a, b) => a.line - b.line || SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
  const threshold = input.threshold ?? config.failureThreshold;
  const failing = findings.filter((f) => atOrAbove(f.severity, threshold)).length;
  return { findings, suppressed, configProblems: problems, threshold, passed: config.noFail && input.threshold === undefined ? true : failing === 0, failing };
}

export { RULES };
