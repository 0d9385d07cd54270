/**
 * The shell of `run:` steps: a small, documented subset of bash, run as GitHub runs `bash -e {0}` (the step stops
 * at the first command that fails, except inside `&&` / `||` lists and `if`-less tests).
 *
 * Supported: one command per line or joined with `;`, `&&`, `||`; `#` comments; words in single or double quotes;
 * `$NAME`, `${NAME}` and `$?`; `NAME=value` and `export NAME=value`; output redirection `> file`, `>> file`
 * (`2>&1` is accepted: output is one stream); backslash at the end of a line continues it.
 * Commands: `node`, `node --test`, `npm test` / `npm run <script>` / `npm ci` / `npm install`, `git` (what the
 * host provides), `echo`, `printf` (a format and arguments, %s and %d), `cat`, `ls`, `mkdir [-p]`, `rm [-rf]`,
 * `cp [-r]`, `mv`, `test` / `[ … ]`, `true`, `false`, `exit`, `set`, `cd` (only `cd .`).
 * Not supported, with a message that says so: pipes, `$( … )`, globs in arguments, here-documents, functions,
 * `if`/`for`/`while`. Anything else is "command not found", with the list above.
 */

export interface CommandResult {
  code: number;
  /** Set when the command could not be run at all (a time limit, a stop). */
  stopped?: 'timeout' | 'killed' | 'error';
}

export interface ShellHost {
  /** Print to the step's log. */
  write(text: string): void;
  readFile(path: string): Promise<string | null>;
  writeFile(path: string, text: string, append: boolean): Promise<void>;
  /** 'file', 'dir' or null. */
  kind(path: string): Promise<'file' | 'dir' | null>;
  list(dir: string): Promise<string[]>;
  remove(path: string): Promise<void>;
  /** Run `node args…`; `output` receives what it prints. */
  node(args: string[], env: Record<string, string>, output: (text: string) => void): Promise<CommandResult>;
  /** `git args…` over the lab's repository; null when the host has no repository. */
  git?(args: string[], output: (text: string) => void): Promise<CommandResult>;
  /** package.json's scripts, for `npm run`. */
  scripts(): Promise<Record<string, string>>;
}

export const SHELL_COMMANDS = ['node', 'npm', 'git', 'echo', 'printf', 'cat', 'ls', 'mkdir', 'rm', 'cp', 'mv', 'test', '[', 'true', 'false', 'exit', 'set', 'export', 'cd'];

export class ShellSyntaxError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.name = 'ShellSyntaxError';
    this.line = line;
  }
}

type Piece = { text: string; quoted: boolean } | { variable: string };
type Word = Piece[];
type Op = '&&' | '||' | ';' | 'newline';
interface Redirect {
  append: boolean;
  target: Word;
}
interface SimpleCommand {
  words: Word[];
  redirect: Redirect | null;
  line: number;
}
interface ListItem {
  command: SimpleCommand;
  /** How this command joins the previous one. */
  op: Op;
}

/** Split the script into commands; throws ShellSyntaxError naming the line for what the subset lacks. */
export function parseScript(script: string): ListItem[] {
  const items: ListItem[] = [];
  let words: Word[] = [];
  let word: Word | null = null;
  let redirect: Redirect | null = null;
  let pendingRedirect: { append: boolean } | null = null;
  let op: Op = 'newline';
  let line = 1;
  let commandLine = 1;
  const s = script;

  const pushText = (text: string, quoted: boolean) => {
    word ??= [];
    const last = word[word.length - 1];
    if (last && 'text' in last && last.quoted === quoted) last.text += text;
    else word.push({ text, quoted });
  };
  const endWord = () => {
    if (!word) return;
    if (pendingRedirect) {
      redirect = { append: pendingRedirect.append, target: word };
      pendingRedirect = null;
    } else words.push(word);
    word = null;
  };
  const endCommand = (next: Op) => {
    endWord();
    if (pendingRedirect) throw new ShellSyntaxError(`line ${commandLine}: a redirection needs a file name`, commandLine);
    if (words.length) items.push({ command: { words, redirect, line: commandLine }, op });
    else if (next === '&&' || next === '||') throw new ShellSyntaxError(`line ${line}: syntax error near unexpected token \`${next}'`, line);
    words = [];
    redirect = null;
    op = next;
    commandLine = line;
  };
  const readVariable = (i: number, quoted: boolean): number => {
    if (s[i + 1] === '{') {
      const close = s.indexOf('}', i + 2);
      if (close < 0) throw new ShellSyntaxError(`line ${line}: \${ without a closing }`, line);
      const name = s.slice(i + 2, close);
      if (!/^[A-Za-z_][\w]*$/.test(name)) throw new ShellSyntaxError(`line ${line}: \${${name}}: only plain variable names are supported`, line);
      (word ??= []).push({ variable: name });
      return close;
    }
    if (s[i + 1] === '(') throw new ShellSyntaxError(`line ${line}: command substitution $( … ) is not supported in the lab's shell; write the value from a node script into $GITHUB_OUTPUT instead`, line);
    const m = /^(\?|[A-Za-z_]\w*)/.exec(s.slice(i + 1));
    if (!m) {
      pushText('$', quoted);
      return i;
    }
    (word ??= []).push({ variable: m[1]! });
    return i + m[1]!.length;
  };

  for (let i = 0; i < s.length; i += 1) {
    const c = s[i]!;
    if (c === '\\' && s[i + 1] === '\n') {
      i += 1;
      line += 1;
      continue;
    }
    if (c === '\n') {
      endCommand('newline');
      line += 1;
      commandLine = line;
      continue;
    }
    if (c === ' ' || c === '\t') {
      endWord();
      continue;
    }
    if (c === '#' && !word) {
      while (i < s.length && s[i] !== '\n') i += 1;
      i -= 1;
      continue;
    }
    if (c === "'") {
      const close = s.indexOf("'", i + 1);
      if (close < 0) throw new ShellSyntaxError(`line ${line}: unexpected EOF while looking for matching \`''`, line);
      pushText(s.slice(i + 1, close), true);
      line += (s.slice(i + 1, close).match(/\n/g) ?? []).length;
      i = close;
      continue;
    }
    if (c === '"') {
      word ??= [];
      let j = i + 1;
      for (; j < s.length && s[j] !== '"'; j += 1) {
        if (s[j] === '\\' && /["\\$`]/.test(s[j + 1] ?? '')) {
          pushText(s[j + 1]!, true);
          j += 1;
        } else if (s[j] === '$') j = readVariable(j, true);
        else if (s[j] === '`') throw new ShellSyntaxError(`line ${line}: command substitution \`…\` is not supported in the lab's shell`, line);
        else {
          if (s[j] === '\n') line += 1;
          pushText(s[j]!, true);
        }
      }
      if (j >= s.length) throw new ShellSyntaxError(`line ${line}: unexpected EOF while looking for matching \`"'`, line);
      i = j;
      continue;
    }
    if (c === '\\') {
      pushText(s[i + 1] ?? '', true);
      i += 1;
      continue;
    }
    if (c === '$') {
      i = readVariable(i, false);
      continue;
    }
    if (c === '`') throw new ShellSyntaxError(`line ${line}: command substitution \`…\` is not supported in the lab's shell`, line);
    if (c === '&' && s[i + 1] === '&') {
      endCommand('&&');
      i += 1;
      continue;
    }
    if (c === '|' && s[i + 1] === '|') {
      endCommand('||');
      i += 1;
      continue;
    }
    if (c === '|') throw new ShellSyntaxError(`line ${line}: pipes (|) are not supported in the lab's shell; let one node script do both parts`, line);
    if (c === ';') {
      endCommand(';');
      continue;
    }
    if (c === '2' && !word && s.startsWith('2>&1', i)) {
      i += 3;
      continue;
    }
    if (c === '>') {
      endWord();
      const append = s[i + 1] === '>';
      if (append) i += 1;
      pendingRedirect = { append };
      continue;
    }
    if (c === '<') throw new ShellSyntaxError(`line ${line}: input redirection and here-documents are not supported in the lab's shell`, line);
    if (c === '(' || c === ')') {
      throw new ShellSyntaxError(`line ${line}: subshells, groups and functions are not supported in the lab's shell`, line);
    }
    pushText(c, false);
  }
  endCommand('newline');
  for (const item of items) {
    const first = item.command.words[0];
    const name = first && first.length === 1 && 'text' in first[0]! && !first[0].quoted ? first[0].text : null;
    if (name && ['if', 'then', 'fi', 'for', 'while', 'do', 'done', 'case', 'esac', 'function'].includes(name)) {
      throw new ShellSyntaxError(`line ${item.command.line}: '${name}' is not supported in the lab's shell; put the logic in a node script, or use the step's if:`, item.command.line);
    }
  }
  return items;
}

const expand = (word: Word, vars: Record<string, string>, status: number): string =>
  word.map((p) => ('variable' in p ? (p.variable === '?' ? String(status) : (vars[p.variable] ?? '')) : p.text)).join('');

const hasGlob = (word: Word) => word.some((p) => 'text' in p && !p.quoted && /[*?]|\[[^\]]*\]/.test(p.text));

export interface ShellRun {
  code: number;
  stopped?: CommandResult['stopped'];
}

/** Run a script; returns the exit code of the step (bash -e: the first failure outside && / || ends it). */
export async function runScript(script: string, host: ShellHost, env: Record<string, string>): Promise<ShellRun> {
  let items: ListItem[];
  try {
    items = parseScript(script);
  } catch (error) {
    host.write(`${(error as Error).message}\n`);
    return { code: 2 };
  }
  const vars = { ...env };
  let status = 0;
  // And-or lists (commands joined by && and ||), separated by ; and new lines.
  const lists: ListItem[][] = [];
  for (const item of items) {
    if (item.op === '&&' || item.op === '||') lists[lists.length - 1]!.push(item);
    else lists.push([item]);
  }
  for (const list of lists) {
    let lastRun = -1;
    for (let i = 0; i < list.length; i += 1) {
      const { command, op } = list[i]!;
      if ((op === '&&' && status !== 0) || (op === '||' && status === 0)) continue;
      lastRun = i;
      const words = command.words;
      const argv = words.map((w) => expand(w, vars, status));
      const glob = argv[0] !== 'echo' && words.findIndex(hasGlob);
      if (glob !== false && glob >= 0) {
        host.write(`line ${command.line}: wildcards in arguments (${argv[glob]}) are not expanded by the lab's shell; name the files, or let the script find them\n`);
        return { code: 2 };
      }
      let out = '';
      const sink = command.redirect ? (text: string) => void (out += text) : (text: string) => host.write(text);
      const result = await runCommand(argv, vars, host, sink, command.line);
      if (command.redirect) {
        const target = expand(command.redirect.target, vars, status);
        if (!target) {
          host.write(`line ${command.line}: ambiguous redirect (the file name is empty)\n`);
          return { code: 1 };
        }
        await host.writeFile(target, out, command.redirect.append);
      }
      if (result.stopped) return { code: result.code, stopped: result.stopped };
      if (result.exit !== undefined) return { code: result.exit };
      status = result.code;
    }
    // bash -e: a failure ends the step unless it came from a command before the last && / || of its list.
    if (status !== 0 && lastRun === list.length - 1) return { code: status };
  }
  return { code: status };
}

interface Outcome extends CommandResult {
  /** `exit N` */
  exit?: number;
}

async function runCommand(argv: string[], vars: Record<string, string>, host: ShellHost, out: (text: string) => void, line: number): Promise<Outcome> {
  // Assignments before the command (or alone).
  const assignments: Record<string, string> = {};
  while (argv.length && /^[A-Za-z_]\w*=/.test(argv[0]!)) {
    const [name, ...rest] = argv.shift()!.split('=');
    assignments[name!] = rest.join('=');
  }
  if (!argv.length) {
    Object.assign(vars, assignments);
    return { code: 0 };
  }
  const [name, ...args] = argv as [string, ...string[]];
  const fail = (message: string, code = 1): Outcome => {
    host.write(`${message}\n`);
    return { code };
  };
  switch (name) {
    case 'true':
    case ':':
      return { code: 0 };
    case 'false':
      return { code: 1 };
    case 'exit':
      return { code: 0, exit: args[0] === undefined ? 0 : Number(args[0]) || 0 };
    case 'set':
      return { code: 0 };
    case 'export':
      for (const a of args) {
        const eq = a.indexOf('=');
        if (eq > 0) vars[a.slice(0, eq)] = a.slice(eq + 1);
      }
      return { code: 0 };
    case 'cd':
      if (!args.length || args[0] === '.' || args[0] === vars.GITHUB_WORKSPACE) return { code: 0 };
      return fail(`line ${line}: cd: changing folder is not supported in the lab's shell (node always runs in the workspace); use paths instead`);
    case 'echo': {
      let rest = args;
      let newline = true;
      let escapes = false;
      while (rest[0] && /^-[neE]+$/.test(rest[0])) {
        if (rest[0].includes('n')) newline = false;
        if (rest[0].includes('e')) escapes = true;
        rest = rest.slice(1);
      }
      let text = rest.join(' ');
      if (escapes) text = text.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
      out(text + (newline ? '\n' : ''));
      return { code: 0 };
    }
    case 'printf': {
      const [format = '', ...values] = args;
      let k = 0;
      const text = format.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/%([sd%])/g, (_m, t: string) => (t === '%' ? '%' : t === 'd' ? String(Number.parseInt(values[k++] ?? '0', 10) || 0) : (values[k++] ?? '')));
      out(text);
      return { code: 0 };
    }
    case 'cat': {
      for (const path of args) {
        const text = await host.readFile(path);
        if (text === null) return fail(`cat: ${path}: No such file or directory`);
        out(text);
      }
      return { code: 0 };
    }
    case 'ls': {
      const targets = args.filter((a) => !a.startsWith('-'));
      for (const dir of targets.length ? targets : ['.']) {
        const kind = await host.kind(dir);
        if (!kind) return fail(`ls: cannot access '${dir}': No such file or directory`, 2);
        out(kind === 'file' ? `${dir}\n` : (await host.list(dir)).map((n) => `${n}\n`).join(''));
      }
      return { code: 0 };
    }
    case 'mkdir': {
      for (const dir of args.filter((a) => !a.startsWith('-'))) await host.writeFile(`${dir.replace(/\/+$/, '')}/.keep`, '', false);
      return { code: 0 };
    }
    case 'rm': {
      const force = args.some((a) => /^-\w*f/.test(a));
      for (const path of args.filter((a) => !a.startsWith('-'))) {
        if (!(await host.kind(path)) && !force) return fail(`rm: cannot remove '${path}': No such file or directory`);
        await host.remove(path);
      }
      return { code: 0 };
    }
    case 'cp':
    case 'mv': {
      const paths = args.filter((a) => !a.startsWith('-'));
      if (paths.length !== 2) return fail(`${name}: give one source and one destination (the lab's shell copies one file)`);
      const [from, to] = paths as [string, string];
      const text = await host.readFile(from);
      if (text === null) return fail(`${name}: cannot stat '${from}': No such file or directory`);
      const dest = (await host.kind(to)) === 'dir' ? `${to.replace(/\/+$/, '')}/${from.split('/').pop()}` : to;
      await host.writeFile(dest, text, false);
      if (name === 'mv') await host.remove(from);
      return { code: 0 };
    }
    case 'test':
    case '[': {
      const expr = name === '[' ? (args[args.length - 1] === ']' ? args.slice(0, -1) : null) : args;
      if (!expr) return fail(`line ${line}: [: missing \`]'`, 2);
      return { code: (await test(expr, host)) ? 0 : 1 };
    }
    case 'node':
      return host.node(args, { ...vars, ...assignments }, out);
    case 'npm':
      return npm(args, vars, host, out, line);
    case 'git':
      if (!host.git) return fail('git: there is no repository in this workspace (check it out with actions/checkout)', 128);
      return host.git(args, out);
    default:
      return fail(`line ${line}: ${name}: command not found (the lab's shell runs: ${SHELL_COMMANDS.join(', ')})`, 127);
  }
}

async function test(expr: string[], host: ShellHost): Promise<boolean> {
  if (expr[0] === '!') return !(await test(expr.slice(1), host));
  if (expr.length === 1) return expr[0] !== '';
  if (expr.length === 2) {
    const [flag, value] = expr as [string, string];
    if (flag === '-z') return value === '';
    if (flag === '-n') return value !== '';
    if (flag === '-f') return (await host.kind(value)) === 'file';
    if (flag === '-d') return (await host.kind(value)) === 'dir';
    if (flag === '-e') return (await host.kind(value)) !== null;
  }
  if (expr.length === 3) {
    const [a, operator, b] = expr as [string, string, string];
    if (operator === '=' || operator === '==') return a === b;
    if (operator === '!=') return a !== b;
    const x = Number(a);
    const y = Number(b);
    if (operator === '-eq') return x === y;
    if (operator === '-ne') return x !== y;
    if (operator === '-lt') return x < y;
    if (operator === '-le') return x <= y;
    if (operator === '-gt') return x > y;
    if (operator === '-ge') return x >= y;
  }
  return false;
}

async function npm(args: string[], vars: Record<string, string>, host: ShellHost, out: (text: string) => void, line: number): Promise<Outcome> {
  const [sub, ...rest] = args;
  if (sub === 'ci' || sub === 'install' || sub === 'i') {
    out('up to date: the project uses Node.js built-ins only, so there is nothing to install.\n');
    return { code: 0 };
  }
  const script = sub === 'test' || sub === 't' ? 'test' : sub === 'start' ? 'start' : sub === 'run' || sub === 'run-script' ? rest.shift() : undefined;
  if (!script) {
    host.write(`line ${line}: npm ${sub ?? ''}: the lab's shell runs npm test, npm start, npm run <script>, npm ci and npm install\n`);
    return { code: 1 };
  }
  const scripts = await host.scripts();
  const command = scripts[script];
  if (command === undefined) {
    host.write(`npm error Missing script: "${script}"\n`);
    return { code: 1 };
  }
  out(`\n> ${script}\n> ${command}\n\n`);
  return runScript([command, ...rest].join(' '), { ...host, write: out }, vars).then((r) => ({ code: r.code, stopped: r.stopped }));
}
