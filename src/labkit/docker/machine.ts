/**
 * What a RUN instruction runs in: the stage's file system, environment, working directory and user, the day of
 * the package world, and the log and simulated time the command produces. Commands (commands.ts, packages.ts)
 * act on it; `runScript` (run.ts) drives them.
 */
import type { Distro } from './world.ts';
import { baseName, normalize, resolveLink, type Entry, type Fs, type Tool } from './fs.ts';

/** What flows through a pipe: text, or the bytes of a download. */
export type Stream = { kind: 'text'; text: string } | { kind: 'download'; url: string; size: number; identity: string; archive?: readonly { path: string; size: number }[] };

export interface Machine {
  fs: Fs;
  env: Record<string, string>;
  cwd: string;
  user: { name: string; uid: number; gid: number; home: string };
  distro: Distro;
  libc: 'glibc' | 'musl' | 'none';
  day: number;
  /** Lines of build output (what `docker build --progress=plain` would print for the step). */
  log: string[];
  /** Simulated seconds the step takes. */
  seconds: number;
  /** Commands or constructs the simulator treated as doing nothing. */
  notModelled: string[];
  /** Targets of cache mounts for this RUN: what is written there stays out of the layer. */
  cacheMounts: string[];
  /** Whether `set -o pipefail` applies. */
  pipefail: boolean;
  /** `set -e`. */
  errexit: boolean;
  /** The status an `exit` command asked for. */
  exitCode?: number;
}

export interface CommandResult {
  code: number;
  stdout?: Stream;
}

export type Command = (m: Machine, args: string[], stdin: Stream | undefined) => CommandResult;

/** Programs every image with a shell has (coreutils, or busybox applets). */
export const CORE_PROGRAMS = new Set([
  'sh', 'bash', 'echo', 'printf', 'rm', 'mkdir', 'rmdir', 'touch', 'cp', 'mv', 'ln', 'chmod', 'chown', 'cat', 'ls', 'true', 'false', 'test', '[', 'sleep', 'env', 'id', 'whoami',
  'hostname', 'date', 'nproc', 'head', 'tail', 'grep', 'sed', 'find', 'tar', 'gzip', 'gunzip', 'which', 'xargs', 'sort', 'uniq', 'wc', 'tee', 'basename', 'dirname', 'pwd', 'uname',
  'mktemp', 'readlink', 'stat', 'du', 'df', 'ps', 'kill', 'sync', 'yes', 'cut', 'tr', 'awk', 'install', 'busybox',
]);

/** Programs that exist only on some distributions. */
const DISTRO_PROGRAMS: Record<Distro, string[]> = {
  debian: ['apt-get', 'apt', 'apt-cache', 'dpkg', 'useradd', 'groupadd', 'adduser', 'addgroup', 'usermod', 'su', 'gpg'],
  ubuntu: ['apt-get', 'apt', 'apt-cache', 'dpkg', 'useradd', 'groupadd', 'adduser', 'addgroup', 'usermod', 'su'],
  alpine: ['apk', 'adduser', 'addgroup', 'su', 'wget'],
  busybox: ['adduser', 'addgroup', 'wget', 'su'],
  distroless: [],
  none: [],
};

export function hasProgram(m: Machine, name: string): boolean {
  if (m.distro === 'distroless' || m.distro === 'none') return false;
  if (!m.fs.has('/bin/sh')) return false;
  return CORE_PROGRAMS.has(name) || DISTRO_PROGRAMS[m.distro].includes(name);
}

/**
 * Finds a command: an absolute or relative path, or a name looked up on PATH. Returns the program name the
 * simulator runs and the tool the file system says the executable is (python, pip, a console script).
 */
export function findCommand(m: Machine, name: string): { program: string; path?: string; tool?: Tool } | null {
  if (name.includes('/')) {
    const path = resolveLink(m.fs, normalize(name, m.cwd));
    const entry = m.fs.get(path);
    if (!entry || entry.kind === 'dir') return null;
    return { program: programOf(entry, path), path, tool: entry.tool };
  }
  for (const dirName of (m.env.PATH ?? '').split(':')) {
    if (!dirName) continue;
    const path = normalize(`${dirName}/${name}`);
    const entry = m.fs.get(path);
    if (entry && entry.kind !== 'dir') {
      const target = resolveLink(m.fs, path);
      const resolved = m.fs.get(target);
      if (resolved) return { program: programOf(resolved, target, name), path: target, tool: resolved.tool };
    }
  }
  if (hasProgram(m, name)) return { program: name };
  return null;
}

function programOf(entry: Entry, path: string, called = baseName(path)): string {
  const tool = entry.tool;
  if (!tool) return called;
  if (tool.kind === 'python') return 'python';
  if (tool.kind === 'pip') return 'pip';
  if (tool.kind === 'shell') return 'sh';
  if (tool.kind === 'program') return tool.name;
  return `script:${tool.module}`;
}

export function say(m: Machine, line: string): void {
  if (m.log.length < 400) m.log.push(line);
  else if (m.log.length === 400) m.log.push('… (output cut)');
}

export function fail(m: Machine, message: string, code = 1): CommandResult {
  say(m, message);
  return { code };
}

/** Options and operands of a command line: `-abc`, `--name`, `--name=value`, `--name value` for the listed names. */
export function options(args: string[], withValue: readonly string[] = []): { flags: Map<string, string | true>; operands: string[] } {
  const flags = new Map<string, string | true>();
  const operands: string[] = [];
  for (let k = 0; k < args.length; k++) {
    const a = args[k]!;
    if (a === '--') {
      operands.push(...args.slice(k + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
      else if (withValue.includes(a.slice(2)) && k + 1 < args.length) flags.set(a.slice(2), args[++k]!);
      else flags.set(a.slice(2), true);
    } else if (a.startsWith('-') && a.length > 1) {
      const letters = a.slice(1);
      for (let j = 0; j < letters.length; j++) {
        const l = letters[j]!;
        if (withValue.includes(l)) {
          const rest = letters.slice(j + 1);
          if (rest) flags.set(l, rest);
          else if (k + 1 < args.length) flags.set(l, args[++k]!);
          break;
        }
        flags.set(l, true);
      }
    } else operands.push(a);
  }
  return { flags, operands };
}
