/**
 * The commands a RUN instruction runs, as the linter needs them: each simple command's name and arguments (quotes
 * removed, variables left as written), also inside `sh -c "…"`, with the operators around them.
 */
import type { Instruction } from '../dockerfile.ts';
import { expandWord } from '../expand.ts';
import { parseScript } from '../sh.ts';

export interface LintCommand {
  name: string;
  args: string[];
  /** Whether the command's output is piped into another command. */
  piped: boolean;
}

const keepVariables = (name: string) => `\${${name}}`;

export function scriptOf(ins: Instruction): string {
  if (ins.json) return ins.json.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  if (ins.heredocs.length && /^<<-?\s*["']?[A-Za-z_]/.test(ins.args.trim())) return ins.heredocs.map((h) => h.content).join('\n');
  return ins.heredocs.length ? `${ins.args}\n${ins.heredocs.map((h) => h.content).join('')}` : ins.args;
}

export function commandsOf(script: string, depth = 0): LintCommand[] {
  const parsed = parseScript(script);
  const out: LintCommand[] = [];
  for (const item of parsed.items) {
    item.pipeline.commands.forEach((c, k) => {
      const words = c.words.map((w) => expandWord(w.raw, keepVariables).value);
      const [name = '', ...args] = words;
      const piped = k < item.pipeline.commands.length - 1;
      const base = name.split('/').pop()!;
      if ((base === 'sh' || base === 'bash') && args.includes('-c') && depth < 3) {
        const inner = args[args.indexOf('-c') + 1];
        if (inner) {
          out.push(...commandsOf(inner, depth + 1));
          return;
        }
      }
      if (base === 'sudo' || base === 'env' || base === 'nice' || base === 'time') {
        out.push({ name: base, args, piped });
        const rest = args.filter((a) => !a.startsWith('-') && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(a));
        if (rest.length) out.push({ name: rest[0]!.split('/').pop()!, args: args.slice(args.indexOf(rest[0]!) + 1), piped });
        return;
      }
      if (name) out.push({ name: base, args, piped });
    });
  }
  return out;
}

/** Whether the script pipes one command into another (`|`, not `||`). */
export function hasPipe(script: string): boolean {
  return parseScript(script).items.some((i) => i.pipeline.commands.length > 1);
}

/** Operands of a command: what is left once options (and the values of the given options) are removed. */
export function operandsOf(args: string[], withValue: readonly string[] = []): string[] {
  const out: string[] = [];
  for (let k = 0; k < args.length; k++) {
    const a = args[k]!;
    if (a.startsWith('-')) {
      const name = a.replace(/^-+/, '').split('=')[0]!;
      if (!a.includes('=') && withValue.includes(name)) k++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/** `apt-get install …` (and `apt install`): the sub-command's position and the package operands. */
export function aptInstall(c: LintCommand): { packages: string[]; args: string[] } | null {
  if (c.name !== 'apt-get' && c.name !== 'apt') return null;
  const operands = operandsOf(c.args, ['o', 'c', 't', 'target-release', 'option', 'config-file']);
  if (operands[0] !== 'install') return null;
  return { packages: operands.slice(1), args: c.args };
}

/** `pip install …`, `pip3 install …`, `python -m pip install …`. */
export function pipInstall(c: LintCommand): { args: string[] } | null {
  let args: string[] | null = null;
  if (/^pip[0-9.]*$/.test(c.name)) args = c.args;
  else if (/^python[0-9.]*$/.test(c.name) && c.args[0] === '-m' && c.args[1] === 'pip') args = c.args.slice(2);
  if (!args) return null;
  const sub = args.findIndex((a) => !a.startsWith('-'));
  if (sub < 0 || args[sub] !== 'install') return null;
  return { args: [...args.slice(0, sub), ...args.slice(sub + 1)] };
}
