/**
 * A job's workspace: a lab runtime (a fresh offline runtime per job, or WebContainers' one file system cleared
 * between jobs) seen as files. The runner's own files (environment files, generated scripts) live in `.runner/`,
 * which checkout, artifacts, caches and hashFiles never see.
 */
import type { LabRuntime } from '../runtime/types.ts';
import type { FileMap } from './files.ts';

export const RUNNER_DIR = '.runner';

const clean = (path: string) =>
  path
    .replace(/^\.\/+/, '')
    .replace(/^\/+/, '')
    .replace(/\/+$/, '')
    .split('/')
    .filter((p) => p && p !== '.')
    .join('/');

export class Workspace {
  readonly runtime: LabRuntime;

  constructor(runtime: LabRuntime) {
    this.runtime = runtime;
  }

  path(path: string): string {
    return clean(path);
  }

  async read(path: string): Promise<string | null> {
    return this.runtime.readFile(clean(path));
  }

  async write(path: string, text: string, append = false): Promise<void> {
    const p = clean(path);
    const before = append ? ((await this.runtime.readFile(p)) ?? '') : '';
    await this.runtime.writeFile(p, before + text);
  }

  async mount(files: FileMap, under = ''): Promise<void> {
    const prefix = clean(under);
    await this.runtime.mount(Object.fromEntries(Object.entries(files).map(([p, t]) => [prefix ? `${prefix}/${p}` : p, t])));
  }

  async kind(path: string): Promise<'file' | 'dir' | null> {
    const p = clean(path);
    if (!p) return 'dir';
    const parent = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '';
    const name = p.slice(p.lastIndexOf('/') + 1);
    const entry = (await this.runtime.readdir(parent)).find((e) => e.name === name);
    return entry ? (entry.directory ? 'dir' : 'file') : null;
  }

  async list(dir: string): Promise<string[]> {
    return (await this.runtime.readdir(clean(dir))).map((e) => e.name).filter((n) => n !== RUNNER_DIR && n !== '.keep');
  }

  async remove(path: string): Promise<void> {
    await this.runtime.remove(clean(path));
  }

  /** Every file below `dir` (the runner's own folder left out), as text. */
  async files(dir = '', depth = 0): Promise<FileMap> {
    const out: FileMap = {};
    const base = clean(dir);
    if (depth > 12) return out;
    for (const entry of await this.runtime.readdir(base)) {
      const path = base ? `${base}/${entry.name}` : entry.name;
      if (path === RUNNER_DIR || entry.name === 'node_modules') continue;
      if (entry.directory) Object.assign(out, await this.files(path, depth + 1));
      else if (entry.name !== '.keep') {
        const text = await this.runtime.readFile(path);
        if (text !== null) out[path] = text;
      }
    }
    return out;
  }
}
