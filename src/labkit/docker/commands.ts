/**
 * File and user commands of the simulated shell: what they change in the file system, with the exit codes and
 * messages of GNU coreutils / shadow / BusyBox for the common mistakes (a missing file, a user that exists).
 */
import { baseName, bundle, dir, digestOf, ensureParents, entriesUnder, file, isUnder, lookup, normalize, parentOf, type Entry } from './fs.ts';
import { fail, options, say, type Command, type CommandResult, type Machine, type Stream } from './machine.ts';
import { findDownload } from './world.ts';

/** Glob expansion of an unquoted word against the file system (`*`, `?`; no match leaves the word as it is). */
export function glob(m: Machine, pattern: string): string[] {
  if (!/[*?]/.test(pattern)) return [pattern];
  const absolute = normalize(pattern, m.cwd);
  const re = new RegExp(
    `^${absolute
      .split('/')
      .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]'))
      .join('/')}$`,
  );
  const depth = absolute.split('/').length;
  const found = [...m.fs.keys()].filter((p) => p.split('/').length === depth && re.test(p)).sort();
  if (!found.length) return [pattern];
  return pattern.startsWith('/') ? found : found.map((p) => p.slice(m.cwd.replace(/\/$/, '').length + 1));
}

const owner = (m: Machine) => ({ uid: m.user.uid, gid: m.user.gid });

export const rm: Command = (m, args) => {
  const { flags, operands } = options(args);
  const recursive = flags.has('r') || flags.has('R') || flags.has('recursive');
  const force = flags.has('f') || flags.has('force');
  let code = 0;
  for (const operand of operands) {
    const path = normalize(operand, m.cwd);
    if (path === '/') return fail(m, "rm: it is dangerous to operate recursively on '/'");
    const { entry, insideBundle } = lookup(m.fs, path);
    if (insideBundle) {
      m.notModelled.push(`rm ${operand}: it lies inside ${m.fs.get(insideBundle)?.label ?? insideBundle}, whose files the simulator keeps as one bundle`);
      continue;
    }
    if (!entry) {
      if (!force) {
        say(m, `rm: cannot remove '${operand}': No such file or directory`);
        code = 1;
      }
      continue;
    }
    if (entry.kind === 'dir' && !recursive) {
      say(m, `rm: cannot remove '${operand}': Is a directory`);
      code = 1;
      continue;
    }
    for (const [p] of entriesUnder(m.fs, path)) m.fs.delete(p);
  }
  return { code };
};

export const mkdir: Command = (m, args) => {
  const { flags, operands } = options(args, ['m']);
  for (const operand of operands) {
    const path = normalize(operand, m.cwd);
    const existing = m.fs.get(path);
    if (existing) {
      if (!flags.has('p')) return fail(m, `mkdir: cannot create directory '${operand}': File exists`);
      continue;
    }
    if (!flags.has('p') && !m.fs.has(parentOf(path)) && parentOf(path) !== '/') return fail(m, `mkdir: cannot create directory '${operand}': No such file or directory`);
    ensureParents(m.fs, path, owner(m));
    m.fs.set(path, dir(owner(m)));
  }
  return { code: 0 };
};

export const touch: Command = (m, args) => {
  const { operands } = options(args);
  for (const operand of operands) {
    const path = normalize(operand, m.cwd);
    if (m.fs.has(path)) continue; // only the time changes: nothing the layer diff sees in content
    if (!m.fs.has(parentOf(path)) && parentOf(path) !== '/') return fail(m, `touch: cannot touch '${operand}': No such file or directory`);
    m.fs.set(path, file('', owner(m)));
  }
  return { code: 0 };
};

const unescapeEcho = (s: string) => s.replace(/\\n/g, '\n').replace(/\\t/g, '\t');

export const echo: Command = (_m, args) => {
  let newline = true;
  let rest = args;
  if (rest[0] === '-n') {
    newline = false;
    rest = rest.slice(1);
  } else if (rest[0] === '-e') rest = rest.slice(1);
  return { code: 0, stdout: { kind: 'text', text: `${rest.join(' ')}${newline ? '\n' : ''}` } };
};

export const printf: Command = (_m, args) => {
  const [format = '', ...values] = args;
  let k = 0;
  const text = unescapeEcho(format).replace(/%[sd]/g, () => values[k++] ?? '');
  return { code: 0, stdout: { kind: 'text', text } };
};

export const cat: Command = (m, args, stdin) => {
  const { operands } = options(args);
  if (!operands.length) return { code: 0, stdout: stdin ?? { kind: 'text', text: '' } };
  let text = '';
  for (const operand of operands) {
    const entry = m.fs.get(normalize(operand, m.cwd));
    if (!entry) return fail(m, `cat: ${operand}: No such file or directory`);
    if (entry.kind === 'dir') return fail(m, `cat: ${operand}: Is a directory`);
    text += entry.text ?? `<${entry.size} bytes of ${entry.label ?? operand}>`;
  }
  return { code: 0, stdout: { kind: 'text', text } };
};

/** Writes what a command printed into a file (`>` or `>>`). */
export function writeStream(m: Machine, target: string, stream: Stream | undefined, append: boolean): CommandResult {
  const path = normalize(target, m.cwd);
  if (path === '/dev/null') return { code: 0 };
  if (!m.fs.has(parentOf(path)) && parentOf(path) !== '/') return fail(m, `sh: 1: cannot create ${target}: Directory nonexistent`, 2);
  const existing = m.fs.get(path);
  if (existing?.kind === 'dir') return fail(m, `sh: 1: cannot create ${target}: Is a directory`, 2);
  if (stream?.kind === 'download') {
    m.fs.set(path, bundle(`download of ${stream.url}`, stream.size, stream.identity, { kind: 'file', ...owner(m), origin: stream.url }));
    return { code: 0 };
  }
  const text = (append && existing?.text !== undefined ? existing.text : '') + (stream?.text ?? '');
  m.fs.set(path, file(text, { ...owner(m), mode: existing?.mode ?? 0o644 }));
  return { code: 0 };
}

function copyTree(m: Machine, from: string, to: string, keepOwner: boolean): void {
  for (const [p, e] of entriesUnder(m.fs, from)) {
    const dest = to + p.slice(from.length);
    m.fs.set(dest, keepOwner ? { ...e } : { ...e, ...owner(m) });
  }
}

export const cp: Command = (m, args) => {
  const { flags, operands } = options(args);
  const recursive = flags.has('r') || flags.has('R') || flags.has('a') || flags.has('recursive') || flags.has('archive');
  if (operands.length < 2) return fail(m, 'cp: missing destination file operand');
  const dest = normalize(operands.at(-1)!, m.cwd);
  const destIsDir = m.fs.get(dest)?.kind === 'dir';
  for (const operand of operands.slice(0, -1)) {
    const src = normalize(operand, m.cwd);
    const entry = m.fs.get(src);
    if (!entry) return fail(m, `cp: cannot stat '${operand}': No such file or directory`);
    if (entry.kind === 'dir' && !recursive) return fail(m, `cp: -r not specified; omitting directory '${operand}'`);
    const target = destIsDir ? `${dest === '/' ? '' : dest}/${baseName(src)}` : dest;
    ensureParents(m.fs, target, owner(m));
    copyTree(m, src, target, flags.has('a') || flags.has('p'));
  }
  return { code: 0 };
};

export const mv: Command = (m, args) => {
  const { operands } = options(args);
  if (operands.length < 2) return fail(m, 'mv: missing destination file operand');
  const dest = normalize(operands.at(-1)!, m.cwd);
  const destIsDir = m.fs.get(dest)?.kind === 'dir';
  for (const operand of operands.slice(0, -1)) {
    const src = normalize(operand, m.cwd);
    if (!m.fs.has(src)) return fail(m, `mv: cannot stat '${operand}': No such file or directory`);
    const target = destIsDir ? `${dest === '/' ? '' : dest}/${baseName(src)}` : dest;
    ensureParents(m.fs, target, owner(m));
    const moved = entriesUnder(m.fs, src);
    for (const [p] of moved) m.fs.delete(p);
    for (const [p, e] of moved) m.fs.set(target + p.slice(src.length), e);
  }
  return { code: 0 };
};

export const ln: Command = (m, args) => {
  const { flags, operands } = options(args);
  if (operands.length < 2) return fail(m, 'ln: missing destination file operand');
  const [target, link] = operands as [string, string];
  const path = normalize(link, m.cwd);
  if (m.fs.has(path) && !flags.has('f')) return fail(m, `ln: failed to create symbolic link '${link}': File exists`);
  ensureParents(m.fs, path, owner(m));
  if (flags.has('s')) m.fs.set(path, { kind: 'link', size: 0, digest: digestOf(`link:${target}`), mode: 0o777, ...owner(m), target });
  else {
    const entry = m.fs.get(normalize(target, m.cwd));
    if (!entry) return fail(m, `ln: failed to access '${target}': No such file or directory`);
    m.fs.set(path, { ...entry });
  }
  return { code: 0 };
};

function parseMode(mode: string, current: number): number | null {
  if (/^[0-7]{3,4}$/.test(mode)) return parseInt(mode, 8);
  const m = /^([ugoa]*)([+-=])([rwxX]+)$/.exec(mode);
  if (!m) return null;
  const who = m[1] || 'a';
  let bits = 0;
  for (const p of m[3]!) bits |= p === 'r' ? 4 : p === 'w' ? 2 : 1;
  let mask = 0;
  if (who.includes('u') || who.includes('a')) mask |= bits << 6;
  if (who.includes('g') || who.includes('a')) mask |= bits << 3;
  if (who.includes('o') || who.includes('a')) mask |= bits;
  return m[2] === '+' ? current | mask : m[2] === '-' ? current & ~mask : (current & ~0o777) | mask;
}

/**
 * chmod and chown change metadata, and an image layer stores whole files: every file they touch is copied into
 * the new layer, so a recursive chown in its own RUN doubles the size of what it touches.
 */
function changeMeta(m: Machine, name: string, args: string[], apply: (e: Entry) => Entry | string): CommandResult {
  const { flags, operands } = options(args);
  const recursive = flags.has('R') || flags.has('recursive');
  const [spec, ...paths] = operands;
  if (!spec || !paths.length) return fail(m, `${name}: missing operand`);
  for (const operand of paths) {
    const path = normalize(operand, m.cwd);
    const { entry, insideBundle } = lookup(m.fs, path);
    if (insideBundle) {
      m.notModelled.push(`${name} ${operand}: inside a simulated bundle`);
      continue;
    }
    if (!entry) return fail(m, `${name}: cannot access '${operand}': No such file or directory`);
    const targets = recursive ? entriesUnder(m.fs, path) : [[path, entry] as const];
    for (const [p, e] of targets) {
      const changed = apply(e);
      if (typeof changed === 'string') return fail(m, `${name}: ${changed}`);
      m.fs.set(p, changed);
    }
  }
  return { code: 0 };
}

export const chmod: Command = (m, args) =>
  changeMeta(m, 'chmod', args, (e) => {
    const spec = options(args).operands[0]!;
    const mode = parseMode(spec, e.mode);
    return mode === null ? `invalid mode: '${spec}'` : { ...e, mode };
  });

export const chown: Command = (m, args) =>
  changeMeta(m, 'chown', args, (e) => {
    const spec = options(args).operands[0]!;
    const ids = resolveOwner(m, spec);
    return typeof ids === 'string' ? ids : { ...e, uid: ids.uid, gid: ids.gid ?? e.gid };
  });

// ---------------------------------------------------------------------------------------------------------------
// Users and groups: /etc/passwd and /etc/group are real text files in the image.

export interface User {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

export function users(m: Pick<Machine, 'fs'>): User[] {
  const text = m.fs.get('/etc/passwd')?.text ?? '';
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name = '', , uid = '0', gid = '0', , home = '/', shell = '/bin/sh'] = line.split(':');
      return { name, uid: Number(uid), gid: Number(gid), home, shell };
    });
}

export function groups(m: Pick<Machine, 'fs'>): { name: string; gid: number }[] {
  const text = m.fs.get('/etc/group')?.text ?? '';
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name = '', , gid = '0'] = line.split(':');
      return { name, gid: Number(gid) };
    });
}

/** `user[:group]` as names or numbers; an unknown name is an error message. */
export function resolveOwner(m: Pick<Machine, 'fs'>, spec: string): { uid: number; gid?: number } | string {
  const [u = '', g] = spec.split(':');
  const user = /^\d+$/.test(u) ? { uid: Number(u), gid: Number(u) } : users(m).find((x) => x.name === u);
  if (!user) return `invalid user: '${spec}'`;
  if (g === undefined) return { uid: user.uid, gid: user.gid };
  const group = /^\d+$/.test(g) ? { gid: Number(g) } : groups(m).find((x) => x.name === g);
  if (!group) return `invalid group: '${spec}'`;
  return { uid: user.uid, gid: group.gid };
}

function appendLine(m: Machine, path: string, line: string): void {
  const old = m.fs.get(path);
  const text = `${old?.text ?? ''}${line}\n`;
  m.fs.set(path, file(text, { mode: old?.mode ?? 0o644 }));
}

function addUser(m: Machine, name: string, o: { uid?: number; gid?: number; home?: string; createHome: boolean; system: boolean; shell?: string; group?: string }): CommandResult {
  if (users(m).some((u) => u.name === name)) return fail(m, `useradd: user '${name}' already exists`, 9);
  const taken = new Set(users(m).map((u) => u.uid));
  let uid = o.uid ?? (o.system ? 999 : 1000);
  if (o.uid === undefined) while (taken.has(uid)) uid += o.system ? -1 : 1;
  else if (taken.has(uid)) return fail(m, `useradd: UID ${uid} is not unique`, 4);
  let gid = o.gid;
  if (o.group) {
    const g = groups(m).find((x) => x.name === o.group || String(x.gid) === o.group);
    if (!g) return fail(m, `useradd: group '${o.group}' does not exist`, 6);
    gid = g.gid;
  }
  if (gid === undefined) {
    gid = uid;
    if (!groups(m).some((g) => g.name === name)) appendLine(m, '/etc/group', `${name}:x:${gid}:`);
  }
  const home = o.home ?? `/home/${name}`;
  appendLine(m, '/etc/passwd', `${name}:x:${uid}:${gid}::${home}:${o.shell ?? '/bin/sh'}`);
  if (m.fs.has('/etc/shadow')) appendLine(m, '/etc/shadow', `${name}:!:20000:0:99999:7:::`);
  if (o.createHome && !m.fs.has(home)) {
    ensureParents(m.fs, home);
    m.fs.set(home, dir({ uid, gid }));
  }
  return { code: 0 };
}

export const useradd: Command = (m, args) => {
  const { flags, operands } = options(args, ['u', 'uid', 'g', 'gid', 'd', 'home-dir', 's', 'shell', 'c', 'comment', 'G', 'groups']);
  const name = operands[0];
  if (!name) return fail(m, 'Usage: useradd [options] LOGIN', 2);
  const uid = flags.get('u') ?? flags.get('uid');
  return addUser(m, name, {
    uid: typeof uid === 'string' ? Number(uid) : undefined,
    group: (flags.get('g') ?? flags.get('gid')) as string | undefined,
    home: (flags.get('d') ?? flags.get('home-dir')) as string | undefined,
    createHome: flags.has('m') || flags.has('create-home'),
    system: flags.has('r') || flags.has('system'),
    shell: (flags.get('s') ?? flags.get('shell')) as string | undefined,
  });
};

/** Debian's adduser (`--disabled-password --gecos ""`) and BusyBox's (`-D`) both create the home directory. */
export const adduser: Command = (m, args) => {
  const busybox = m.distro === 'alpine' || m.distro === 'busybox';
  const { flags, operands } = options(args, busybox ? ['u', 'G', 'h', 's', 'g'] : ['uid', 'gid', 'home', 'shell', 'gecos', 'ingroup']);
  const name = operands[0];
  if (!name) return fail(m, 'adduser: Only one or two names allowed.', 1);
  const uid = busybox ? flags.get('u') : flags.get('uid');
  return addUser(m, name, {
    uid: typeof uid === 'string' ? Number(uid) : undefined,
    group: (busybox ? flags.get('G') : flags.get('ingroup')) as string | undefined,
    home: (busybox ? flags.get('h') : flags.get('home')) as string | undefined,
    createHome: !(flags.has('H') || flags.has('no-create-home')),
    system: flags.has('S') || flags.has('system'),
    shell: (busybox ? flags.get('s') : flags.get('shell')) as string | undefined,
  });
};

export const groupadd: Command = (m, args) => {
  const { flags, operands } = options(args, ['g', 'gid']);
  const name = operands[0];
  if (!name) return fail(m, 'Usage: groupadd [options] GROUP', 2);
  if (groups(m).some((g) => g.name === name)) return fail(m, `groupadd: group '${name}' already exists`, 9);
  const given = flags.get('g') ?? flags.get('gid');
  const gid = typeof given === 'string' ? Number(given) : Math.max(999, ...groups(m).map((g) => g.gid)) + 1;
  appendLine(m, '/etc/group', `${name}:x:${gid}:`);
  return { code: 0 };
};

export const addgroup: Command = (m, args) => {
  const { flags, operands } = options(args, ['g', 'gid']);
  return groupadd(m, [...(flags.get('g') ? ['-g', String(flags.get('g'))] : flags.get('gid') ? ['-g', String(flags.get('gid'))] : []), ...operands.slice(0, 1)], undefined);
};

// ---------------------------------------------------------------------------------------------------------------

/** `find DIR [-name PATTERN] [-type f|d] (-delete | -exec rm -rf {} +)`: the clean-up people write after pip. */
export const find: Command = (m, args) => {
  const root = normalize(args[0] && !args[0].startsWith('-') ? args[0] : '.', m.cwd);
  const name = args[args.indexOf('-name') + 1];
  const type = args.includes('-type') ? args[args.indexOf('-type') + 1] : undefined;
  const deletes = args.includes('-delete') || (args.includes('-exec') && args[args.indexOf('-exec') + 1] === 'rm');
  const re = name && args.includes('-name') ? new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`) : null;
  const hits = [...m.fs.entries()].filter(([p, e]) => isUnder(p, root) && (!re || re.test(baseName(p))) && (!type || (type === 'd' ? e.kind === 'dir' : e.kind !== 'dir')));
  if (deletes) {
    for (const [p] of hits) for (const [q] of entriesUnder(m.fs, p)) m.fs.delete(q);
    if (re && !hits.length && [...m.fs.entries()].some(([p, e]) => isUnder(p, root) && e.kind === 'bundle')) {
      m.notModelled.push(`find ${args.join(' ')}: files inside simulated package bundles are not listed one by one`);
    }
  }
  return { code: 0, stdout: { kind: 'text', text: hits.map(([p]) => `${p}\n`).join('') } };
};

/** `sed -i 's/a/b/[g]' FILE`: edits a file whose text the simulator knows. */
export const sed: Command = (m, args) => {
  const { flags, operands } = options(args, ['e']);
  const script = (flags.get('e') as string | undefined) ?? operands.shift();
  const s = script ? /^s(.)(.*?)\1(.*?)\1(g?)$/.exec(script) : null;
  if (!flags.has('i') || !s) {
    m.notModelled.push(`sed ${args.join(' ')}`);
    return { code: 0 };
  }
  for (const operand of operands) {
    const path = normalize(operand, m.cwd);
    const entry = m.fs.get(path);
    if (!entry) return fail(m, `sed: can't read ${operand}: No such file or directory`, 2);
    if (entry.text === undefined) {
      m.notModelled.push(`sed -i on ${operand}, whose bytes the simulator does not hold`);
      continue;
    }
    let pattern: RegExp;
    try {
      pattern = new RegExp(s[2]!, s[4] ? 'g' : '');
    } catch {
      return fail(m, `sed: -e expression #1: unknown regular expression ${s[2]}`);
    }
    m.fs.set(path, file(entry.text.replace(pattern, s[3]!), { mode: entry.mode, uid: entry.uid, gid: entry.gid }));
  }
  return { code: 0 };
};

/** `tar -x[z][f FILE] [-C DIR]`: extracts a downloaded archive the catalogue describes. */
export const tar: Command = (m, written, stdin) => {
  // The old form without a dash: `tar xzf file`.
  const args = written[0] && !written[0].startsWith('-') ? [`-${written[0]}`, ...written.slice(1)] : written;
  const { flags } = options(args, ['f', 'C', 'directory', 'file']);
  const extract = flags.has('x') || flags.has('extract');
  if (!extract) {
    m.notModelled.push(`tar ${args.join(' ')}`);
    return { code: 0 };
  }
  const fileName = (flags.get('f') ?? flags.get('file')) as string | undefined;
  let source: Stream | undefined = stdin;
  if (fileName && fileName !== '-') {
    const entry = m.fs.get(normalize(fileName, m.cwd));
    if (!entry) return fail(m, `tar: ${fileName}: Cannot open: No such file or directory`, 2);
    const archive = entry.origin ? findDownload(entry.origin)?.archive : undefined;
    source = archive ? { kind: 'download', url: entry.origin!, size: entry.size, identity: entry.digest, archive } : undefined;
    if (!source) {
      m.notModelled.push(`tar -x of ${fileName}, which is not an archive the simulator knows`);
      return { code: 0 };
    }
  }
  if (source?.kind !== 'download' || !source.archive) return fail(m, 'tar: This does not look like a tar archive', 2);
  const into = normalize(((flags.get('C') ?? flags.get('directory')) as string | undefined) ?? '.', m.cwd);
  if (!m.fs.has(into) && into !== '/') return fail(m, `tar: ${into}: Cannot open: No such file or directory`, 2);
  for (const item of source.archive) {
    const path = normalize(item.path, into);
    ensureParents(m.fs, path, owner(m));
    m.fs.set(path, bundle(`${item.path} from ${source.url}`, item.size, `${source.identity}:${item.path}`, { kind: 'file', mode: 0o644, ...owner(m), origin: source.url }));
  }
  m.seconds += source.archive.reduce((n, x) => n + x.size, 0) / 150e6;
  return { code: 0 };
};
