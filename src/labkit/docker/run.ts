/**
 * Runs a RUN instruction's shell script in a `Machine`: lists, pipelines, redirections, `cd`, `export`, `set`,
 * `exit`, `sh -c`, and the commands of commands.ts and packages.ts. A command the simulator does not know is
 * recorded as not modelled and treated as one that succeeds and changes nothing.
 */
import * as files from './commands.ts';
import { normalize } from './fs.ts';
import { fail, findCommand, say, type Command, type CommandResult, type Machine, type Stream } from './machine.ts';
import { apk, aptGet, curl, npm, pip, python, wget } from './packages.ts';
import { expandShellWord, parseScript, type SimpleCommand } from './sh.ts';

const COMMANDS: Record<string, Command> = {
  rm: files.rm,
  rmdir: files.rm,
  mkdir: files.mkdir,
  touch: files.touch,
  echo: files.echo,
  printf: files.printf,
  cat: files.cat,
  cp: files.cp,
  mv: files.mv,
  ln: files.ln,
  chmod: files.chmod,
  chown: files.chown,
  useradd: files.useradd,
  adduser: files.adduser,
  groupadd: files.groupadd,
  addgroup: files.addgroup,
  find: files.find,
  sed: files.sed,
  tar: files.tar,
  'apt-get': aptGet,
  apt: aptGet,
  apk,
  curl,
  wget,
  npm,
};

/** Commands that succeed without changing the file system. */
const HARMLESS = new Set(['true', ':', 'sleep', 'ls', 'id', 'whoami', 'hostname', 'nproc', 'env', 'uname', 'pwd', 'which', 'date', 'sync', 'du', 'df', 'ps', 'head', 'tail', 'grep', 'wc', 'sort', 'stat', 'readlink', 'apt-cache', 'dpkg']);

export interface ScriptResult {
  code: number;
}

export function runScript(m: Machine, script: string, depth = 0): ScriptResult {
  const parsed = parseScript(script);
  if (parsed.syntaxError) {
    say(m, `/bin/sh: 1: ${parsed.syntaxError}`);
    return { code: 2 };
  }
  if (parsed.unsupported) {
    // Running part of such a script would be wrong; the step is kept, empty, and says so.
    m.notModelled.push(`${parsed.unsupported}: the simulated shell runs simple commands joined by &&, ||, ; and |, so this RUN changed nothing here`);
    return { code: 0 };
  }
  let code = 0;
  let joined: '&&' | '||' | ';' | '&' | null = null;
  for (const item of parsed.items) {
    // An AND-OR list: `&&` runs the next command only after success, `||` only after failure.
    const skip = (joined === '&&' && code !== 0) || (joined === '||' && code === 0);
    joined = item.then;
    if (skip) continue;
    let stdin: Stream | undefined;
    const statuses: number[] = [];
    for (const [k, command] of item.pipeline.commands.entries()) {
      const last = k === item.pipeline.commands.length - 1;
      const r = runCommand(m, command, stdin, depth);
      if (r === 'exit') return { code: m.exitCode ?? 0 };
      statuses.push(r.code);
      stdin = last ? undefined : r.stdout;
      if (last && r.stdout?.kind === 'text' && r.stdout.text) for (const line of r.stdout.text.trimEnd().split('\n').slice(0, 20)) say(m, line);
    }
    code = m.pipefail ? (statuses.find((s) => s !== 0) ?? 0) : statuses.at(-1)!;
    if (item.pipeline.negated) code = code === 0 ? 1 : 0;
    // set -e: a failure ends the script, except in a command of an AND-OR list other than the last.
    if (m.errexit && code !== 0 && item.then !== '&&' && item.then !== '||' && !item.pipeline.negated) return { code };
  }
  return { code };
}

function runCommand(m: Machine, command: SimpleCommand, stdin: Stream | undefined, depth: number): CommandResult | 'exit' {
  const env = m.env;
  const expand = (w: (typeof command.words)[number]) => {
    const r = expandShellWord(w, env);
    return w.quoted ? [r.value] : r.value === '' && /^\$/.test(w.raw) ? [] : files.glob(m, r.value);
  };
  const words = command.words.flatMap(expand);
  if (!words.length) {
    for (const a of command.assignments) m.env[a.key] = expandShellWord(a.value, env).value;
    return { code: 0 };
  }
  const saved: Record<string, string | undefined> = {};
  for (const a of command.assignments) {
    saved[a.key] = m.env[a.key];
    m.env[a.key] = expandShellWord(a.value, env).value;
  }
  try {
    const [name, ...args] = words as [string, ...string[]];
    let result: CommandResult | 'exit';
    let input = stdin;
    for (const r of command.redirects) {
      if (r.op === '<') {
        const entry = m.fs.get(normalize(expandShellWord(r.target, env).value, m.cwd));
        input = entry ? { kind: 'text', text: entry.text ?? '' } : undefined;
      }
    }
    result = dispatch(m, name, args, input, depth);
    if (result === 'exit') return result;
    // Output redirections: the last `>`/`>>` of stdout wins; `2>…` and `>&` are accepted and ignored.
    const out = [...command.redirects].reverse().find((r) => r.fd === 1 && (r.op === '>' || r.op === '>>'));
    if (out) {
      const w = files.writeStream(m, expandShellWord(out.target, env).value, result.stdout, out.op === '>>');
      return w.code ? w : { code: result.code };
    }
    return result;
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete m.env[k];
      else m.env[k] = v;
    }
  }
}

function dispatch(m: Machine, name: string, args: string[], stdin: Stream | undefined, depth: number): CommandResult | 'exit' {
  switch (name) {
    case 'cd': {
      const target = normalize(args[0] ?? m.user.home, m.cwd);
      if (m.fs.get(target)?.kind !== 'dir' && target !== '/') return fail(m, `/bin/sh: 1: cd: can't cd to ${args[0] ?? '~'}`, 2);
      m.cwd = target;
      return { code: 0 };
    }
    case 'export':
      for (const a of args) {
        const eq = a.indexOf('=');
        if (eq > 0) m.env[a.slice(0, eq)] = a.slice(eq + 1);
      }
      return { code: 0 };
    case 'set':
      for (let k = 0; k < args.length; k++) {
        const a = args[k]!;
        if (a === '-o' || a === '+o') {
          if (args[k + 1] === 'pipefail') m.pipefail = a === '-o';
          if (args[k + 1] === 'errexit') m.errexit = a === '-o';
          k++;
        } else if (/^[-+][a-z]+$/.test(a) && a.includes('e')) m.errexit = a.startsWith('-');
      }
      return { code: 0 };
    case 'exit':
      m.exitCode = Number(args[0] ?? 0) || 0;
      return 'exit';
    case 'false':
      return { code: 1 };
    case 'test':
    case '[':
      return { code: testExpression(m, name === '[' ? args.slice(0, -1) : args) ? 0 : 1 };
  }
  const found = findCommand(m, name);
  if (!found) {
    if (!m.fs.has('/bin/sh') && depth === 0) return fail(m, `/bin/sh: ${name}: not found`, 127);
    return fail(m, `/bin/sh: 1: ${name}: not found`, 127);
  }
  const tool = found.tool;
  if (tool?.kind === 'pip') return pip(m, tool, args);
  if (tool?.kind === 'python') return python(m, tool, args);
  if (tool?.kind === 'script') {
    m.notModelled.push(`${name} ${args.join(' ')}: the simulator does not run ${tool.module}`);
    return { code: 0 };
  }
  const program = found.program;
  if (program === 'sh' || program === 'bash') {
    const c = args.indexOf('-c');
    if (c >= 0 && args[c + 1] !== undefined) {
      const r = runScript(m, args[c + 1]!, depth + 1);
      return { code: r.code };
    }
    m.notModelled.push(`${name} ${args.join(' ')}: running a script file`);
    return { code: 0 };
  }
  if (program === 'sudo') {
    if (m.user.uid !== 0) return fail(m, 'sudo: a terminal is required to read the password', 1);
    return args.length ? dispatch(m, args[0]!, args.slice(1), stdin, depth) : { code: 0 };
  }
  if (program === 'busybox') {
    if (args[0] === '--install') return { code: 0 };
    return args.length ? dispatch(m, args[0]!, args.slice(1), stdin, depth) : { code: 0 };
  }
  const handler = COMMANDS[program];
  if (handler) return handler(m, args, stdin);
  if (HARMLESS.has(program)) return { code: 0 };
  m.notModelled.push(`${[name, ...args].join(' ').slice(0, 120)}: the simulator does not model ${program}`);
  return { code: 0 };
}

/** `test` / `[`: file tests (-e, -f, -d, -s, -x) and string tests (-z, -n, =, !=), with `!`. */
function testExpression(m: Machine, args: string[]): boolean {
  if (args[0] === '!') return !testExpression(m, args.slice(1));
  if (args.length === 2) {
    const [op, operand = ''] = args;
    const entry = m.fs.get(normalize(operand, m.cwd));
    switch (op) {
      case '-e':
        return !!entry;
      case '-f':
        return !!entry && entry.kind !== 'dir';
      case '-d':
        return entry?.kind === 'dir';
      case '-s':
        return !!entry && entry.size > 0;
      case '-x':
        return !!entry && (entry.mode & 0o111) !== 0;
      case '-z':
        return operand === '';
      case '-n':
        return operand !== '';
    }
  }
  if (args.length === 3 && (args[1] === '=' || args[1] === '==')) return args[0] === args[2];
  if (args.length === 3 && args[1] === '!=') return args[0] !== args[2];
  if (args.length === 1) return args[0] !== '';
  return false;
}
