/**
 * The linter's rules, written for this course from the public descriptions of hadolint's DL rules (the rule table in
 * hadolint's README and wiki) and of Docker's build checks (docs.docker.com/reference/build-checks). hadolint is
 * GPL-3.0: none of its code is used or translated here; each check below is our own reading of the one-line rule.
 * Rule codes and default severities follow the originals so that a `.hadolint.yaml` and `# hadolint ignore=` work as
 * students will meet them in CI.
 */
import { flagValue, splitWords, type Dockerfile, type Instruction, type Stage } from '../dockerfile.ts';
import { expandWord, parsePairs } from '../expand.ts';
import { isIgnored, type IgnoreRules } from '../ignore.ts';
import { aptInstall, commandsOf, hasPipe, operandsOf, pipInstall, scriptOf, type LintCommand } from './commands.ts';

export type Severity = 'error' | 'warning' | 'info' | 'style' | 'ignore';

export interface Finding {
  rule: string;
  line: number;
  column?: number;
  endColumn?: number;
  message: string;
}

export interface RuleContext {
  file: Dockerfile;
  stages: Stage[];
  globalArgs: Instruction[];
  ignore: IgnoreRules | null;
  trustedRegistries: string[];
  /** Environment variables the base images define, by image reference (for UndefinedVar). */
  baseEnv: (image: string) => string[] | undefined;
}

export interface Rule {
  code: string;
  /** Other names the same check has (Docker's build check names for hadolint rules that match one). */
  aliases?: string[];
  severity: Severity;
  /** The rule in one line. */
  title: string;
  /** Why it matters, in our words. */
  why: string;
  source: 'hadolint' | 'docker';
  url: string;
  check(ctx: RuleContext): Finding[];
}

const HADOLINT = (code: string) => `https://github.com/hadolint/hadolint/wiki/${code}`;
const DOCKER = (name: string) => `https://docs.docker.com/reference/build-checks/${name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}/`;

const runs = (ctx: RuleContext) => ctx.file.instructions.filter((i) => i.keyword === 'RUN');
const parsedCommands = new WeakMap<Instruction, LintCommand[]>();
/** The commands of a RUN, parsed once per lint run (several rules read them). */
function commands(ins: Instruction): LintCommand[] {
  let found = parsedCommands.get(ins);
  if (!found) parsedCommands.set(ins, (found = commandsOf(scriptOf(ins))));
  return found;
}
const stageOf = (ctx: RuleContext, ins: Instruction) => ctx.stages.find((s) => s.from === ins || s.body.includes(ins));
const isStageName = (ctx: RuleContext, name: string, before = Infinity) => ctx.stages.some((s) => s.name === name.toLowerCase() && s.from.line < before);

/** The image a FROM names, without its `AS name` part. */
function fromImage(ins: Instruction): string {
  return splitWords(ins.args)[0] ?? '';
}

const find = (rule: string, ins: Instruction, message: string): Finding => ({ rule, line: ins.line, message });

export const RULES: readonly Rule[] = [
  {
    code: 'DL3000',
    aliases: ['WorkdirRelativePath'],
    severity: 'error',
    title: 'Use an absolute WORKDIR',
    why: 'A relative WORKDIR is resolved against whatever directory the base image left, which can change under you.',
    source: 'hadolint',
    url: HADOLINT('DL3000'),
    check: (ctx) =>
      ctx.file.instructions
        .filter((i) => i.keyword === 'WORKDIR')
        .filter((i) => {
          const path = i.args.trim().replace(/^["']|["']$/g, '');
          return path && !path.startsWith('/') && !path.startsWith('$') && !/^[A-Za-z]:[\\/]/.test(path);
        })
        .map((i) => find('DL3000', i, `Use an absolute WORKDIR: "${i.args.trim()}" is relative.`)),
  },
  {
    code: 'DL3002',
    severity: 'warning',
    title: 'The last USER should not be root',
    why: 'A service that runs as root gives an attacker root inside the container and on any volume it mounts.',
    source: 'hadolint',
    url: HADOLINT('DL3002'),
    check: (ctx) => {
      const last = ctx.stages.at(-1);
      const users = last?.body.filter((i) => i.keyword === 'USER') ?? [];
      const final = users.at(-1);
      if (!final) return [];
      const name = final.args.trim().split(':')[0]!;
      return name === 'root' || name === '0' ? [find('DL3002', final, 'The last USER of the final stage is root: switch to an unprivileged user.')] : [];
    },
  },
  {
    code: 'DL3003',
    severity: 'warning',
    title: 'Use WORKDIR to switch to a directory',
    why: '`cd` lasts for one RUN only; WORKDIR applies to every later instruction and says where the image works.',
    source: 'hadolint',
    url: HADOLINT('DL3003'),
    check: (ctx) => runs(ctx).flatMap((i) => (commands(i).some((c) => c.name === 'cd') ? [find('DL3003', i, 'Use WORKDIR to switch to a directory instead of cd.')] : [])),
  },
  {
    code: 'DL3004',
    severity: 'error',
    title: 'Do not use sudo',
    why: 'RUN already runs as the USER you set; sudo adds a setuid binary and behaves unpredictably without a terminal.',
    source: 'hadolint',
    url: HADOLINT('DL3004'),
    check: (ctx) => runs(ctx).flatMap((i) => (commands(i).some((c) => c.name === 'sudo') ? [find('DL3004', i, 'Do not use sudo: RUN runs as USER; switch users with USER instead.')] : [])),
  },
  {
    code: 'DL3006',
    severity: 'warning',
    title: 'Always tag the version of an image explicitly',
    why: 'An untagged FROM means :latest, which points at a different image tomorrow.',
    source: 'hadolint',
    url: HADOLINT('DL3006'),
    check: (ctx) =>
      ctx.stages.flatMap((s) => {
        const image = fromImage(s.from);
        if (!image || image.toLowerCase() === 'scratch' || image.includes('$') || isStageName(ctx, image, s.from.line)) return [];
        const name = image.split('/').pop()!;
        return name.includes(':') || image.includes('@') ? [] : [find('DL3006', s.from, `Tag the image explicitly: ${image} means ${image}:latest.`)];
      }),
  },
  {
    code: 'DL3007',
    severity: 'warning',
    title: 'Using latest is prone to errors',
    why: 'latest moves whenever a new release is pushed, so two builds of the same Dockerfile get different bases.',
    source: 'hadolint',
    url: HADOLINT('DL3007'),
    check: (ctx) => ctx.stages.flatMap((s) => (/:latest(@|$)/.test(fromImage(s.from)) && !fromImage(s.from).includes('@') ? [find('DL3007', s.from, `Pin a release tag instead of latest: ${fromImage(s.from)}.`)] : [])),
  },
  {
    code: 'DL3008',
    severity: 'warning',
    title: 'Pin versions in apt-get install',
    why: 'Without versions, the same Dockerfile installs whatever the mirror has that day.',
    source: 'hadolint',
    url: HADOLINT('DL3008'),
    check: (ctx) =>
      runs(ctx).flatMap((i) => {
        const unpinned = commands(i)
          .filter((c) => c.name === 'apt-get')
          .flatMap((c) => aptInstall(c)?.packages ?? [])
          .filter((p) => !p.includes('=') && !p.endsWith('.deb') && !p.startsWith('/') && !p.startsWith('./') && !p.includes('$'));
        return unpinned.length ? [find('DL3008', i, `Pin versions in apt-get install: ${unpinned.join(', ')} (write package=version).`)] : [];
      }),
  },
  {
    code: 'DL3009',
    severity: 'info',
    title: 'Delete the apt-get lists after installing something',
    why: 'The package lists (tens of MB) stay in the layer unless the same RUN removes them.',
    source: 'hadolint',
    url: HADOLINT('DL3009'),
    check: (ctx) =>
      runs(ctx).flatMap((i) => {
        const cs = commands(i);
        const updates = cs.some((c) => c.name === 'apt-get' && operandsOf(c.args, ['o'])[0] === 'update');
        if (!updates) return [];
        const cleans = cs.some((c) => c.name === 'rm' && c.args.some((a) => /^\/var\/lib\/apt\/lists(\/|$)/.test(a)));
        const mounted = i.flags.some((f) => f.name === 'mount' && /type=cache/.test(f.value ?? '') && /target=\/var\/lib\/apt(\/lists)?\/?(,|$)/.test(f.value ?? ''));
        return cleans || mounted ? [] : [find('DL3009', i, 'Delete the apt-get lists in the same RUN: add && rm -rf /var/lib/apt/lists/*.')];
      }),
  },
  {
    code: 'DL3011',
    severity: 'error',
    title: 'Valid UNIX ports range from 0 to 65535',
    why: 'A port outside the range cannot be exposed; the build fails.',
    source: 'hadolint',
    url: HADOLINT('DL3011'),
    check: (ctx) =>
      ctx.file.instructions
        .filter((i) => i.keyword === 'EXPOSE')
        .flatMap((i) =>
          splitWords(i.args)
            .flatMap((w) => w.split('/')[0]!.split('-'))
            .filter((p) => /^\d+$/.test(p) && Number(p) > 65535)
            .slice(0, 1)
            .map((p) => find('DL3011', i, `Port ${p} is outside 0–65535.`)),
        ),
  },
  {
    code: 'DL3012',
    aliases: ['MultipleInstructionsDisallowed'],
    severity: 'error',
    title: 'Provide at most one HEALTHCHECK',
    why: 'Only the last HEALTHCHECK of a stage counts; the others mislead the reader.',
    source: 'hadolint',
    url: HADOLINT('DL3012'),
    check: (ctx) => ctx.stages.flatMap((s) => s.body.filter((i) => i.keyword === 'HEALTHCHECK').slice(1).map((i) => find('DL3012', i, 'A second HEALTHCHECK in this stage: only the last one takes effect.'))),
  },
  {
    code: 'DL3013',
    severity: 'warning',
    title: 'Pin versions in pip',
    why: 'pip install name takes the newest release of the day; pin name==version or install from a requirements file.',
    source: 'hadolint',
    url: HADOLINT('DL3013'),
    check: (ctx) =>
      runs(ctx).flatMap((i) => {
        const unpinned = commands(i)
          .flatMap((c) => {
            const p = pipInstall(c);
            return p ? operandsOf(p.args, ['r', 'requirement', 'c', 'constraint', 'i', 'index-url', 'extra-index-url', 'f', 'find-links', 'prefix', 'target', 't', 'root', 'e', 'editable']) : [];
          })
          .filter((a) => !/[=<>~!@]/.test(a) && !a.startsWith('.') && !a.startsWith('/') && !a.includes('://') && !/\.(whl|tar\.gz|zip)$/.test(a) && !a.includes('$'));
        return unpinned.length ? [find('DL3013', i, `Pin versions in pip: ${unpinned.join(', ')} (write name==version, or use a requirements file).`)] : [];
      }),
  },
  {
    code: 'DL3014',
    severity: 'warning',
    title: 'Use the -y switch with apt-get install',
    why: 'Without -y, apt-get asks for confirmation, reads nothing in a build and aborts.',
    source: 'hadolint',
    url: HADOLINT('DL3014'),
    check: (ctx) =>
      runs(ctx).flatMap((i) =>
        commands(i).some((c) => {
          const inst = c.name === 'apt-get' ? aptInstall(c) : null;
          return inst && !c.args.some((a) => a === '-y' || a === '--yes' || a === '--assume-yes' || /^-[a-z]*y[a-z]*$/.test(a) || /^-[a-z]*q[a-z]*q/.test(a) || a === '-q=2' || a === '--quiet=2');
        })
          ? [find('DL3014', i, 'Use apt-get install -y: without it apt-get stops at its question.')]
          : [],
      ),
  },
  {
    code: 'DL3015',
    severity: 'info',
    title: 'Avoid additional packages by specifying --no-install-recommends',
    why: 'apt installs recommended packages by default, often tens or hundreds of MB the service never uses.',
    source: 'hadolint',
    url: HADOLINT('DL3015'),
    check: (ctx) =>
      runs(ctx).flatMap((i) =>
        commands(i).some((c) => c.name === 'apt-get' && aptInstall(c) && !c.args.includes('--no-install-recommends') && !c.args.some((a) => /APT::Install-Recommends=(false|0)/i.test(a)))
          ? [find('DL3015', i, 'Add --no-install-recommends to apt-get install.')]
          : [],
      ),
  },
  {
    code: 'DL3020',
    severity: 'error',
    title: 'Use COPY instead of ADD for files and folders',
    why: 'ADD also fetches URLs and unpacks archives; COPY says plainly that a file is copied.',
    source: 'hadolint',
    url: HADOLINT('DL3020'),
    check: (ctx) =>
      ctx.file.instructions
        .filter((i) => i.keyword === 'ADD')
        .filter((i) => {
          const words = (i.json ?? splitWords(i.args)).slice(0, -1);
          return words.some((w) => !/^https?:\/\//.test(w) && !/\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|gz|bz2|xz)$/.test(w) && !/^git@|\.git(#|$)/.test(w) && !w.startsWith('<<'));
        })
        .map((i) => find('DL3020', i, 'Use COPY instead of ADD for files and folders.')),
  },
  {
    code: 'DL3022',
    severity: 'warning',
    title: 'COPY --from should reference a previously defined FROM alias',
    why: 'A name that is not an earlier stage is looked up as an image on a registry, which is rarely what was meant.',
    source: 'hadolint',
    url: HADOLINT('DL3022'),
    check: (ctx) =>
      ctx.file.instructions
        .filter((i) => i.keyword === 'COPY' && flagValue(i, 'from'))
        .filter((i) => {
          const from = flagValue(i, 'from')!;
          if (/[:/@]/.test(from) || from.includes('$')) return false;
          if (/^\d+$/.test(from)) return Number(from) >= ctx.stages.findIndex((s) => s.from.line > i.line || s.body.includes(i));
          return !isStageName(ctx, from, i.line);
        })
        .map((i) => find('DL3022', i, `COPY --from=${flagValue(i, 'from')} names no earlier stage.`)),
  },
  {
    code: 'DL3024',
    aliases: ['DuplicateStageName'],
    severity: 'error',
    title: 'FROM aliases (stage names) must be unique',
    why: 'Two stages with one name make --target and COPY --from ambiguous; the build fails.',
    source: 'hadolint',
    url: HADOLINT('DL3024'),
    check: (ctx) => ctx.stages.filter((s, k) => s.name && ctx.stages.slice(0, k).some((t) => t.name === s.name)).map((s) => find('DL3024', s.from, `The stage name ${s.writtenName} is used twice.`)),
  },
  {
    code: 'DL3025',
    aliases: ['JSONArgsRecommended'],
    severity: 'warning',
    title: 'Use arguments JSON notation for CMD and ENTRYPOINT',
    why: 'In shell form the process is /bin/sh, not your server: it does not get SIGTERM and cannot shut down cleanly.',
    source: 'hadolint',
    url: HADOLINT('DL3025'),
    check: (ctx) =>
      ctx.file.instructions
        .filter((i) => (i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT') && !i.json && i.args.trim())
        .map((i) => find('DL3025', i, `Write ${i.keyword} as a JSON list, e.g. ${i.keyword} ${JSON.stringify(splitWords(i.args).map((w) => expandWord(w, (n) => `$${n}`).value))}.`)),
  },
  {
    code: 'DL3026',
    severity: 'error',
    title: 'Use only an allowed registry in the FROM image',
    why: 'With trustedRegistries configured, base images must come from those registries.',
    source: 'hadolint',
    url: HADOLINT('DL3026'),
    check: (ctx) => {
      if (!ctx.trustedRegistries.length) return [];
      return ctx.stages.flatMap((s) => {
        const image = fromImage(s.from);
        if (!image || image.toLowerCase() === 'scratch' || image.includes('$') || isStageName(ctx, image, s.from.line)) return [];
        const first = image.split('/')[0]!;
        const registry = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
        const allowed = ctx.trustedRegistries.some((r) => r === registry || (r === 'docker.io' && registry === 'registry-1.docker.io') || (r.startsWith('*.') && registry.endsWith(r.slice(1))));
        return allowed ? [] : [find('DL3026', s.from, `${registry} is not one of the trusted registries (${ctx.trustedRegistries.join(', ')}).`)];
      });
    },
  },
  {
    code: 'DL3027',
    severity: 'warning',
    title: 'Do not use apt; use apt-get or apt-cache',
    why: 'apt is meant for people at a terminal: its interface and output are not stable for scripts.',
    source: 'hadolint',
    url: HADOLINT('DL3027'),
    check: (ctx) => runs(ctx).flatMap((i) => (commands(i).some((c) => c.name === 'apt') ? [find('DL3027', i, 'Use apt-get instead of apt in scripts.')] : [])),
  },
  {
    code: 'DL3042',
    severity: 'warning',
    title: 'Avoid keeping pip’s cache: use pip install --no-cache-dir',
    why: 'pip keeps every downloaded wheel under ~/.cache/pip, which then ships in the layer.',
    source: 'hadolint',
    url: HADOLINT('DL3042'),
    check: (ctx) =>
      runs(ctx).flatMap((i) => {
        const stage = stageOf(ctx, i);
        const before = stage ? stage.body.slice(0, stage.body.indexOf(i)) : [];
        const envOff = before.some((e) => e.keyword === 'ENV' && /(^|\s)PIP_NO_CACHE_DIR[=\s]/.test(e.args));
        const mounted = i.flags.some((f) => f.name === 'mount' && /type=cache/.test(f.value ?? '') && /\.cache\/pip/.test(f.value ?? ''));
        if (envOff || mounted) return [];
        return commands(i).some((c) => {
          const p = pipInstall(c);
          return p && !p.args.includes('--no-cache-dir') && !p.args.some((a) => a.startsWith('--no-cache-dir'));
        })
          ? [find('DL3042', i, 'Use pip install --no-cache-dir (or a cache mount) so the wheels do not stay in the layer.')]
          : [];
      }),
  },
  {
    code: 'DL3045',
    severity: 'warning',
    title: 'COPY to a relative destination without WORKDIR set',
    why: 'A relative destination lands in whatever directory the base image set, which can change with the base.',
    source: 'hadolint',
    url: HADOLINT('DL3045'),
    check: (ctx) => {
      const withWorkdir = new Set<string>();
      const out: Finding[] = [];
      for (const s of ctx.stages) {
        const parent = fromImage(s.from).toLowerCase();
        let has = withWorkdir.has(parent);
        for (const i of s.body) {
          if (i.keyword === 'WORKDIR') has = true;
          if (i.keyword !== 'COPY' || has) continue;
          const words = i.json ?? splitWords(i.args);
          const dest = (words.at(-1) ?? '').replace(/^["']|["']$/g, '');
          if (dest && !dest.startsWith('/') && !dest.startsWith('$') && !/^[A-Za-z]:[\\/]/.test(dest)) out.push(find('DL3045', i, `COPY to the relative destination ${dest} before any WORKDIR: set WORKDIR first or use an absolute path.`));
        }
        if (has && s.name) withWorkdir.add(s.name);
      }
      return out;
    },
  },
  {
    code: 'DL3059',
    severity: 'info',
    title: 'Multiple consecutive RUN instructions: consider consolidation',
    why: 'Each RUN is a layer; steps that belong together (install and clean up) must share one RUN to save space.',
    source: 'hadolint',
    url: HADOLINT('DL3059'),
    check: (ctx) =>
      ctx.stages.flatMap((s) =>
        s.body
          .filter((i, k) => i.keyword === 'RUN' && k > 0 && s.body[k - 1]!.keyword === 'RUN' && !i.flags.length && !s.body[k - 1]!.flags.length)
          .map((i) => find('DL3059', i, 'This RUN follows another RUN: consider joining them with &&.')),
      ),
  },
  {
    code: 'DL4000',
    aliases: ['MaintainerDeprecated'],
    severity: 'error',
    title: 'MAINTAINER is deprecated',
    why: 'Use LABEL org.opencontainers.image.authors="…" instead.',
    source: 'hadolint',
    url: HADOLINT('DL4000'),
    check: (ctx) => ctx.file.instructions.filter((i) => i.keyword === 'MAINTAINER').map((i) => find('DL4000', i, 'MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors.')),
  },
  {
    code: 'DL4003',
    aliases: ['MultipleInstructionsDisallowed'],
    severity: 'warning',
    title: 'Multiple CMD instructions found',
    why: 'Only the last CMD of a stage takes effect.',
    source: 'hadolint',
    url: HADOLINT('DL4003'),
    check: (ctx) => ctx.stages.flatMap((s) => s.body.filter((i) => i.keyword === 'CMD').slice(1).map((i) => find('DL4003', i, 'A second CMD in this stage: only the last one takes effect.'))),
  },
  {
    code: 'DL4004',
    aliases: ['MultipleInstructionsDisallowed'],
    severity: 'error',
    title: 'Multiple ENTRYPOINT instructions found',
    why: 'Only the last ENTRYPOINT of a stage takes effect.',
    source: 'hadolint',
    url: HADOLINT('DL4004'),
    check: (ctx) => ctx.stages.flatMap((s) => s.body.filter((i) => i.keyword === 'ENTRYPOINT').slice(1).map((i) => find('DL4004', i, 'A second ENTRYPOINT in this stage: only the last one takes effect.'))),
  },
  {
    code: 'DL4006',
    severity: 'warning',
    title: 'Set the SHELL option -o pipefail before RUN with a pipe in it',
    why: 'Without pipefail, `curl … | tar -x` succeeds when curl fails: only the last command’s status counts.',
    source: 'hadolint',
    url: HADOLINT('DL4006'),
    check: (ctx) =>
      ctx.stages.flatMap((s) => {
        let pipefail = false;
        const out: Finding[] = [];
        for (const i of s.body) {
          if (i.keyword === 'SHELL') pipefail = !!i.json?.some((a) => a === 'pipefail') || !!i.json?.some((a) => /pwsh|powershell|cmd/i.test(a));
          if (i.keyword !== 'RUN' || i.json || pipefail) continue;
          const script = scriptOf(i);
          if (hasPipe(script) && !/set\s+(-[a-z]*\s+)*-o\s+pipefail|set\s+-[a-z]*o\s+pipefail/.test(script)) out.push(find('DL4006', i, 'This RUN has a pipe: set SHELL ["/bin/bash", "-o", "pipefail", "-c"] before it, so a failing command in the pipe fails the build.'));
        }
        return out;
      }),
  },
  {
    code: 'DL3057',
    severity: 'ignore',
    title: 'HEALTHCHECK instruction missing',
    why: 'Without a health check, Docker and Compose cannot tell a started service from a ready one (off by default, as in hadolint).',
    source: 'hadolint',
    url: HADOLINT('DL3057'),
    check: (ctx) => {
      const last = ctx.stages.at(-1);
      if (!last || last.body.some((i) => i.keyword === 'HEALTHCHECK')) return [];
      return [find('DL3057', last.from, 'The final stage has no HEALTHCHECK.')];
    },
  },
  // ---- Docker build checks ----------------------------------------------------------------------------------
  {
    code: 'StageNameCasing',
    severity: 'warning',
    title: 'Stage names should be lowercase',
    why: 'Stage names are compared without case; writing them in lower case avoids two spellings of one name.',
    source: 'docker',
    url: DOCKER('StageNameCasing'),
    check: (ctx) => ctx.stages.filter((s) => s.writtenName && s.writtenName !== s.writtenName.toLowerCase()).map((s) => find('StageNameCasing', s.from, `Stage name "${s.writtenName}" should be lowercase.`)),
  },
  {
    code: 'FromAsCasing',
    severity: 'warning',
    title: "The 'as' keyword should match the case of the 'from' keyword",
    why: 'A consistent style: FROM … AS …, or from … as ….',
    source: 'docker',
    url: DOCKER('FromAsCasing'),
    check: (ctx) =>
      ctx.stages.flatMap((s) => {
        const words = splitWords(s.from.args);
        const as = words[1];
        if (!as || as.toLowerCase() !== 'as') return [];
        const upper = s.from.written === s.from.written.toUpperCase();
        const lower = s.from.written === s.from.written.toLowerCase();
        const mismatch = (upper && as !== as.toUpperCase()) || (lower && as !== as.toLowerCase());
        return mismatch ? [find('FromAsCasing', s.from, `'${as}' and '${s.from.written}' keywords' casing do not match.`)] : [];
      }),
  },
  {
    code: 'ConsistentInstructionCasing',
    severity: 'warning',
    title: 'All instructions should use the same casing',
    why: 'Upper-case instructions are the convention; mixing styles makes a Dockerfile harder to scan.',
    source: 'docker',
    url: DOCKER('ConsistentInstructionCasing'),
    check: (ctx) => {
      const all = ctx.file.instructions;
      const upper = all.filter((i) => i.written === i.written.toUpperCase()).length;
      const lower = all.filter((i) => i.written === i.written.toLowerCase()).length;
      const style = upper >= lower ? 'upper' : 'lower';
      return all
        .filter((i) => (style === 'upper' ? i.written !== i.written.toUpperCase() : i.written !== i.written.toLowerCase()))
        .map((i) => find('ConsistentInstructionCasing', i, `Command '${i.written}' should match the case of the other commands (${style}case).`));
    },
  },
  {
    code: 'UndefinedVar',
    severity: 'warning',
    title: 'Variables should be defined before their use',
    why: 'An undefined variable expands to an empty string, silently: a COPY or ENV then does something else.',
    source: 'docker',
    url: DOCKER('UndefinedVar'),
    check: (ctx) => {
      const out: Finding[] = [];
      for (const s of ctx.stages) {
        const base = fromImage(s.from);
        const parent = ctx.stages.find((t) => t.name === base.toLowerCase() && t.index < s.index);
        const baseEnv = parent || base.toLowerCase() === 'scratch' ? [] : ctx.baseEnv(base);
        // An image the linter does not know may define variables it cannot see: it stays silent there.
        if (!baseEnv) continue;
        const known = new Set<string>(['PATH', 'HOME', 'HOSTNAME', 'TERM', ...baseEnv]);
        if (parent) for (const i of parent.body) if (i.keyword === 'ENV' || i.keyword === 'ARG') for (const p of parsePairs(i.args, i.keyword === 'ARG').pairs) known.add(p.key);
        for (const i of s.body) {
          if (['ADD', 'COPY', 'ENV', 'EXPOSE', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR'].includes(i.keyword)) {
            const text = `${i.flags.map((f) => f.value ?? '').join(' ')} ${i.args}`;
            for (const name of undefinedIn(text, known)) out.push(find('UndefinedVar', i, `Usage of undefined variable '$${name}'${suggest(name, known)}.`));
          }
          if (i.keyword === 'ARG') for (const p of parsePairs(i.args, true).pairs) known.add(p.key);
          if (i.keyword === 'ENV') for (const p of parsePairs(i.args, false).pairs) known.add(p.key);
        }
      }
      return out;
    },
  },
  {
    code: 'UndefinedArgInFrom',
    severity: 'warning',
    title: 'FROM should use only ARGs declared before the first FROM',
    why: 'An ARG declared inside a stage is not visible in FROM lines; the image name becomes something else.',
    source: 'docker',
    url: DOCKER('UndefinedArgInFrom'),
    check: (ctx) => {
      const declared = new Set(ctx.globalArgs.flatMap((a) => parsePairs(a.args, true).pairs.map((p) => p.key)));
      for (const n of ['TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT', 'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT']) declared.add(n);
      return ctx.stages.flatMap((s) => {
        const text = `${s.from.flags.map((f) => f.value ?? '').join(' ')} ${fromImage(s.from)}`;
        return undefinedIn(text, declared).map((name) => find('UndefinedArgInFrom', s.from, `FROM argument '${name}' is not declared: add ARG ${name} before the first FROM.`));
      });
    },
  },
  {
    code: 'SecretsUsedInArgOrEnv',
    severity: 'warning',
    title: 'Sensitive data should not be used in ARG or ENV',
    why: 'ARG and ENV values are stored in the image configuration and history, readable by anyone with the image. Use RUN --mount=type=secret.',
    source: 'docker',
    url: DOCKER('SecretsUsedInArgOrEnv'),
    check: (ctx) =>
      ctx.file.instructions
        .filter((i) => i.keyword === 'ARG' || i.keyword === 'ENV')
        .flatMap((i) =>
          parsePairs(i.args, i.keyword === 'ARG')
            .pairs.filter((p) => isSensitiveName(p.key))
            .map((p) => find('SecretsUsedInArgOrEnv', i, `Do not use ${i.keyword} for sensitive data (${i.keyword} "${p.key}"): use a secret mount.`)),
        ),
  },
  {
    code: 'NoEmptyContinuation',
    severity: 'warning',
    title: 'Empty continuation lines will become errors',
    why: 'An empty line inside a backslash continuation is dropped today; Docker plans to reject it.',
    source: 'docker',
    url: DOCKER('NoEmptyContinuation'),
    check: (ctx) => ctx.file.instructions.filter((i) => i.emptyContinuations.length).map((i) => ({ rule: 'NoEmptyContinuation', line: i.emptyContinuations[0]!, message: 'Empty continuation line: remove it or end the instruction before it.' })),
  },
  {
    code: 'LegacyKeyValueFormat',
    severity: 'warning',
    title: 'Use KEY=value in ENV and LABEL',
    why: 'The old "ENV KEY value" form sets one variable per line and reads ambiguously.',
    source: 'docker',
    url: DOCKER('LegacyKeyValueFormat'),
    check: (ctx) =>
      ctx.file.instructions
        .filter((i) => (i.keyword === 'ENV' || i.keyword === 'LABEL') && parsePairs(i.args, false).pairs.some((p) => p.legacy))
        .map((i) => find('LegacyKeyValueFormat', i, `"${i.keyword} key value" should be written ${i.keyword} key=value.`)),
  },
  {
    code: 'ExposeInvalidFormat',
    severity: 'warning',
    title: 'EXPOSE takes container ports, not an IP or a host mapping',
    why: 'EXPOSE documents the ports the service listens on; publishing to the host happens at docker run -p or in Compose.',
    source: 'docker',
    url: DOCKER('ExposeInvalidFormat'),
    check: (ctx) =>
      ctx.file.instructions
        .filter((i) => i.keyword === 'EXPOSE' && splitWords(i.args).some((w) => w.includes(':')))
        .map((i) => find('ExposeInvalidFormat', i, `EXPOSE ${i.args.trim()}: write only the container port (EXPOSE 8000), map host ports when you run the container.`)),
  },
  {
    code: 'CopyIgnoredFile',
    severity: 'warning',
    title: 'COPY or ADD of a file that .dockerignore excludes',
    why: 'An excluded file is not in the build context: the COPY fails or silently copies less than you think.',
    source: 'docker',
    url: DOCKER('CopyIgnoredFile'),
    check: (ctx) => {
      if (!ctx.ignore) return [];
      return ctx.file.instructions
        .filter((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && !flagValue(i, 'from'))
        .flatMap((i) => {
          const sources = (i.json ?? splitWords(i.args)).slice(0, -1).filter((w) => !/^https?:/.test(w) && !w.startsWith('<<') && !/[*?[$]/.test(w));
          const ignored = sources.filter((src) => {
            const path = src.replace(/^\.?\/+/, '').replace(/\/+$/, '');
            return path && path !== '.' && isIgnored(ctx.ignore!, path);
          });
          return ignored.length ? [find('CopyIgnoredFile', i, `${i.keyword} names ${ignored.join(', ')}, which .dockerignore excludes from the build context.`)] : [];
        });
    },
  },
];

function undefinedIn(text: string, known: Set<string>): string[] {
  const out: string[] = [];
  // Only plain references count: ${X:-default} and ${X:+…} are defined either way.
  for (const m of text.matchAll(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(:?[-+?][^}]*)?\}|([A-Za-z_][A-Za-z0-9_]*))/g)) {
    const name = m[1] ?? m[3]!;
    const modifier = m[2];
    if (modifier && /^:?[-+]/.test(modifier)) continue;
    if (!known.has(name) && !out.includes(name)) out.push(name);
  }
  // A single-quoted part is literal in ENV/LABEL values.
  return out.filter((name) => !new RegExp(`'[^']*\\$\\{?${name}\\b[^']*'`).test(text));
}

function suggest(name: string, known: Set<string>): string {
  const close = [...known].find((k) => k !== name && (k.toLowerCase() === name.toLowerCase() || distance(k, name) <= 1));
  return close ? ` (did you mean $${close}?)` : '';
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

/** Names that look like they hold a secret: a word such as TOKEN, PASSWORD, SECRET or KEY between underscores. */
export function isSensitiveName(name: string): boolean {
  const words = name.toLowerCase().split(/[_-]+/);
  if (words.includes('public')) return false;
  return words.some((w) => ['apikey', 'auth', 'credential', 'credentials', 'key', 'password', 'pass', 'passwd', 'pword', 'secret', 'token'].includes(w));
}

export const ruleByCode = (code: string) => RULES.find((r) => r.code === code || r.aliases?.includes(code));
