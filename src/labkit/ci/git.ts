/**
 * The lab's Git repository: commits of the project's files on branches, and pull requests, as plain JSON in the
 * lab's state. Object ids are Git's own (SHA-1 of `blob`, `tree` and `commit` objects, as `git hash-object` and
 * `git commit-tree` compute them), so a commit here has the id real Git gives the same files, author, date and
 * message. Also what the CI runner needs from it: the files at a commit, the files a push or a pull request
 * changed, and `git diff`/`git log`/`git rev-parse` for `run:` steps.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { createTwoFilesPatch, structuredPatch } from 'diff';
import type { FileMap } from './files.ts';
import type { CommandResult } from './shell.ts';

const encoder = new TextEncoder();

function hashObject(type: 'blob' | 'tree' | 'commit', body: Uint8Array): string {
  const header = encoder.encode(`${type} ${body.length}\0`);
  const all = new Uint8Array(header.length + body.length);
  all.set(header);
  all.set(body, header.length);
  return bytesToHex(sha1(all));
}

export const blobId = (text: string): string => hashObject('blob', encoder.encode(text));

/** The id of the tree of these files (folders become trees; entries in Git's order). */
export function treeId(files: FileMap): string {
  const entries = new Map<string, { mode: string; id: string; isTree: boolean }>();
  const folders = new Map<string, FileMap>();
  for (const [path, text] of Object.entries(files)) {
    const slash = path.indexOf('/');
    if (slash < 0) entries.set(path, { mode: '100644', id: blobId(text), isTree: false });
    else {
      const dir = path.slice(0, slash);
      const inner = folders.get(dir) ?? {};
      inner[path.slice(slash + 1)] = text;
      folders.set(dir, inner);
    }
  }
  for (const [dir, inner] of folders) entries.set(dir, { mode: '40000', id: treeId(inner), isTree: true });
  // Git sorts by name bytes, a folder's name as if it ended with '/'.
  const sorted = [...entries].sort(([a, x], [b, y]) => {
    const ka = x.isTree ? `${a}/` : a;
    const kb = y.isTree ? `${b}/` : b;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  const parts: Uint8Array[] = [];
  for (const [name, entry] of sorted) {
    parts.push(encoder.encode(`${entry.mode} ${name}\0`));
    parts.push(Uint8Array.from(entry.id.match(/../g)!.map((h) => Number.parseInt(h, 16))));
  }
  const body = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    body.set(p, at);
    at += p.length;
  }
  return hashObject('tree', body);
}

export interface Signature {
  name: string;
  email: string;
  /** Seconds since 1970. */
  time: number;
}

export function commitId(tree: string, parents: string[], author: Signature, message: string): string {
  const who = `${author.name} <${author.email}> ${author.time} +0000`;
  const text = `tree ${tree}\n${parents.map((p) => `parent ${p}\n`).join('')}author ${who}\ncommitter ${who}\n\n${message.endsWith('\n') ? message : `${message}\n`}`;
  return hashObject('commit', encoder.encode(text));
}

export interface Commit {
  id: string;
  parents: string[];
  message: string;
  author: Signature;
  /** The files that differ from the lab's starter (null: the file is deleted). */
  changes: Record<string, string | null>;
}

export interface PullRequest {
  number: number;
  title: string;
  head: string;
  base: string;
  state: 'open' | 'merged' | 'closed';
}

export interface RepoState {
  commits: Commit[];
  branches: Record<string, string>;
  pulls: PullRequest[];
  defaultBranch: string;
}

export const AUTHOR = { name: 'Student', email: 'student@example.edu' };
/** The starter's commit time (2026-09-01T09:00:00Z): fixed, so the first commit has the same id everywhere. */
export const START_TIME = 1788253200;

export class Repo {
  readonly state: RepoState;
  private starter: FileMap;
  /** While a workflow's git command runs: the commits its checkout fetched. */
  private fetched: Set<string> | null = null;

  constructor(starter: FileMap, state?: RepoState) {
    this.starter = starter;
    if (state) this.state = state;
    else {
      const tree = treeId(starter);
      const author = { ...AUTHOR, time: START_TIME };
      const id = commitId(tree, [], author, 'Start the iris project');
      this.state = { commits: [{ id, parents: [], message: 'Start the iris project', author, changes: {} }], branches: { main: id }, pulls: [], defaultBranch: 'main' };
    }
  }

  commit(id: string): Commit | undefined {
    return this.state.commits.find((c) => c.id === id);
  }

  /** The files of a commit. */
  files(id: string): FileMap {
    const commit = this.commit(id);
    if (!commit) throw new Error(`no commit ${id}`);
    const out = { ...this.starter };
    for (const [path, text] of Object.entries(commit.changes)) {
      if (text === null) delete out[path];
      else out[path] = text;
    }
    return out;
  }

  /** Commit these files on a branch (created from `from` when new); returns the commit, or null when nothing changed. */
  commitFiles(branch: string, files: FileMap, message: string, time: number, from = this.state.defaultBranch): Commit | null {
    const parentId = this.state.branches[branch] ?? this.state.branches[from];
    if (!parentId) throw new Error(`no branch ${from}`);
    const parentFiles = this.files(parentId);
    if (sameFiles(parentFiles, files)) {
      if (!this.state.branches[branch]) this.state.branches[branch] = parentId;
      return null;
    }
    const author = { ...AUTHOR, time: Math.max(time, (this.commit(parentId)?.author.time ?? 0) + 1) };
    const changes: Record<string, string | null> = {};
    for (const path of new Set([...Object.keys(this.starter), ...Object.keys(files)])) {
      if (!(path in files)) changes[path] = null;
      else if (files[path] !== this.starter[path]) changes[path] = files[path]!;
    }
    const id = commitId(treeId(files), [parentId], author, message);
    const commit: Commit = { id, parents: [parentId], message, author, changes };
    if (!this.commit(id)) this.state.commits.push(commit);
    this.state.branches[branch] = id;
    return commit;
  }

  /** The files two commits differ in. */
  changedFiles(from: string | null, to: string): string[] {
    const a = from ? this.files(from) : {};
    const b = this.files(to);
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((p) => a[p] !== b[p]).sort();
  }

  /** The newest commit both histories contain (the merge base). */
  mergeBase(a: string, b: string): string | null {
    const seen = new Set<string>();
    const walk = (id: string | undefined) => {
      for (let c = id ? this.commit(id) : undefined; c; c = this.commit(c.parents[0]!)) seen.add(c.id);
    };
    walk(a);
    for (let c = this.commit(b); c; c = this.commit(c.parents[0]!)) if (seen.has(c.id)) return c.id;
    return null;
  }

  log(id: string, limit = 50): Commit[] {
    const out: Commit[] = [];
    for (let c = this.commit(id); c && out.length < limit; c = c.parents[0] ? this.commit(c.parents[0]) : undefined) out.push(c);
    return out;
  }

  openPull(title: string, head: string, base: string): PullRequest {
    const existing = this.state.pulls.find((p) => p.head === head && p.base === base && p.state === 'open');
    if (existing) return existing;
    const pull: PullRequest = { number: this.state.pulls.length + 1, title, head, base, state: 'open' };
    this.state.pulls.push(pull);
    return pull;
  }

  /** Squash-merge a pull request: one commit on the base with the head's files. */
  merge(number: number, time: number): Commit | null {
    const pull = this.state.pulls.find((p) => p.number === number);
    if (!pull || pull.state !== 'open') throw new Error(`pull request #${number} is not open`);
    const files = this.files(this.state.branches[pull.head]!);
    const commit = this.commitFiles(pull.base, files, `${pull.title} (#${pull.number})`, time);
    pull.state = 'merged';
    return commit;
  }

  /** Resolve a revision: a branch, `origin/<branch>`, a full or short commit id, or HEAD (given). */
  resolve(rev: string, head: string): string | null {
    const name = rev.replace(/^origin\//, '').replace(/^refs\/heads\//, '');
    const id =
      rev === 'HEAD'
        ? head
        : (this.state.branches[name] ?? (/^[0-9a-f]{4,40}$/.test(rev) ? this.state.commits.find((c) => c.id.startsWith(rev))?.id : undefined) ?? null);
    return id && (!this.fetched || this.fetched.has(id)) ? id : null;
  }

  /**
   * `git diff`, `git log --oneline`, `git rev-parse` for a workflow's `run:` lines, at commit `head`, in a checkout
   * that fetched `depth` commits of history (0: all; actions/checkout fetches 1 unless told otherwise).
   */
  async command(args: string[], head: string, out: (text: string) => void, depth = 0): Promise<CommandResult> {
    const [sub, ...rest] = args;
    this.fetched = new Set(this.log(head, depth > 0 ? depth : Number.MAX_SAFE_INTEGER).map((c) => c.id));
    try {
      const result = await this.answer(sub, rest, head, out);
      if (result.code === 128 && depth > 0) out(`hint: actions/checkout fetched ${depth} commit${depth === 1 ? '' : 's'} of history; set fetch-depth: 0 to fetch all of it.\n`);
      return result;
    } finally {
      this.fetched = null;
    }
  }

  private async answer(sub: string | undefined, rest: string[], head: string, out: (text: string) => void): Promise<CommandResult> {
    if (sub === 'rev-parse') {
      const id = this.resolve(rest.find((a) => !a.startsWith('-')) ?? 'HEAD', head);
      if (!id) {
        out(`fatal: ambiguous argument '${rest[0]}': unknown revision or path not in the working tree.\n`);
        return { code: 128 };
      }
      out(`${rest.includes('--short') ? id.slice(0, 7) : id}\n`);
      return { code: 0 };
    }
    if (sub === 'log') {
      const n = Number((rest.find((a) => /^-n?\d+$/.test(a)) ?? '-50').replace(/^-n?/, ''));
      for (const c of this.log(head, n)) out(rest.includes('--oneline') ? `${c.id.slice(0, 7)} ${c.message.split('\n')[0]}\n` : `commit ${c.id}\nAuthor: ${c.author.name} <${c.author.email}>\n\n    ${c.message}\n\n`);
      return { code: 0 };
    }
    if (sub === 'diff') {
      const dash = rest.indexOf('--');
      const paths = dash >= 0 ? rest.slice(dash + 1) : [];
      const opts = dash >= 0 ? rest.slice(0, dash) : rest;
      let context = 3;
      const revs: string[] = [];
      for (let i = 0; i < opts.length; i += 1) {
        const a = opts[i]!;
        const m = /^(?:-U|--unified=)(\d+)$/.exec(a);
        if (m) context = Number(m[1]);
        else if (a === '-U') context = Number(opts[++i]);
        else if (a === '--name-only') revs.push('\0names');
        else if (!a.startsWith('-')) revs.push(a);
      }
      const namesOnly = revs.includes('\0names');
      const list = revs.filter((r) => r !== '\0names');
      let from: string | null;
      let to: string;
      const range = list[0]?.split(/\.{2,3}/);
      if (list[0]?.includes('...')) {
        const a = this.resolve(range![0]!, head);
        const b = this.resolve(range![1] || 'HEAD', head);
        if (!a || !b) return unknown(out, list[0]!);
        from = this.mergeBase(a, b);
        to = b;
      } else if (list[0]?.includes('..')) {
        from = this.resolve(range![0]!, head);
        to = this.resolve(range![1] || 'HEAD', head) ?? '';
        if (!from || !to) return unknown(out, list[0]!);
      } else {
        from = list[0] ? this.resolve(list[0], head) : head;
        to = list[1] ? (this.resolve(list[1], head) ?? '') : head;
        if ((list[0] && !from) || !to) return unknown(out, list[0] ?? list[1]!);
      }
      const a = from ? this.files(from) : {};
      const b = this.files(to);
      const inPaths = (p: string) => !paths.length || paths.some((q) => p === q || p.startsWith(`${q.replace(/\/+$/, '')}/`));
      for (const path of this.changedFiles(from, to).filter(inPaths)) {
        if (namesOnly) {
          out(`${path}\n`);
          continue;
        }
        const patch = createTwoFilesPatch(`a/${path}`, `b/${path}`, a[path] ?? '', b[path] ?? '', undefined, undefined, { context });
        const body = patch
          .split('\n')
          .filter((l) => !/^={10,}$/.test(l))
          .map((l) => (/^(---|\+\+\+) /.test(l) ? l.replace(/\t.*$/, '') : l))
          .join('\n');
        out(`diff --git a/${path} b/${path}\n${body}`);
      }
      return { code: 0 };
    }
    out(`git ${sub ?? ''}: the lab's repository answers git diff, git log and git rev-parse in workflow steps\n`);
    return { code: 1 };
  }
}

function unknown(out: (text: string) => void, rev: string): CommandResult {
  out(`fatal: ambiguous argument '${rev}': unknown revision or path not in the working tree.\n`);
  return { code: 128 };
}

function sameFiles(a: FileMap, b: FileMap): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** The lines a change added or changed in each file (new-file line numbers), for annotations on "the lines this PR changed". */
export function changedLines(before: FileMap, after: FileMap): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const path of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (before[path] === after[path] || after[path] === undefined) continue;
    const patch = structuredPatch(path, path, before[path] ?? '', after[path]!, undefined, undefined, { context: 0 });
    const lines: number[] = [];
    for (const hunk of patch.hunks) {
      let line = hunk.newStart;
      for (const l of hunk.lines) {
        if (l.startsWith('+')) lines.push(line);
        if (!l.startsWith('-')) line += 1;
      }
    }
    if (lines.length) out[path] = lines;
  }
  return out;
}
