/**
 * Package managers and downloads in the simulated world: apt-get/apt, apk, pip (also `python -m pip`), venv,
 * curl and wget. They read what the image holds (package lists, installed packages, the interpreter a `pip` on the
 * PATH belongs to), print what the real tools print for the usual mistakes, and write bundles into the file system.
 */
import { bundle, dir, ensureParents, entriesUnder, file, normalize, type Entry, type Tool } from './fs.ts';
import { fail, findCommand, options, say, type Command, type CommandResult, type Machine } from './machine.ts';
import {
  APT_LISTS_SIZE,
  findDownload,
  findNpmPackage,
  findOsPackage,
  findPyPackage,
  onDay,
  releasedBy,
  type OsPackage,
  type PyPackage,
  type PyVersion,
} from './world.ts';

// ---------------------------------------------------------------------------------------------------------------
// Debian and Ubuntu: apt-get

export const APT_LISTS = '/var/lib/apt/lists';
export const APT_DIR = '/usr/share/sim-apt';

/** The day of the package lists in the image (from the last `apt-get update` that ran in it), or null. */
export function listsDay(m: Pick<Machine, 'fs'>): number | null {
  const origin = m.fs.get(`${APT_LISTS}/index`)?.origin;
  return origin?.startsWith('apt-lists:') ? Number(origin.slice('apt-lists:'.length)) : null;
}

export const installedOs = (m: Pick<Machine, 'fs'>, name: string) => m.fs.get(`${APT_DIR}/${name}`);

export function osPackageEntries(p: OsPackage, version: string, sized: boolean): [string, Entry][] {
  const out: [string, Entry][] = [[`${APT_DIR}/${p.name}`, bundle(`${p.name} ${version} (${p.distros?.includes('alpine') ? 'apk' : 'apt'})`, sized ? p.size : 0, `os:${p.name}=${version}`, { origin: `os:${p.name}=${version}` })]];
  // Debian's own Python: an interpreter and a pip that install into /usr (refused by PEP 668 outside a venv).
  const debianPython = { version: '3.11.2', prefix: '/usr' };
  const toolOf = (prog: string): Tool =>
    p.name === 'python3' ? { kind: 'python', ...debianPython } : p.name === 'python3-pip' ? { kind: 'pip', ...debianPython } : { kind: 'program', name: prog };
  const programs = p.name === 'python3' ? ['python3', 'python3.11'] : p.name === 'python3-pip' ? ['pip3', 'pip'] : (p.provides ?? []);
  for (const prog of programs) out.push([`/usr/bin/${prog}`, { ...file('', { mode: 0o755 }), digest: `program:${prog}:${version}`, tool: toolOf(prog), origin: `os:${p.name}=${version}` }]);
  return out;
}

function osInstall(m: Machine, names: string[], o: { yes: boolean; recommends: boolean; manager: 'apt' | 'apk'; listsAt: number | null }): CommandResult {
  const requested: { p: OsPackage; pinned?: string }[] = [];
  for (const spec of names) {
    const [name = '', pinned] = spec.split('=');
    const p = findOsPackage(name, m.distro);
    if (!p || o.listsAt === null) {
      if (o.manager === 'apk') return fail(m, `ERROR: unable to select packages:\n  ${name} (no such package):\n    required by: world[${name}]`, 1);
      return fail(m, `E: Unable to locate package ${name}`, 100);
    }
    if (pinned !== undefined) {
      const listed = onDay(p.versions, o.listsAt);
      if (listed !== pinned) return fail(m, `E: Version '${pinned}' for '${name}' was not found`, 100);
    }
    requested.push({ p, pinned });
  }
  // Dependencies (and recommended packages, which apt installs by default), not yet installed.
  const plan = new Map<string, OsPackage>();
  const visit = (p: OsPackage) => {
    if (plan.has(p.name)) return;
    const current = installedOs(m, p.name);
    const version = onDay(p.versions, o.listsAt!)!;
    if (current?.origin === `os:${p.name}=${version}`) return;
    plan.set(p.name, p);
    for (const d of [...(p.depends ?? []), ...(o.recommends ? (p.recommends ?? []) : [])]) {
      const dep = findOsPackage(d, m.distro);
      if (dep) visit(dep);
    }
  };
  for (const r of requested) visit(r.p);
  for (const r of requested) if (!plan.has(r.p.name)) say(m, `${r.p.name} is already the newest version (${onDay(r.p.versions, o.listsAt!)}).`);
  if (!plan.size) {
    say(m, '0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.');
    return { code: 0 };
  }
  const extra = [...plan.keys()].filter((n) => !requested.some((r) => r.p.name === n));
  const total = [...plan.values()].reduce((n, p) => n + p.size, 0);
  if (o.manager === 'apt') {
    if (extra.length) say(m, `The following additional packages will be installed:\n  ${extra.join(' ')}`);
    say(m, `0 upgraded, ${plan.size} newly installed, 0 to remove and 0 not upgraded.`);
    say(m, `After this operation, ${(total / 1e6).toFixed(1)} MB of additional disk space will be used.`);
    if (!o.yes && extra.length) return fail(m, 'Do you want to continue? [Y/n] Abort.', 1);
  }
  // The mirror serves only the current version: lists from an older day name versions that are gone.
  for (const p of plan.values()) {
    const listed = onDay(p.versions, o.listsAt!)!;
    const served = onDay(p.versions, m.day)!;
    if (listed !== served) {
      return fail(m, `E: Failed to fetch http://deb.debian.org/debian-security/pool/updates/main/${p.name[0]}/${p.name}/${p.name}_${listed}_amd64.deb  404  Not Found\nE: Unable to fetch some archives, maybe run apt-get update or try with --fix-missing?`, 100);
    }
  }
  for (const p of plan.values()) {
    const version = onDay(p.versions, o.listsAt!)!;
    for (const [path, entry] of osPackageEntries(p, version, true)) {
      ensureParents(m.fs, path);
      m.fs.set(path, entry);
    }
    m.seconds += 0.4 + p.download / 20e6 + p.size / 100e6;
    say(m, `Setting up ${p.name} (${version}) ...`);
  }
  return { code: 0 };
}

export const aptGet: Command = (m, args) => {
  const { flags, operands } = options(args, ['o', 'c', 't']);
  const [sub, ...names] = operands;
  // Quiet level 2 (-qq) implies -y (apt-get(8)).
  const yes = flags.has('y') || flags.has('yes') || flags.has('assume-yes') || args.some((a) => /^-[a-z]*q[a-z]*q/.test(a) || a === '-q=2');
  switch (sub) {
    case 'update': {
      const size = APT_LISTS_SIZE[m.distro];
      ensureParents(m.fs, `${APT_LISTS}/index`);
      m.fs.set(APT_LISTS, dir());
      m.fs.set(`${APT_LISTS}/index`, bundle(`apt package lists of day ${m.day}`, size, `lists:${m.distro}:${m.day}`, { kind: 'file', origin: `apt-lists:${m.day}` }));
      say(m, `Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]\nFetched ${(size / 1e6).toFixed(1)} MB in 4s\nReading package lists...`);
      m.seconds += 4 + size / 10e6;
      return { code: 0 };
    }
    case 'install':
      return osInstall(m, names, { yes, recommends: !flags.has('no-install-recommends'), manager: 'apt', listsAt: listsDay(m) });
    case 'upgrade':
    case 'dist-upgrade': {
      const at = listsDay(m);
      if (at === null) return { code: 0 };
      const outdated = [...m.fs.entries()].filter(([p, e]) => p.startsWith(`${APT_DIR}/`) && e.origin).flatMap(([, e]) => {
        const [name = '', version] = e.origin!.slice(3).split('=');
        const pkg = findOsPackage(name, m.distro);
        return pkg && onDay(pkg.versions, at) !== version ? [pkg.name] : [];
      });
      return outdated.length ? osInstall(m, outdated, { yes, recommends: false, manager: 'apt', listsAt: at }) : { code: 0 };
    }
    case 'remove':
    case 'purge':
    case 'autoremove':
      for (const name of names) {
        for (const [p] of [...m.fs.entries()].filter(([, e]) => e.origin?.startsWith(`os:${name}=`))) m.fs.delete(p);
      }
      return { code: 0 };
    case 'clean':
    case 'autoclean':
      return { code: 0 };
    case undefined:
      return fail(m, 'E: Invalid operation', 100);
    default:
      m.notModelled.push(`apt-get ${sub}`);
      return { code: 0 };
  }
};

export const apk: Command = (m, args) => {
  const { flags, operands } = options(args, ['t', 'virtual', 'repository', 'X']);
  const [sub, ...names] = operands;
  const index = '/var/cache/apk/APKINDEX.tar.gz';
  const writeIndex = () => {
    ensureParents(m.fs, index);
    m.fs.set(index, bundle(`apk index of day ${m.day}`, 2.4e6, `apk-index:${m.day}`, { kind: 'file', origin: `apt-lists:${m.day}` }));
    m.seconds += 1.5;
  };
  if (sub === 'update') {
    writeIndex();
    return { code: 0 };
  }
  if (sub === 'add') {
    const noCache = flags.has('no-cache');
    if ((flags.has('update') || flags.has('U')) && !noCache) writeIndex();
    const cached = m.fs.get(index)?.origin;
    const listsAt = noCache ? m.day : cached ? Number(cached.slice('apt-lists:'.length)) : null;
    return osInstall(m, names, { yes: true, recommends: false, manager: 'apk', listsAt });
  }
  if (sub === 'del') {
    for (const name of names) for (const [p] of [...m.fs.entries()].filter(([, e]) => e.origin?.startsWith(`os:${name}=`))) m.fs.delete(p);
    return { code: 0 };
  }
  m.notModelled.push(`apk ${args.join(' ')}`);
  return { code: 0 };
};

// ---------------------------------------------------------------------------------------------------------------
// Python: pip and venv

interface PyEnv {
  version: string;
  minor: string;
  prefix: string;
  site: string;
  bin: string;
  /** The interpreter is Debian's own: PEP 668 refuses installs outside a virtual environment. */
  managed: boolean;
}

const minorOf = (version: string) => version.split('.').slice(0, 2).join('.');

export function envOfTool(tool: Extract<Tool, { prefix: string }>): PyEnv {
  const minor = minorOf(tool.version);
  const managed = tool.prefix === '/usr';
  return { version: tool.version, minor, prefix: tool.prefix, site: managed ? `/usr/lib/python3/dist-packages` : `${tool.prefix}/lib/python${minor}/site-packages`, bin: `${tool.prefix}/bin`, managed };
}

/** The comparison of two version strings (numeric parts compared as numbers). */
export function compareVersions(a: string, b: string): number {
  const parts = (s: string) => s.split(/[.+-]/).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  const x = parts(a);
  const y = parts(b);
  for (let k = 0; k < Math.max(x.length, y.length); k++) {
    const p = x[k] ?? 0;
    const q = y[k] ?? 0;
    if (p === q) continue;
    if (typeof p === 'number' && typeof q === 'number') return p - q;
    return String(p) < String(q) ? -1 : 1;
  }
  return 0;
}

function satisfies(version: string, spec: string): boolean {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .every((clause) => {
      const m = /^(===|==|!=|~=|>=|<=|>|<)\s*(.+)$/.exec(clause);
      if (!m) return true;
      const [, op, target] = m as unknown as [string, string, string];
      if (target.endsWith('.*')) {
        const prefix = target.slice(0, -2);
        const match = version === prefix || version.startsWith(`${prefix}.`);
        return op === '!=' ? !match : match;
      }
      const c = compareVersions(version, target);
      switch (op) {
        case '==':
        case '===':
          return c === 0;
        case '!=':
          return c !== 0;
        case '>=':
          return c >= 0;
        case '<=':
          return c <= 0;
        case '>':
          return c > 0;
        case '<':
          return c < 0;
        default: {
          // ~=X.Y.Z means >=X.Y.Z, ==X.Y.*
          const base = target.split('.');
          return c >= 0 && version.split('.').slice(0, base.length - 1).join('.') === base.slice(0, -1).join('.');
        }
      }
    });
}

interface Requirement {
  name: string;
  spec: string;
  line: string;
}

function parseRequirement(text: string): Requirement | string | null {
  const line = text.replace(/\s+#.*$/, '').replace(/\s*;.*$/, '').trim();
  if (!line || line.startsWith('#')) return null;
  if (line.startsWith('-')) return null;
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(.*?)(\s+--hash=.*)?$/.exec(line);
  if (!m) return `Invalid requirement: '${line}'`;
  return { name: m[1]!, spec: m[3]!.trim(), line };
}

function readRequirements(m: Machine, path: string, seen: Set<string>): Requirement[] | string {
  const full = normalize(path, m.cwd);
  if (seen.has(full)) return [];
  seen.add(full);
  const entry = m.fs.get(full);
  if (!entry || entry.kind === 'dir') return `ERROR: Could not open requirements file: [Errno 2] No such file or directory: '${path}'`;
  if (entry.text === undefined) return `ERROR: the simulator cannot read ${path}: its bytes are not known here`;
  const out: Requirement[] = [];
  for (const raw of entry.text.split('\n')) {
    const nested = /^\s*(?:-r|--requirement)[\s=]+(\S+)/.exec(raw);
    if (nested) {
      const inner = readRequirements(m, normalize(nested[1]!, full.slice(0, full.lastIndexOf('/')) || '/'), seen);
      if (typeof inner === 'string') return inner;
      out.push(...inner);
      continue;
    }
    const r = parseRequirement(raw);
    if (typeof r === 'string') return `ERROR: ${r}`;
    if (r) out.push(r);
  }
  return out;
}

const distInfo = (env: PyEnv, p: PyPackage, version: string) => `${env.site}/${p.name.replace(/-/g, '_')}-${version}.dist-info`;

export function installedPy(m: Pick<Machine, 'fs'>, site: string, p: PyPackage): string | null {
  const prefix = `${site}/${p.name.replace(/-/g, '_')}-`;
  for (const path of m.fs.keys()) if (path.startsWith(prefix) && path.endsWith('.dist-info')) return path.slice(prefix.length, -'.dist-info'.length);
  return null;
}

export function pyPackageEntries(env: PyEnv, p: PyPackage, version: string, sized: boolean, owner: { uid: number; gid: number }): [string, Entry][] {
  const out: [string, Entry][] = [];
  const identity = `py:${p.name}=${version}:${env.minor}`;
  p.imports.forEach((name, k) => out.push([`${env.site}/${name}`, bundle(`${p.name} ${version} (pip)`, k === 0 && sized ? p.size : 0, `${identity}:${name}`, { ...owner, origin: identity })]));
  out.push([distInfo(env, p, version), dir({ ...owner, origin: identity })]);
  for (const script of p.scripts ?? []) {
    out.push([`${env.bin}/${script}`, { ...file(`#!${env.bin}/python\n# ${script} from ${p.name} ${version}\n`, { ...owner, mode: 0o755 }), tool: { kind: 'script', module: script, prefix: env.prefix, version: env.version }, origin: identity }]);
  }
  return out;
}

function removePy(m: Machine, env: PyEnv, p: PyPackage, version: string): void {
  const identity = `py:${p.name}=${version}:${env.minor}`;
  for (const [path, e] of [...m.fs.entries()]) if (e.origin === identity && (path.startsWith(env.site) || path.startsWith(env.bin))) m.fs.delete(path);
}

function pickVersion(p: PyPackage, spec: string, day: number): PyVersion | undefined {
  const candidates = releasedBy(p, day).filter((x) => satisfies(x.version, spec));
  return candidates.sort((a, b) => compareVersions(a.version, b.version)).at(-1);
}

const truthy = (v: string | undefined) => v !== undefined && !['0', 'false', 'no', 'off', ''].includes(v.toLowerCase());

function pipInstall(m: Machine, tool: Extract<Tool, { kind: 'pip' }>, args: string[]): CommandResult {
  const { flags, operands } = options(args, ['r', 'requirement', 'c', 'constraint', 'i', 'index-url', 'extra-index-url', 'f', 'find-links', 'prefix', 'target', 't', 'root', 'only-binary', 'no-binary', 'progress-bar']);
  const requirementFiles = args.flatMap((a, k) => (a === '-r' || a === '--requirement' ? [args[k + 1]!] : a.startsWith('--requirement=') ? [a.slice(14)] : a.startsWith('-r') && a.length > 2 ? [a.slice(2)] : []));
  let env = envOfTool(tool);
  const prefix = flags.get('prefix');
  const target = (flags.get('target') ?? flags.get('t')) as string | undefined;
  if (flags.has('user')) {
    const base = `${m.user.home}/.local`;
    env = { ...env, prefix: base, site: `${base}/lib/python${env.minor}/site-packages`, bin: `${base}/bin`, managed: false };
  } else if (typeof prefix === 'string') {
    const p = normalize(prefix, m.cwd);
    env = { ...env, prefix: p, site: `${p}/lib/python${env.minor}/site-packages`, bin: `${p}/bin`, managed: false };
  } else if (target) {
    const t = normalize(target, m.cwd);
    env = { ...env, site: t, bin: `${t}/bin`, managed: false };
  }
  if (env.managed && !flags.has('break-system-packages')) {
    return fail(m, 'error: externally-managed-environment\n\n× This environment is externally managed\n╰─> To install Python packages system-wide, try apt install\n    python3-xyz, where xyz is the package you are trying to\n    install. … create a virtual environment using python3 -m venv path/to/venv.', 1);
  }
  const seen = new Set<string>();
  const requirements: Requirement[] = [];
  for (const f of requirementFiles) {
    const r = readRequirements(m, f, seen);
    if (typeof r === 'string') return fail(m, r, 1);
    requirements.push(...r);
  }
  for (const op of operands) {
    if (requirementFiles.includes(op)) continue;
    if (op === '.' || op.startsWith('./') || op.startsWith('/') || op.startsWith('-e')) {
      m.notModelled.push(`pip install ${op}: installing a local project is not modelled`);
      continue;
    }
    const r = parseRequirement(op);
    if (typeof r === 'string') return fail(m, `ERROR: ${r}`, 1);
    if (r) requirements.push(r);
  }
  if (!requirements.length) {
    if (!m.notModelled.length) return fail(m, 'ERROR: You must give at least one requirement to install (see "pip help install")', 1);
    return { code: 0 };
  }
  const noCache = flags.has('no-cache-dir') || truthy(m.env.PIP_NO_CACHE_DIR);
  const cacheDir = `${m.user.home}/.cache/pip`;
  const findLinks = flags.get('find-links') ?? flags.get('f');
  const wheelDir = typeof findLinks === 'string' ? normalize(findLinks, m.cwd) : null;
  const noIndex = flags.has('no-index');
  const upgrade = flags.has('U') || flags.has('upgrade');
  const gcc = !!findCommand(m, 'gcc');

  const plan: { p: PyPackage; v: PyVersion; source: boolean; fromWheelDir: boolean }[] = [];
  const queue: { name: string; spec: string; from?: string }[] = requirements.map((r) => ({ name: r.name, spec: r.spec }));
  const planned = new Set<string>();
  m.seconds += 1.2;
  while (queue.length) {
    const req = queue.shift()!;
    const p = findPyPackage(req.name);
    const noDistribution = () => fail(m, `ERROR: Could not find a version that satisfies the requirement ${req.name}${req.spec} (from versions: ${p ? releasedBy(p, m.day).map((x) => x.version).join(', ') || 'none' : 'none'})\nERROR: No matching distribution found for ${req.name}${req.spec}`, 1);
    if (!p) return noDistribution();
    if (planned.has(p.name)) continue;
    planned.add(p.name);
    const have = installedPy(m, env.site, p);
    if (have && satisfies(have, req.spec) && !(upgrade && !req.from)) {
      say(m, `Requirement already satisfied: ${p.name} in ${env.site} (${have})`);
      continue;
    }
    let v: PyVersion | undefined;
    let fromWheelDir = false;
    if (wheelDir) {
      const wheels = [...m.fs.keys()].filter((k) => k.startsWith(`${wheelDir}/${p.name.replace(/-/g, '_')}-`) && k.endsWith('.whl'));
      const versions = wheels.map((k) => k.slice(`${wheelDir}/${p.name.replace(/-/g, '_')}-`.length).split('-')[0]!).filter((x) => satisfies(x, req.spec));
      const best = versions.sort(compareVersions).at(-1);
      if (best) {
        v = p.versions.find((x) => x.version === best);
        fromWheelDir = !!v;
      }
    }
    if (!v && noIndex) return noDistribution();
    v ??= pickVersion(p, req.spec, m.day);
    if (!v) return noDistribution();
    const hasWheel = m.libc === 'musl' ? v.musl : v.wheels.includes(env.minor);
    const source = !fromWheelDir && !hasWheel;
    if (source && !p.sdist) return noDistribution();
    say(m, `Collecting ${p.name}${req.spec}${req.from ? ` (from ${req.from})` : ''}`);
    plan.push({ p, v, source, fromWheelDir });
    if (!flags.has('no-deps')) for (const d of p.depends ?? []) queue.push({ name: d, spec: '', from: p.name });
  }
  for (const { p, v, source, fromWheelDir } of plan) {
    const wheelFile = `${cacheDir}/wheels/${p.name.replace(/-/g, '_')}-${v.version}-py3-none-any.whl`;
    if (source) {
      say(m, `  Downloading ${p.name}-${v.version}.tar.gz\nBuilding wheel for ${p.name} (pyproject.toml): started`);
      if (!gcc) {
        return fail(m, `  error: command 'gcc' failed: No such file or directory\n  ERROR: Failed building wheel for ${p.name}\nERROR: Could not build wheels for ${p.name}, which is required to install pyproject.toml-based projects`, 1);
      }
      m.seconds += 45;
    } else if (fromWheelDir) {
      say(m, `Processing ${wheelDir}/${p.name}-${v.version}.whl`);
    } else if (m.fs.has(wheelFile)) {
      say(m, `  Using cached ${p.name}-${v.version}-cp${env.minor.replace('.', '')}-manylinux_2_17_x86_64.whl (${(p.wheel / 1e6).toFixed(1)} MB)`);
    } else {
      say(m, `  Downloading ${p.name}-${v.version}-cp${env.minor.replace('.', '')}-manylinux_2_17_x86_64.whl (${(p.wheel / 1e6).toFixed(1)} MB)`);
      m.seconds += p.wheel / 15e6;
      if (!noCache) {
        ensureParents(m.fs, wheelFile);
        m.fs.set(wheelFile, bundle(`cached wheel ${p.name} ${v.version}`, p.wheel, `wheel:${p.name}=${v.version}`, { kind: 'file', origin: `wheel:${p.name}=${v.version}` }));
      }
    }
    m.seconds += p.size / 80e6;
  }
  if (plan.length) say(m, `Installing collected packages: ${plan.map((x) => x.p.name).join(', ')}`);
  for (const { p, v } of plan) {
    const old = installedPy(m, env.site, p);
    if (old) removePy(m, env, p, old);
    for (const [path, entry] of pyPackageEntries(env, p, v.version, true, { uid: m.user.uid, gid: m.user.gid })) {
      ensureParents(m.fs, path, { uid: m.user.uid, gid: m.user.gid });
      m.fs.set(path, entry);
    }
  }
  if (plan.length) say(m, `Successfully installed ${plan.map((x) => `${x.p.name}-${x.v.version}`).join(' ')}`);
  return { code: 0 };
}

function pipWheel(m: Machine, tool: Extract<Tool, { kind: 'pip' }>, args: string[]): CommandResult {
  const { flags } = options(args, ['w', 'wheel-dir', 'r', 'requirement']);
  const out = normalize(((flags.get('w') ?? flags.get('wheel-dir')) as string | undefined) ?? '.', m.cwd);
  // Resolve as an install into a scratch environment, then keep the wheels instead of the packages.
  const scratch = '/tmp/.sim-pip-wheel';
  const before = new Set(m.fs.keys());
  const result = pipInstall(m, tool, [...args.filter((a, k) => !['-w', '--wheel-dir'].includes(a) && !['-w', '--wheel-dir'].includes(args[k - 1] ?? '')), '--target', scratch, '--no-cache-dir']);
  const built = [...m.fs.entries()].filter(([p, e]) => p.startsWith(`${scratch}/`) && p.endsWith('.dist-info') && e.origin);
  for (const [p] of entriesUnder(m.fs, scratch)) if (!before.has(p)) m.fs.delete(p);
  if (result.code) return result;
  ensureParents(m.fs, `${out}/x`);
  if (!m.fs.has(out)) m.fs.set(out, dir());
  for (const [, e] of built) {
    const [name = '', rest = ''] = e.origin!.slice(3).split('=');
    const version = rest.split(':')[0]!;
    const p = findPyPackage(name)!;
    m.fs.set(`${out}/${p.name.replace(/-/g, '_')}-${version}-py3-none-any.whl`, bundle(`wheel ${p.name} ${version}`, p.wheel, `wheel:${p.name}=${version}`, { kind: 'file', origin: `wheel:${p.name}=${version}` }));
  }
  say(m, `Saved ${built.length} wheels to ${out}`);
  return { code: 0 };
}

export function pip(m: Machine, tool: Extract<Tool, { kind: 'pip' }>, args: string[]): CommandResult {
  const sub = args.find((a) => !a.startsWith('-'));
  const rest = args.slice(args.indexOf(sub ?? '') + 1);
  switch (sub) {
    case 'install':
      return pipInstall(m, tool, rest);
    case 'wheel':
      return pipWheel(m, tool, rest);
    case 'uninstall': {
      const env = envOfTool(tool);
      for (const name of options(rest).operands) {
        const p = findPyPackage(name);
        const have = p && installedPy(m, env.site, p);
        if (p && have) removePy(m, env, p, have);
        else say(m, `WARNING: Skipping ${name} as it is not installed.`);
      }
      return { code: 0 };
    }
    case 'cache':
      if (rest[0] === 'purge') for (const [p] of entriesUnder(m.fs, `${m.user.home}/.cache/pip`)) m.fs.delete(p);
      return { code: 0 };
    case 'freeze':
    case 'list':
    case 'show':
    case 'check':
    case 'config':
      return { code: 0 };
    default:
      return fail(m, `ERROR: unknown command "${sub ?? ''}"`, 1);
  }
}

/** `python -m venv DIR`, `python -m pip …`; other uses of python run code the simulator does not model. */
export function python(m: Machine, tool: Extract<Tool, { kind: 'python' }>, args: string[]): CommandResult {
  if (args[0] === '-m' && args[1] === 'pip') return pip(m, { kind: 'pip', version: tool.version, prefix: tool.prefix }, args.slice(2));
  if (args[0] === '-m' && args[1] === 'venv') {
    const { flags, operands } = options(args.slice(2));
    const target = operands[0];
    if (!target) return fail(m, 'usage: venv [-h] [--system-site-packages] ... ENV_DIR [ENV_DIR ...]\nvenv: error: the following arguments are required: ENV_DIR', 2);
    if (tool.prefix === '/usr' && !m.fs.get(`${APT_DIR}/python3-venv`)) {
      return fail(m, 'The virtual environment was not created successfully because ensurepip is not\navailable.  On Debian/Ubuntu systems, you need to install the python3-venv\npackage using the following command.\n\n    apt install python3.11-venv', 1);
    }
    const root = normalize(target, m.cwd);
    const owner = { uid: m.user.uid, gid: m.user.gid };
    const env: PyEnv = { version: tool.version, minor: minorOf(tool.version), prefix: root, site: `${root}/lib/python${minorOf(tool.version)}/site-packages`, bin: `${root}/bin`, managed: false };
    ensureParents(m.fs, `${env.site}/x`, owner);
    for (const d of [root, `${root}/bin`, `${root}/lib`, `${root}/lib/python${env.minor}`, env.site]) m.fs.set(d, dir(owner));
    const home = `${tool.prefix}/bin`;
    m.fs.set(`${root}/pyvenv.cfg`, file(`home = ${home}\ninclude-system-site-packages = false\nversion = ${tool.version}\nexecutable = ${home}/python${env.minor}\ncommand = ${home}/python3 -m venv ${root}\n`, owner));
    const interpreter: Tool = { kind: 'python', version: tool.version, prefix: root, home };
    for (const name of ['python', 'python3', `python${env.minor}`]) m.fs.set(`${root}/bin/${name}`, { kind: 'link', size: 0, digest: `link:${home}/python${env.minor}`, mode: 0o777, ...owner, target: `${home}/python${env.minor}`, tool: interpreter });
    if (!flags.has('without-pip')) {
      const pipPackage = findPyPackage('pip')!;
      for (const [path, entry] of pyPackageEntries(env, pipPackage, '24.3.1', true, owner)) m.fs.set(path, entry.tool ? { ...entry, tool: { kind: 'pip', version: tool.version, prefix: root } } : entry);
    }
    m.seconds += 2.5;
    return { code: 0 };
  }
  m.notModelled.push(`python ${args.join(' ')}: the simulator does not run Python code`);
  return { code: 0 };
}

// ---------------------------------------------------------------------------------------------------------------
// Downloads

function download(m: Machine, name: 'curl' | 'wget', url: string | undefined, out: string | null, fail404: boolean): CommandResult {
  if (!url) return fail(m, name === 'curl' ? "curl: try 'curl --help' for more information" : 'wget: missing URL', 2);
  const d = findDownload(url);
  const host = /^[a-z]+:\/\/([^/]+)/.exec(url)?.[1];
  if (!d) {
    if (host === 'models.example.org' || host === 'github.com') {
      if (name === 'wget') return fail(m, `wget: server returned error: HTTP/1.1 404 Not Found`, 8);
      if (fail404) return fail(m, `curl: (22) The requested URL returned error: 404`, 22);
      return { code: 0, stdout: { kind: 'text', text: '<html><body>404 Not Found</body></html>\n' } };
    }
    return fail(m, name === 'curl' ? `curl: (6) Could not resolve host: ${host ?? url}` : `wget: bad address '${host ?? url}'`, name === 'curl' ? 6 : 4);
  }
  const version = onDay(d.versions, m.day)!;
  const stream = { kind: 'download' as const, url, size: d.size, identity: `${url}#${version}`, archive: d.archive };
  m.seconds += 0.3 + d.size / 25e6;
  if (out === null) return { code: 0, stdout: stream };
  const path = normalize(out, m.cwd);
  if (!m.fs.has(path.slice(0, path.lastIndexOf('/')) || '/')) return fail(m, name === 'curl' ? `curl: (23) Failure writing output to destination` : `wget: can't open '${out}': No such file or directory`, name === 'curl' ? 23 : 1);
  m.fs.set(path, bundle(`download of ${url}`, d.size, stream.identity, { kind: 'file', uid: m.user.uid, gid: m.user.gid, origin: url }));
  return { code: 0 };
}

export const curl: Command = (m, args) => {
  const { flags, operands } = options(args, ['o', 'output', 'H', 'header', 'u', 'user', 'A', 'retry', 'connect-timeout', 'm', 'max-time', 'X', 'request', 'd', 'data']);
  const url = operands[0];
  const out = (flags.get('o') ?? flags.get('output')) as string | undefined;
  const remoteName = flags.has('O') || flags.has('remote-name');
  return download(m, 'curl', url, out ?? (remoteName && url ? url.slice(url.lastIndexOf('/') + 1) : null), flags.has('f') || flags.has('fail'));
};

export const wget: Command = (m, args) => {
  const { flags, operands } = options(args, ['O', 'output-document', 'P', 'T', 't']);
  const url = operands[0];
  const out = (flags.get('O') ?? flags.get('output-document')) as string | undefined;
  return download(m, 'wget', url, out === '-' ? null : (out ?? (url ? url.slice(url.lastIndexOf('/') + 1) : null)), true);
};

// ---------------------------------------------------------------------------------------------------------------
// Node.js: npm ci and npm install

function satisfiesRange(version: string, range: string): boolean {
  const r = range.trim();
  if (!r || r === '*' || r === 'latest' || r === 'x') return true;
  const [maj = 0, min = 0, pat = 0] = version.split('.').map(Number);
  const m = /^([~^]|>=|<=|>|<|=)?\s*v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/.exec(r);
  if (!m) return false;
  const op = m[1] ?? '';
  const a = Number(m[2]);
  const b = m[3] === undefined || m[3] === 'x' || m[3] === '*' ? null : Number(m[3]);
  const c = m[4] === undefined || m[4] === 'x' || m[4] === '*' ? null : Number(m[4]);
  const cmp = compareVersions(version, `${a}.${b ?? 0}.${c ?? 0}`);
  switch (op) {
    case '^':
      return maj === a && cmp >= 0 && (a > 0 || b === null || min === b);
    case '~':
      return maj === a && (b === null || min === b) && cmp >= 0;
    case '>=':
      return cmp >= 0;
    case '>':
      return cmp > 0;
    case '<=':
      return cmp <= 0;
    case '<':
      return cmp < 0;
    default:
      return maj === a && (b === null || min === b) && (c === null || pat === c);
  }
}

const npmCache = (m: Machine) => `${m.user.home}/.npm/_cacache`;

function npmInstallPackages(m: Machine, wanted: { name: string; version: string }[], prefix: string): CommandResult {
  let downloaded = 0;
  for (const w of wanted) {
    const p = findNpmPackage(w.name)!;
    const cached = `${npmCache(m)}/${p.name.replace('/', '+')}-${w.version}.tgz`;
    if (!m.fs.has(cached)) {
      downloaded += p.tarball;
      ensureParents(m.fs, cached, { uid: m.user.uid, gid: m.user.gid });
      m.fs.set(cached, bundle(`npm cache: ${p.name} ${w.version}`, p.tarball, `npm-tgz:${p.name}@${w.version}`, { kind: 'file', uid: m.user.uid, gid: m.user.gid, origin: `npm-tgz:${p.name}@${w.version}` }));
    }
    const dir = `${prefix}/node_modules/${p.name}`;
    for (const [path] of entriesUnder(m.fs, dir)) m.fs.delete(path);
    ensureParents(m.fs, dir, { uid: m.user.uid, gid: m.user.gid });
    m.fs.set(dir, bundle(`${p.name} ${w.version} (npm, with its dependencies)`, p.size, `npm:${p.name}@${w.version}`, { uid: m.user.uid, gid: m.user.gid, origin: `npm:${p.name}@${w.version}` }));
    for (const bin of p.bin ?? []) m.fs.set(`${prefix}/node_modules/.bin/${bin}`, { ...file(`#!/usr/bin/env node\n// ${bin} from ${p.name}\n`, { mode: 0o755, uid: m.user.uid, gid: m.user.gid }) });
    m.seconds += 0.2 + p.size / 60e6;
  }
  m.seconds += downloaded / 20e6;
  say(m, `added ${wanted.length} packages in ${Math.max(1, Math.round(m.seconds))}s`);
  return { code: 0 };
}

function readJson(m: Machine, path: string): { value?: Record<string, unknown>; error?: string } {
  const entry = m.fs.get(normalize(path, m.cwd));
  if (!entry) return {};
  try {
    return { value: JSON.parse(entry.text ?? '') as Record<string, unknown> };
  } catch (error) {
    return { error: `npm error code EJSONPARSE\nnpm error JSON.parse Invalid package.json: ${error instanceof Error ? error.message : String(error)}` };
  }
}

export const npm: Command = (m, args) => {
  const { flags, operands } = options(args, ['omit', 'prefix', 'registry']);
  const [sub = '', ...names] = operands;
  const omitDev = flags.get('omit') === 'dev' || flags.has('production') || m.env.NODE_ENV === 'production';
  if (sub === 'cache') {
    if (names[0] === 'clean') for (const [path] of entriesUnder(m.fs, `${m.user.home}/.npm`)) m.fs.delete(path);
    return { code: 0 };
  }
  if (sub === 'ci' || sub === 'install' || sub === 'i' || sub === 'add') {
    const pkg = readJson(m, 'package.json');
    if (pkg.error) return fail(m, pkg.error, 1);
    if (!pkg.value && !(sub !== 'ci' && names.length)) return fail(m, `npm error code ENOENT\nnpm error path ${normalize('package.json', m.cwd)}\nnpm error enoent Could not read package.json`, 254);
    const deps = { ...((pkg.value?.dependencies as Record<string, string>) ?? {}) };
    const devDeps = (pkg.value?.devDependencies as Record<string, string>) ?? {};
    const wanted: { name: string; version: string }[] = [];
    if (sub === 'ci') {
      const lock = readJson(m, 'package-lock.json');
      if (lock.error) return fail(m, lock.error, 1);
      if (!lock.value) return fail(m, 'npm error code EUSAGE\nnpm error The `npm ci` command can only install with an existing package-lock.json or npm-shrinkwrap.json with lockfileVersion >= 1.', 1);
      const packages = (lock.value.packages as Record<string, { version?: string; dev?: boolean }>) ?? {};
      for (const name of [...Object.keys(deps), ...(omitDev ? [] : Object.keys(devDeps))]) {
        const locked = packages[`node_modules/${name}`];
        if (!locked?.version) return fail(m, `npm error code EUSAGE\nnpm error \`npm ci\` can only install packages when your package.json and package-lock.json or npm-shrinkwrap.json are in sync. Please update your lock file with \`npm install\` before continuing.\nnpm error Missing: ${name} from lock file`, 1);
        wanted.push({ name, version: locked.version });
      }
      for (const [path] of entriesUnder(m.fs, normalize('node_modules', m.cwd))) m.fs.delete(path);
    } else {
      const requested = names.length
        ? Object.fromEntries(names.map((n) => {
            const at = n.lastIndexOf('@');
            return at > 0 ? [n.slice(0, at), n.slice(at + 1)] : [n, 'latest'];
          }))
        : { ...deps, ...(omitDev ? {} : devDeps) };
      for (const [name, range] of Object.entries(requested)) wanted.push({ name, version: range });
    }
    for (const w of wanted) {
      const p = findNpmPackage(w.name);
      if (!p) return fail(m, `npm error code E404\nnpm error 404 Not Found - GET https://registry.npmjs.org/${w.name} - Not found`, 1);
      const released = p.versions.filter((v) => v.day <= m.day);
      const exact = released.find((v) => v.version === w.version);
      const match = exact ?? [...released].reverse().find((v) => satisfiesRange(v.version, w.version));
      if (!match) return fail(m, `npm error code ETARGET\nnpm error notarget No matching version found for ${w.name}@${w.version}.`, 1);
      w.version = match.version;
    }
    const result = npmInstallPackages(m, wanted, m.cwd === '/' ? '' : m.cwd);
    if (sub !== 'ci' && pkg.value) {
      const lock = { name: pkg.value.name ?? 'app', lockfileVersion: 3, requires: true, packages: Object.fromEntries(wanted.map((w) => [`node_modules/${w.name}`, { version: w.version }])) };
      m.fs.set(normalize('package-lock.json', m.cwd), file(`${JSON.stringify(lock, null, 2)}\n`, { uid: m.user.uid, gid: m.user.gid }));
    }
    return result;
  }
  m.notModelled.push(`npm ${args.join(' ')}`);
  return { code: 0 };
};
