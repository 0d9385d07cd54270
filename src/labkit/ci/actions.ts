/**
 * The actions the lab's runner carries out itself, because it cannot download actions from GitHub:
 * `actions/checkout`, `actions/cache` (and `cache/restore`, `cache/save`), `actions/upload-artifact`,
 * `actions/download-artifact` and `actions/setup-node` (a no-op: the runtime's Node is the one there is).
 * Their inputs, outputs and messages follow the actions' READMEs. Any other action fails and says why.
 */
import { restoreEntry, saveEntry, CacheKeyError, type CacheState } from './cache.ts';
import { commonFolder, digestFiles, matchFiles, type FileMap } from './files.ts';
import type { StepOutput } from './commands.ts';
import type { Workspace } from './workspace.ts';

export interface ArtifactRecord {
  name: string;
  /** The job that uploaded it. */
  job: string;
  files: FileMap;
  size: number;
  digest: string;
}

export interface ActionContext {
  workspace: Workspace;
  log: StepOutput;
  /** The commit's files, for checkout. */
  source: FileMap;
  sha: string;
  repository: string;
  cache: CacheState;
  cacheScopes: string[];
  saveScope: string;
  cacheLimitBytes: number;
  artifacts: Map<string, ArtifactRecord>;
  job: string;
  /** Runs after the job's steps (in reverse order), e.g. the cache's save. */
  addPost(post: PostStep): void;
  /** An artifact was uploaded (the run view shows it at once). */
  onArtifact?(): void;
  /** Checkout happened, with this much history (0: all of it); the shell's `git` needs it. */
  checkedOut(depth: number): void;
}

export interface PostStep {
  name: string;
  /** `success()` for actions/cache: the post step runs only when the job has not failed. */
  condition: 'success' | 'always';
  run(context: ActionContext): Promise<ActionResult>;
}

export interface ActionResult {
  ok: boolean;
  outputs?: Record<string, string>;
}

export type Inputs = Record<string, string>;

interface ActionRef {
  owner: string;
  repo: string;
  path: string;
  version: string;
}

export function parseUses(uses: string): ActionRef | null {
  const m = /^([\w.-]+)\/([\w.-]+)((?:\/[\w.-]+)*)@(.+)$/.exec(uses.trim());
  return m ? { owner: m[1]!.toLowerCase(), repo: m[2]!.toLowerCase(), path: (m[3] ?? '').toLowerCase(), version: m[4]! } : null;
}

const major = (version: string) => {
  const m = /^v?(\d+)/.exec(version);
  return m ? Number(m[1]) : null;
};

const lines = (text: string | undefined) => (text ?? '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
const yes = (text: string | undefined) => (text ?? '').trim().toLowerCase() === 'true';

export const BUILT_IN_ACTIONS = ['actions/checkout', 'actions/setup-node', 'actions/cache', 'actions/cache/restore', 'actions/cache/save', 'actions/upload-artifact', 'actions/download-artifact'];

/** Why an action cannot run here (null when the runner has it). */
export function unavailableReason(uses: string): string | null {
  if (uses.startsWith('docker://')) return `${uses} is a container action: it needs Docker, which a browser page cannot run.`;
  if (uses.startsWith('./') || uses.startsWith('../')) return `${uses} is a local action; the lab's runner runs only its built-in actions (${BUILT_IN_ACTIONS.join(', ')}).`;
  const ref = parseUses(uses);
  if (!ref) return `Unable to read the action reference '${uses}': use {owner}/{repo}@{ref}.`;
  const name = `${ref.owner}/${ref.repo}${ref.path}`;
  if (!BUILT_IN_ACTIONS.includes(name)) {
    return `${uses} is not available offline: the lab's runner cannot download actions from GitHub (there is no network here), so it runs only the actions it re-implements: ${BUILT_IN_ACTIONS.join(', ')}.`;
  }
  if ((name === 'actions/upload-artifact' || name === 'actions/download-artifact') && (major(ref.version) ?? 4) < 4) {
    return `This request has been automatically failed because it uses a deprecated version of \`${name}: ${ref.version}\`. Learn more: https://github.blog/changelog/2024-04-16-deprecation-notice-v3-of-the-artifact-actions/`;
  }
  return null;
}

/** Run a built-in action; the caller checked `unavailableReason` first. */
export async function runAction(uses: string, inputs: Inputs, ctx: ActionContext): Promise<ActionResult> {
  const ref = parseUses(uses)!;
  const name = `${ref.owner}/${ref.repo}${ref.path}`;
  switch (name) {
    case 'actions/checkout':
      return checkout(inputs, ctx);
    case 'actions/setup-node':
      ctx.log.runner(`Node.js ${inputs['node-version'] ? `${inputs['node-version']} was requested; ` : ''}the lab runs the runtime's own Node.js (nothing is downloaded offline).`);
      return { ok: true, outputs: { 'node-version': 'v24' } };
    case 'actions/cache':
    case 'actions/cache/restore':
      return restore(inputs, ctx, name === 'actions/cache');
    case 'actions/cache/save':
      return save(inputs['key'] ?? '', lines(inputs['path']), ctx);
    case 'actions/upload-artifact':
      return upload(inputs, ctx);
    case 'actions/download-artifact':
      return download(inputs, ctx);
    default:
      ctx.log.annotate({ level: 'error', message: unavailableReason(uses) ?? `${uses} cannot run here.` });
      return { ok: false };
  }
}

async function checkout(inputs: Inputs, ctx: ActionContext): Promise<ActionResult> {
  const into = inputs['path'] ?? '';
  ctx.log.runner(`Syncing repository: ${ctx.repository}`);
  await ctx.workspace.mount(ctx.source, into);
  const depth = Number(inputs['fetch-depth'] ?? '1');
  ctx.checkedOut(Number.isInteger(depth) && depth >= 0 ? depth : 1);
  ctx.log.runner(`Checked out ${ctx.sha.slice(0, 7)}: ${Object.keys(ctx.source).length} files${into ? ` into ${into}` : ''}`);
  return { ok: true, outputs: { ref: ctx.sha, commit: ctx.sha } };
}

async function restore(inputs: Inputs, ctx: ActionContext, withSave: boolean): Promise<ActionResult> {
  const key = inputs['key'] ?? '';
  const paths = lines(inputs['path']);
  if (!key || !paths.length) {
    ctx.log.annotate({ level: 'error', message: `Input required and not supplied: ${!key ? 'key' : 'path'}` });
    return { ok: false };
  }
  const restoreKeys = lines(inputs['restore-keys']);
  let found;
  try {
    found = restoreEntry(ctx.cache, key, restoreKeys, paths, ctx.cacheScopes);
  } catch (error) {
    if (error instanceof CacheKeyError) {
      ctx.log.annotate({ level: 'error', message: error.message });
      return { ok: false };
    }
    throw error;
  }
  const outputs: Record<string, string> = { 'cache-primary-key': key, 'cache-hit': 'false', 'cache-matched-key': '' };
  if (found.entry) {
    if (!yes(inputs['lookup-only'])) await ctx.workspace.mount(found.entry.files);
    outputs['cache-hit'] = String(found.exact);
    outputs['cache-matched-key'] = found.entry.key;
    const size = found.entry.size;
    ctx.log.runner(`Cache ${yes(inputs['lookup-only']) ? 'found' : 'restored'} from key: ${found.entry.key} (${Object.keys(found.entry.files).length} files, ${size} B${found.entry.scope !== ctx.saveScope ? `, saved in ${found.entry.scope}` : ''})`);
  } else {
    if (yes(inputs['fail-on-cache-miss'])) {
      ctx.log.annotate({ level: 'error', message: `Failed to restore cache entry. Exiting as fail-on-cache-miss is set. Input key: ${key}` });
      return { ok: false, outputs };
    }
    ctx.log.runner(`Cache not found for input keys: ${[key, ...restoreKeys].join(', ')}`);
  }
  if (withSave) {
    ctx.addPost({
      name: 'Post Cache',
      condition: 'success',
      run: async (post) => {
        if (found.exact) {
          post.log.runner(`Cache hit occurred on the primary key ${key}, not saving cache.`);
          return { ok: true };
        }
        return save(key, paths, post);
      },
    });
  }
  return { ok: true, outputs };
}

async function save(key: string, paths: string[], ctx: ActionContext): Promise<ActionResult> {
  const all = await ctx.workspace.files();
  const files = Object.fromEntries(matchFiles(Object.keys(all), paths).map((p) => [p, all[p]!]));
  let result;
  try {
    result = saveEntry(ctx.cache, key, paths, ctx.saveScope, files, ctx.cacheLimitBytes);
  } catch (error) {
    if (error instanceof CacheKeyError) {
      ctx.log.annotate({ level: 'warning', message: error.message });
      return { ok: true };
    }
    throw error;
  }
  if (!result.saved) {
    ctx.log.annotate({ level: 'warning', message: result.reason });
    return { ok: true };
  }
  for (const evicted of result.evicted) ctx.log.runner(`Evicted the least recently used cache entry ${evicted} to make room.`);
  ctx.log.runner(`Cache saved with key: ${key} (${Object.keys(files).length} files, ${result.entry.size} B)`);
  return { ok: true };
}

async function upload(inputs: Inputs, ctx: ActionContext): Promise<ActionResult> {
  const name = inputs['name'] || 'artifact';
  const patterns = lines(inputs['path']);
  if (!patterns.length) {
    ctx.log.annotate({ level: 'error', message: 'Input required and not supplied: path' });
    return { ok: false };
  }
  if (/["<>|*?\r\n\\/:]/.test(name)) {
    ctx.log.annotate({ level: 'error', message: `The artifact name is not valid: ${name}. Contains the following character: ${/["<>|*?\r\n\\/:]/.exec(name)![0]}` });
    return { ok: false };
  }
  const all = await ctx.workspace.files();
  const matched = matchFiles(Object.keys(all), patterns);
  if (!matched.length) {
    const how = inputs['if-no-files-found'] || 'warn';
    const message = `No files were found with the provided path: ${patterns.join('\n')}. No artifacts will be uploaded.`;
    if (how === 'error') {
      ctx.log.annotate({ level: 'error', message });
      return { ok: false };
    }
    if (how === 'warn') ctx.log.annotate({ level: 'warning', message });
    else ctx.log.runner(message);
    return { ok: true };
  }
  if (ctx.artifacts.has(name) && !yes(inputs['overwrite'])) {
    ctx.log.annotate({ level: 'error', message: `Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: an artifact with this name already exists on the workflow run` });
    return { ok: false };
  }
  // The least common folder of the search paths is the artifact's root: a folder's contents, a file by its name.
  const searchRoots = await Promise.all(
    patterns
      .filter((p) => !p.startsWith('!'))
      .map(async (p) => {
        const parts = p.replace(/^\.\//, '').replace(/\/+$/, '').split('/');
        const wild = parts.findIndex((part) => /[*?[]/.test(part));
        if (wild >= 0) return parts.slice(0, wild).join('/');
        return (await ctx.workspace.kind(parts.join('/'))) === 'dir' ? parts.join('/') : parts.slice(0, -1).join('/');
      }),
  );
  const root = commonFolder(searchRoots.map((r) => (r ? `${r}/x` : 'x')));
  const files = Object.fromEntries(matched.map((p) => [root && p.startsWith(`${root}/`) ? p.slice(root.length + 1) : p, all[p]!]));
  const digest = digestFiles(files);
  const size = Object.values(files).reduce((n, t) => n + t.length, 0);
  ctx.artifacts.set(name, { name, job: ctx.job, files, size, digest });
  ctx.onArtifact?.();
  ctx.log.runner(`With the provided path, there will be ${matched.length} file${matched.length === 1 ? '' : 's'} uploaded`);
  ctx.log.runner(`Artifact ${name} has been successfully uploaded! Final size is ${size} bytes. Digest: sha256:${digest}`);
  return { ok: true, outputs: { 'artifact-id': String([...ctx.artifacts.keys()].indexOf(name) + 1), 'artifact-digest': digest } };
}

async function download(inputs: Inputs, ctx: ActionContext): Promise<ActionResult> {
  const name = inputs['name'];
  const into = inputs['path'] ?? '';
  if (name) {
    const artifact = ctx.artifacts.get(name);
    if (!artifact) {
      ctx.log.annotate({ level: 'error', message: `Unable to download artifact(s): Artifact not found for name: ${name}\n        Please ensure that your artifact is not expired and the artifact was uploaded using a compatible version of toolkit/upload-artifact.` });
      return { ok: false };
    }
    await ctx.workspace.mount(artifact.files, into);
    ctx.log.runner(`Artifact download completed successfully: ${name} (${Object.keys(artifact.files).length} files${into ? ` into ${into}` : ''}).`);
    return { ok: true, outputs: { 'download-path': into || '.' } };
  }
  const pattern = inputs['pattern'];
  const merge = yes(inputs['merge-multiple']);
  const chosen = [...ctx.artifacts.values()].filter((a) => !pattern || matchFiles([a.name], [pattern]).length);
  for (const artifact of chosen) await ctx.workspace.mount(artifact.files, merge ? into : [into, artifact.name].filter(Boolean).join('/'));
  ctx.log.runner(`Total of ${chosen.length} artifact(s) downloaded${into ? ` into ${into}` : ''}.`);
  return { ok: true, outputs: { 'download-path': into || '.' } };
}
