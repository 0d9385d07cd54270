/**
 * A simulated `docker run` of a Python web service image: would the container start? It follows what the runtime
 * does: take ENTRYPOINT and CMD, find the program on the image's PATH (a shell-form command needs /bin/sh), check
 * that the USER exists, that a virtual environment still finds its interpreter, that the application module is in
 * the working directory and everything it imports is installed where that interpreter looks, and that the model
 * file it loads is there. It cannot run Python: it reads `import` lines and `MODEL_PATH`.
 */
import type { Image } from './build.ts';
import { imageFs } from './build.ts';
import { users } from './commands.ts';
import { normalize, resolveLink, type Fs, type Tool } from './fs.ts';

export interface SmokeCheck {
  check: string;
  ok: boolean;
  detail: string;
}

export interface SmokeResult {
  ok: boolean;
  /** The command the container runs. */
  command: string[];
  checks: SmokeCheck[];
}

const STDLIB = new Set(['os', 'sys', 'json', 'time', 'typing', 'logging', 'pathlib', 'contextlib', 'dataclasses', 'functools', 'itertools', 'collections', 'asyncio', 'datetime', 're', 'math', 'random', 'hashlib', 'uuid', 'urllib', 'http', 'io', 'enum', 'abc', 'signal', 'subprocess', 'threading', 'traceback', 'warnings', 'pickle', 'csv', 'statistics', 'tempfile', 'shutil', 'base64', 'socket', 'argparse']);

/** Top-level modules a Python file imports (`import a.b`, `from a import b`, `import a as x, c`). */
export function importsOf(source: string): string[] {
  const out = new Set<string>();
  for (const line of source.split('\n')) {
    const from = /^\s*from\s+([A-Za-z_][\w.]*)\s+import\b/.exec(line);
    if (from && !from[1]!.startsWith('.')) out.add(from[1]!.split('.')[0]!);
    const imp = /^\s*import\s+(.+)$/.exec(line);
    if (imp) for (const part of imp[1]!.split(',')) out.add(part.trim().split(/\s+/)[0]!.split('.')[0]!);
  }
  out.delete('');
  return [...out];
}

function envOf(image: Image): Record<string, string> {
  return Object.fromEntries(image.config.Env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

function which(fs: Fs, env: Record<string, string>, name: string): { path: string; tool?: Tool } | null {
  if (name.includes('/')) {
    const entry = fs.get(resolveLink(fs, normalize(name)));
    return entry ? { path: name, tool: entry.tool } : null;
  }
  for (const d of (env.PATH ?? '').split(':')) {
    const p = normalize(`${d}/${name}`);
    if (!fs.has(p)) continue;
    const target = resolveLink(fs, p);
    const entry = fs.get(target);
    if (entry) return { path: p, tool: entry.tool ?? fs.get(p)?.tool };
    return { path: p };
  }
  return null;
}

/** The interpreter behind a tool, and where it looks for packages. */
function interpreterOf(fs: Fs, tool: Tool): { version: string; site: string; ok: boolean; detail: string } | null {
  if (tool.kind !== 'python' && tool.kind !== 'script' && tool.kind !== 'pip') return null;
  const minor = tool.version.split('.').slice(0, 2).join('.');
  const site = tool.prefix === '/usr' ? '/usr/lib/python3/dist-packages' : `${tool.prefix}/lib/python${minor}/site-packages`;
  // A virtual environment's python is a link to the interpreter it was made with: that must exist here too.
  const cfg = fs.get(`${tool.prefix}/pyvenv.cfg`)?.text;
  if (cfg) {
    const home = /^home = (.*)$/m.exec(cfg)?.[1] ?? '';
    const exe = `${home}/python${minor}`;
    if (!fs.has(exe)) return { version: tool.version, site, ok: false, detail: `${tool.prefix} is a virtual environment made with ${exe}, which this image does not have (was it built on another base image?)` };
  }
  return { version: tool.version, site, ok: true, detail: `Python ${tool.version}, packages from ${site}` };
}

export function smokeTest(image: Image): SmokeResult {
  const fs = imageFs(image);
  const env = envOf(image);
  const command = [...(image.config.Entrypoint ?? []), ...(image.config.Cmd ?? [])];
  const checks: SmokeCheck[] = [];
  const add = (check: string, ok: boolean, detail: string) => checks.push({ check, ok, detail });
  const done = () => ({ ok: checks.every((c) => c.ok), command, checks });
  if (!command.length) {
    add('command', false, 'The image has neither ENTRYPOINT nor CMD: docker run would need a command.');
    return done();
  }
  const user = image.config.User.split(':')[0];
  if (user && !/^\d+$/.test(user)) {
    const found = users({ fs }).some((u) => u.name === user);
    add('user', found, found ? `runs as ${user}` : `USER ${user} does not exist in /etc/passwd: "unable to find user ${user}: no matching entries in passwd file"`);
    if (!found) return done();
  }
  let argv = command;
  if (command[0] === '/bin/sh' && command[1] === '-c') {
    const hasShell = fs.has('/bin/sh');
    add('shell', hasShell, hasShell ? 'shell form: /bin/sh runs the command (and receives the stop signal instead of your server)' : 'shell form needs /bin/sh, which this image does not have');
    if (!hasShell) return done();
    argv = (command[2] ?? '').trim().split(/\s+/);
  }
  const program = which(fs, env, argv[0]!);
  if (!program) {
    add('program', false, `exec: "${argv[0]}": executable file not found in $PATH (${env.PATH ?? 'no PATH'})`);
    return done();
  }
  add('program', true, `${argv[0]} is ${program.path}`);
  if (program.tool?.kind === 'program' && program.tool.name === 'node') {
    const script = argv.slice(1).find((a) => !a.startsWith('-'));
    if (script) {
      const path = normalize(script, image.config.WorkingDir || '/');
      const found = fs.has(path) || fs.has(`${path}.js`);
      add('application', found, found ? `${path} is there` : `Error: Cannot find module '${path}'`);
    }
    return done();
  }
  const interpreter = program.tool ? interpreterOf(fs, program.tool) : null;
  if (!interpreter) return done();
  add('interpreter', interpreter.ok, interpreter.detail);
  if (!interpreter.ok) return done();
  // The application: `uvicorn app:app`, `python -m uvicorn app:app`, `python app.py`, `gunicorn app:app`.
  const workdir = image.config.WorkingDir || '/';
  let rest = argv.slice(1);
  if (program.tool?.kind === 'python') {
    if (rest[0] === '-c') return done();
    if (rest[0] === '-m') {
      const module = rest[1] ?? '';
      const found = fs.has(`${interpreter.site}/${module}`) || STDLIB.has(module);
      add('module', found, found ? `python -m ${module}` : `${argv[0]}: No module named ${module} (not in ${interpreter.site})`);
      if (!found) return done();
      rest = rest.slice(2);
    } else if (rest[0]) {
      const script = normalize(rest[0], workdir);
      if (!fs.has(script)) {
        add('application', false, `${argv[0]}: can't open file '${script}': [Errno 2] No such file or directory`);
        return done();
      }
    }
  }
  const target = rest.find((a) => /^[\w.]+:[\w]+$/.test(a) || /\.py$/.test(a));
  if (!target) return done();
  const file = target.endsWith('.py') ? normalize(target, workdir) : normalize(`${target.split(':')[0]!.replace(/\./g, '/')}.py`, workdir);
  const source = fs.get(file);
  add('application', !!source, source ? `${file} is there` : `${file} is not in the image (the working directory is ${workdir})`);
  if (!source) return done();
  const missing = importsOf(source.text ?? '').filter((name) => {
    if (STDLIB.has(name)) return false;
    if (fs.has(`${interpreter.site}/${name}`)) return false;
    // A module next to the application file.
    return !fs.has(normalize(`${name}.py`, workdir)) && !fs.has(normalize(name, workdir));
  });
  add(
    'imports',
    !missing.length,
    missing.length
      ? `ModuleNotFoundError: No module named '${missing[0]}' (not in ${interpreter.site}${missing.length > 1 ? `; also missing: ${missing.slice(1).join(', ')}` : ''})`
      : `${importsOf(source.text ?? '').length} imports found`,
  );
  const modelPath = env.MODEL_PATH ?? /MODEL_PATH\s*=\s*os\.environ\.get\(\s*["']MODEL_PATH["']\s*,\s*["']([^"']+)["']/.exec(source.text ?? '')?.[1] ?? /MODEL_PATH\s*=\s*["']([^"']+)["']/.exec(source.text ?? '')?.[1];
  if (modelPath) {
    const path = normalize(modelPath, workdir);
    const model = fs.get(path);
    add('model', !!model && model.size > 0, model ? `${path} is there (${(model.size / 1e6).toFixed(1)} MB)` : `FileNotFoundError: ${path} (MODEL_PATH) is not in the image`);
  }
  return done();
}
