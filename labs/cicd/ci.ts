/**
 * The lab's CI service: what happens when the student commits, opens or merges a pull request. Each of those is a
 * GitHub event (`push`, `pull_request`), each workflow file at that commit decides with its `on:` filters whether it
 * runs, and the runs go through the runner with the lab's cache. Framework-free: the page and the tests drive it.
 */
import { decideTrigger, type RepoEvent } from '../../src/labkit/ci/filters.ts';
import { Repo, type PullRequest, type RepoState } from '../../src/labkit/ci/git.ts';
import type { CacheState } from '../../src/labkit/ci/cache.ts';
import type { FileMap } from '../../src/labkit/ci/files.ts';
import type { RunRecord } from '../../src/labkit/ci/record.ts';
import { runWorkflow, type RunEvent } from '../../src/labkit/ci/runner.ts';
import { readWorkflow, type ParsedWorkflow } from '../../src/labkit/ci/workflow.ts';
import type { LabRuntime } from '../../src/labkit/runtime/types.ts';

export const REPOSITORY = 'student/iris-ci';
/** The lab's one secret: a token the register step could use; the runner masks it in every log. */
export const SECRETS = { REGISTRY_TOKEN: 'rt_lab_5f3a9c1e7b' };

/** A run the student's action asks for: the event, and the workflow files at its commit. */
export interface RunRequest {
  event: RunEvent;
  workflows: ParsedWorkflow[];
  /** The workflows this event did not start, and why (shown beside the runs). */
  skipped: { file: string; reason: string }[];
  files: FileMap;
}

const isWorkflow = (path: string) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(path);

/** The workflow files of a commit, parsed, and which of them this event starts. */
async function request(files: FileMap, repoEvent: RepoEvent, event: Omit<RunEvent, 'reason'>): Promise<RunRequest> {
  const workflows: ParsedWorkflow[] = [];
  const skipped: RunRequest['skipped'] = [];
  for (const path of Object.keys(files).filter(isWorkflow).sort()) {
    const parsed = await readWorkflow(path, files[path]!);
    if (!parsed.template) {
      // GitHub shows a workflow that does not parse as a failed run ("Invalid workflow file").
      workflows.push(parsed);
      continue;
    }
    const decision = decideTrigger(parsed.template.events, repoEvent);
    if (decision.runs) workflows.push(parsed);
    else skipped.push({ file: path, reason: decision.reason });
  }
  const reasons = workflows.map((w) => (w.template ? decideTrigger(w.template.events, repoEvent).reason : 'invalid workflow file'));
  return { event: { ...event, reason: reasons[0] ?? '' }, workflows, skipped, files };
}

function repository(repo: Repo) {
  return { full_name: REPOSITORY, name: REPOSITORY.split('/')[1]!, default_branch: repo.state.defaultBranch };
}

/** The requests a push of `branch` from `before` to `after` makes: a push, and a synchronize of its open pull request. */
export async function pushRequests(repo: Repo, branch: string, before: string | null, after: string): Promise<RunRequest[]> {
  const commit = repo.commit(after)!;
  const files = repo.files(after);
  const payload = {
    ref: `refs/heads/${branch}`,
    before: before ?? '0000000000000000000000000000000000000000',
    after,
    repository: repository(repo),
    head_commit: { id: after, message: commit.message },
    commits: [{ id: after, message: commit.message }],
  };
  const out = [
    await request(
      files,
      { name: 'push', branch, changedFiles: repo.changedFiles(before ?? commit.parents[0] ?? null, after) },
      { name: 'push', ref: `refs/heads/${branch}`, sha: after, payload, actor: 'student' },
    ),
  ];
  for (const pull of repo.state.pulls.filter((p) => p.head === branch && p.state === 'open')) out.push(await pullRequest(repo, pull, 'synchronize'));
  return out;
}

/** The request a pull request's activity makes (`opened`, `synchronize`, `reopened`). */
export async function pullRequest(repo: Repo, pull: PullRequest, action: string): Promise<RunRequest> {
  const head = repo.state.branches[pull.head]!;
  const base = repo.state.branches[pull.base]!;
  const mergeBase = repo.mergeBase(base, head);
  const payload = {
    action,
    number: pull.number,
    pull_request: { number: pull.number, title: pull.title, head: { ref: pull.head, sha: head }, base: { ref: pull.base, sha: base } },
    repository: repository(repo),
  };
  return request(
    repo.files(head),
    { name: 'pull_request', branch: pull.base, action, changedFiles: repo.changedFiles(mergeBase, head) },
    { name: 'pull_request', ref: `refs/pull/${pull.number}/merge`, sha: head, baseRef: pull.base, headRef: pull.head, payload, actor: 'student' },
  );
}

/** A manual run (`workflow_dispatch`) on a branch. */
export async function dispatchRequest(repo: Repo, branch: string): Promise<RunRequest> {
  const sha = repo.state.branches[branch]!;
  return request(
    repo.files(sha),
    { name: 'workflow_dispatch', branch, changedFiles: [] },
    { name: 'workflow_dispatch', ref: `refs/heads/${branch}`, sha, payload: { ref: `refs/heads/${branch}`, inputs: {}, repository: repository(repo) }, actor: 'student' },
  );
}

export interface RunOptions {
  id: number;
  cache: CacheState;
  openWorkspace: () => Promise<LabRuntime>;
  closeWorkspace?: (runtime: LabRuntime) => Promise<void>;
  signal?: AbortSignal;
  onUpdate?: (record: RunRecord) => void;
  stepLimitMs?: number;
  /** What all cache entries may hold together (characters); the lab keeps them in its saved state. */
  cacheLimitBytes?: number;
  /** Machines running jobs side by side (default 1: the same inputs give the same record). */
  runners?: number;
}

/** Run one workflow of a request. */
export function runRequest(repo: Repo, req: RunRequest, workflow: ParsedWorkflow, options: RunOptions): Promise<RunRecord> {
  return runWorkflow({
    id: options.id,
    workflow,
    event: req.event,
    source: req.files,
    repository: REPOSITORY,
    defaultBranch: repo.state.defaultBranch,
    secrets: SECRETS,
    cache: options.cache,
    openWorkspace: options.openWorkspace,
    closeWorkspace: options.closeWorkspace,
    git: (args, out, depth) => repo.command(args, req.event.sha, out, depth),
    signal: options.signal,
    onUpdate: options.onUpdate,
    stepLimitMs: options.stepLimitMs,
    cacheLimitBytes: options.cacheLimitBytes,
    runners: options.runners,
  });
}

export function newRepo(starter: FileMap, state?: RepoState): Repo {
  return new Repo(starter, state);
}
