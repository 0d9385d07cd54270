/** The shell subset of run: steps, on a host with files in memory and a node that records what it is asked. */
import { describe, expect, it } from 'vitest';
import { parseScript, runScript, ShellSyntaxError, type ShellHost } from './shell.ts';

function host(files: Record<string, string> = {}, nodeCodes: Record<string, number> = {}) {
  const log: string[] = [];
  const calls: string[][] = [];
  const h: ShellHost = {
    write: (t) => void log.push(t),
    readFile: async (p) => files[p] ?? null,
    writeFile: async (p, t, append) => void (files[p] = (append ? (files[p] ?? '') : '') + t),
    kind: async (p) => (p in files ? 'file' : Object.keys(files).some((f) => f.startsWith(`${p}/`)) ? 'dir' : null),
    list: async (d) => Object.keys(files).filter((f) => f.startsWith(`${d}/`)).map((f) => f.slice(d.length + 1)),
    remove: async (p) => void Object.keys(files).filter((f) => f === p || f.startsWith(`${p}/`)).forEach((f) => delete files[f]),
    node: async (args, env, out) => {
      calls.push(args);
      out(`node ${args.join(' ')} GREETING=${env.GREETING ?? ''}\n`);
      return { code: nodeCodes[args[0] ?? ''] ?? 0 };
    },
    scripts: async () => ({ test: 'node --test' }),
  };
  return { h, log, calls, files };
}

describe('the shell of run: steps', () => {
  it('variables, quotes, redirection to $GITHUB_OUTPUT', async () => {
    const { h, files } = host();
    const r = await runScript(`NAME=world\necho "hello $NAME" 'and $NAME' >> "$GITHUB_OUTPUT"\necho "x=\${NAME}" >> $GITHUB_OUTPUT`, h, { GITHUB_OUTPUT: 'out' });
    expect(r.code).toBe(0);
    expect(files.out).toBe('hello world and $NAME\nx=world\n');
  });

  it('bash -e: the first failing command ends the step, except before && and ||', async () => {
    const { h, calls } = host({}, { 'bad.mjs': 1 });
    expect((await runScript('node bad.mjs || echo recovered\nnode good.mjs', h, {})).code).toBe(0);
    expect((await runScript('node bad.mjs && node never.mjs\nnode after.mjs', h, {})).code).toBe(0);
    expect((await runScript('node bad.mjs\nnode never.mjs', h, {})).code).toBe(1);
    expect(calls.flat()).not.toContain('never.mjs');
    expect(calls.flat()).toContain('after.mjs');
  });

  it('exit, test and [ ], $?', async () => {
    const { h, log } = host({ 'a.txt': 'x' });
    expect((await runScript('[ -f a.txt ] && exit 3', h, {})).code).toBe(3);
    expect((await runScript('test -d nowhere || echo "status $?"', h, {})).code).toBe(0);
    expect(log.join('')).toContain('status 1');
  });

  it('npm test runs the package script; npm ci installs nothing and says so', async () => {
    const { h, calls, log } = host();
    expect((await runScript('npm ci\nnpm test', h, {})).code).toBe(0);
    expect(calls).toEqual([['--test']]);
    expect(log.join('')).toMatch(/nothing to install/);
  });

  it('env assignments before a command reach node', async () => {
    const { h, log } = host();
    await runScript('GREETING=hi node x.mjs', h, {});
    expect(log.join('')).toContain('GREETING=hi');
  });

  it('what the subset lacks is an error that names the line and says what to do instead', async () => {
    expect(() => parseScript('echo a\ncat x | grep y')).toThrow(ShellSyntaxError);
    expect(() => parseScript('echo a\ncat x | grep y')).toThrow(/line 2: pipes \(\|\) are not supported/);
    expect(() => parseScript('x=$(node a.mjs)')).toThrow(/command substitution/);
    expect(() => parseScript('if [ -f a ]; then echo; fi')).toThrow(/'if' is not supported/);
    const { h, log } = host();
    expect((await runScript('curl https://example.com', h, {})).code).toBe(127);
    expect(log.join('')).toMatch(/curl: command not found \(the lab's shell runs: node, npm/);
    expect((await runScript('node src/*.mjs', h, {})).code).toBe(2);
    expect(log.join('')).toMatch(/wildcards in arguments/);
  });
});
