/**
 * The lab's GitHub in the page: commits, branches and pull requests on the student's repository, the events they
 * make, and the workflow runs those events start, one after another, with the job bar and Cancel. Runs use the
 * lab runtime: a fresh offline runtime per job, or the page's WebContainer cleared between jobs.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import { dispatchRequest, newRepo, pullRequest, pushRequests, runRequest, type RunRequest } from '../../../../labs/cicd/ci.ts';
import { REPO_FILES } from '../../../../labs/cicd/files.ts';
import { withRun, type CicdState } from '../../../../labs/cicd/lab.ts';
import { SCENARIOS, type Scenario } from '../../../../labs/cicd/scenarios.ts';
import type { Repo } from '../../../labkit/ci/git.ts';
import type { RunRecord } from '../../../labkit/ci/record.ts';
import { readWorkflow } from '../../../labkit/ci/workflow.ts';
import { editsOf } from '../../../labkit/lab/project.ts';
import { createBrowserOfflineRuntime } from '../../../labkit/runtime/offline.ts';
import type { LabRuntime } from '../../../labkit/runtime/types.ts';
import type { LabShellApi } from '../shell/useLabShell.ts';
import { useProjectRuntime } from '../node-project/useProjectRuntime.ts';

const now = () => Math.floor(Date.now() / 1000);
/** The lab's cap on one step: a loop that never ends fails its step after this long. */
export const STEP_LIMIT_MS = 30_000;
/** What the cache may hold (it is saved with the lab's state, which has room for about 1.5 MB). */
const CACHE_LIMIT = 250_000;

export function useCi(shell: LabShellApi<CicdState>, workingFiles: () => Record<string, string>) {
  const state = shell.session.state;
  const update = useCallback((change: (s: CicdState) => CicdState) => shell.session.update(change), [shell.session]);
  const [live, setLive] = useState<RunRecord | null>(null);
  const runtime = useProjectRuntime(async () => {});
  const stateRef = useRef(state);
  stateRef.current = state;

  /** A working copy of the repository; `save` stores what the operation changed. */
  const repoOf = useCallback((): Repo => newRepo(REPO_FILES, stateRef.current.repo ? structuredClone(stateRef.current.repo) : undefined), []);
  const repo = useMemo(() => repoOf(), [state.repo, repoOf]); // eslint-disable-line react-hooks/exhaustive-deps -- rebuilt when the stored repository changes

  /** Run the workflows of some requests, one after another; each run's record goes into the state as it ends. */
  const runAll = useCallback(
    async (repoNow: Repo, requests: RunRequest[]) => {
      const queue = requests.flatMap((req) => req.workflows.map((workflow) => ({ req, workflow })));
      const quiet = requests.filter((r) => !r.workflows.length && r.skipped.length);
      if (quiet.length) {
        update((s) => ({
          ...s,
          quiet: [...s.quiet, ...quiet.map((r) => ({ at: new Date().toISOString(), event: r.event.name, ref: r.event.ref, sha: r.event.sha, reasons: r.skipped.map((k) => `${k.file}: ${k.reason}`) }))].slice(-50),
        }));
      }
      if (!queue.length) {
        shell.say(quiet.length ? 'No workflow runs for this event: see why beside the runs.' : 'There is no workflow in .github/workflows/.');
        return;
      }
      const chosen = await runtime.ensure();
      for (const { req, workflow } of queue) {
        const id = Math.max(0, ...stateRef.current.runs.map((r) => r.id)) + 1;
        const cache = structuredClone(stateRef.current.cache);
        const controller = new AbortController();
        const record = await shell.run(`Run #${id}: ${workflow.name} on ${req.event.name === 'pull_request' ? `pull request ${req.event.ref.split('/')[2]}` : req.event.ref.replace('refs/heads/', '')}`, (onProgress) => ({
          promise: runRequest(repoNow, req, workflow, {
            id,
            cache,
            signal: controller.signal,
            stepLimitMs: STEP_LIMIT_MS,
            cacheLimitBytes: CACHE_LIMIT,
            openWorkspace: async (): Promise<LabRuntime> => {
              if (chosen.kind === 'offline') return createBrowserOfflineRuntime();
              await chosen.remove('');
              return chosen;
            },
            closeWorkspace: async (rt) => {
              if (rt !== chosen) await rt.dispose();
            },
            onUpdate: (r) => {
              setLive(r);
              const done = r.jobs.filter((j) => j.status === 'completed').length;
              onProgress(r.jobs.length ? done / r.jobs.length : 0, `${done} of ${r.jobs.length} jobs done`);
            },
          }),
          cancel: () => controller.abort(),
        }));
        setLive(null);
        if (!record) break;
        update((s) => ({ ...s, runs: withRun(s.runs, record), cache }));
        shell.say(`Run #${id} ${record.conclusion === 'success' ? 'succeeded' : record.conclusion === 'cancelled' ? 'was cancelled' : 'failed'}.`);
      }
    },
    [runtime, shell, update],
  );

  const saveRepo = useCallback((r: Repo, extra: Partial<CicdState> = {}) => update((s) => ({ ...s, repo: structuredClone(r.state), ...extra })), [update]);

  /** Commit the editor's files on the current branch and push. */
  const commit = useCallback(
    async (message: string) => {
      const r = repoOf();
      const branch = stateRef.current.branch;
      const before = r.state.branches[branch] ?? null;
      const files = workingFiles();
      const made = r.commitFiles(branch, files, message.trim() || 'Update', now());
      if (!made) {
        shell.say('Nothing to commit: the files are the same as the last commit on this branch.');
        return;
      }
      saveRepo(r);
      shell.say(`Committed ${made.id.slice(0, 7)} on ${branch} and pushed.`);
      await runAll(r, await pushRequests(r, branch, before, made.id));
    },
    [repoOf, runAll, saveRepo, shell, workingFiles],
  );

  /** Show a branch in the editor (refused when the editor has changes not committed). */
  const checkout = useCallback(
    (branch: string, r: Repo = repoOf(), force = false) => {
      const current = r.state.branches[stateRef.current.branch];
      if (!force && current && JSON.stringify(editsOf(r.files(current), workingFiles())) !== '{}' && branch !== stateRef.current.branch) {
        shell.warn(`Commit your changes on ${stateRef.current.branch} first (or reset the files): switching would lose them.`);
        return false;
      }
      const head = r.state.branches[branch];
      if (!head) return false;
      update((s) => ({ ...s, repo: structuredClone(r.state), branch, project: { ...s.project, edits: editsOf(REPO_FILES, r.files(head)) } }));
      return true;
    },
    [repoOf, shell, update, workingFiles],
  );

  const createBranch = useCallback(
    (name: string) => {
      const clean = name.trim();
      if (!/^[A-Za-z0-9][\w./-]{0,60}$/.test(clean) || clean.includes('..')) {
        shell.warn('A branch name uses letters, digits and - _ . / (for example fix-scaling).');
        return;
      }
      const r = repoOf();
      if (r.state.branches[clean]) {
        shell.warn(`There is a branch ${clean} already.`);
        return;
      }
      r.state.branches[clean] = r.state.branches[stateRef.current.branch]!;
      saveRepo(r, { branch: clean });
      shell.say(`Created ${clean} from ${stateRef.current.branch}; commits now go to ${clean}.`);
    },
    [repoOf, saveRepo, shell],
  );

  const openPull = useCallback(
    async (title: string) => {
      const r = repoOf();
      const head = stateRef.current.branch;
      if (head === r.state.defaultBranch) {
        shell.warn('Create a branch and commit on it first: a pull request merges one branch into main.');
        return;
      }
      if (!r.changedFiles(r.mergeBase(r.state.branches.main!, r.state.branches[head]!), r.state.branches[head]!).length) {
        shell.warn(`${head} has no commits that main lacks: commit a change first.`);
        return;
      }
      const pull = r.openPull(title.trim() || head, head, r.state.defaultBranch);
      saveRepo(r);
      shell.say(`Opened pull request #${pull.number}: ${head} into main.`);
      await runAll(r, [await pullRequest(r, pull, 'opened')]);
    },
    [repoOf, runAll, saveRepo, shell],
  );

  const merge = useCallback(
    async (number: number) => {
      const r = repoOf();
      const before = r.state.branches.main ?? null;
      const made = r.merge(number, now());
      saveRepo(r);
      shell.say(`Merged pull request #${number} into main.`);
      if (made) await runAll(r, await pushRequests(r, 'main', before, made.id));
    },
    [repoOf, runAll, saveRepo, shell],
  );

  const plant = useCallback(
    async (scenario: Scenario) => {
      const r = repoOf();
      let files;
      try {
        files = scenario.apply(r.files(r.state.branches.main!));
      } catch (error) {
        shell.warn((error as Error).message);
        return;
      }
      const before = r.state.branches[scenario.branch] ?? null;
      const made = r.commitFiles(scenario.branch, files, scenario.message, now(), 'main');
      const existing = r.state.pulls.find((p) => p.head === scenario.branch && p.state === 'open');
      const pull = existing ?? r.openPull(scenario.title, scenario.branch, 'main');
      saveRepo(r);
      shell.say(`Pull request #${pull.number} "${scenario.title}" from ${scenario.branch}.`);
      const requests = made ? await pushRequests(r, scenario.branch, before, made.id) : [];
      if (!existing) requests.push(await pullRequest(r, pull, 'opened'));
      await runAll(r, requests);
    },
    [repoOf, runAll, saveRepo, shell],
  );

  const dispatch = useCallback(async () => {
    const r = repoOf();
    await runAll(r, [await dispatchRequest(r, stateRef.current.branch)]);
  }, [repoOf, runAll]);

  /** Run a run's workflow again for the same event and commit (GitHub's "Re-run all jobs"). */
  const rerun = useCallback(
    async (run: RunRecord) => {
      const r = repoOf();
      if (!r.commit(run.sha)) {
        shell.warn('This run cannot be run again: its commit is no longer in the repository.');
        return;
      }
      const files = r.files(run.sha);
      const workflow = await readWorkflow(run.file, files[run.file] ?? '');
      await runAll(r, [{ event: { ...run.trigger, reason: `re-run of #${run.id}` }, workflows: [workflow], skipped: [], files }]);
    },
    [repoOf, runAll, shell],
  );

  const ensureRepo = useCallback(() => {
    if (stateRef.current.repo) return;
    const r = repoOf();
    saveRepo(r);
  }, [repoOf, saveRepo]);

  return { repo, live, runtime, commit, checkout, createBranch, openPull, merge, plant, dispatch, rerun, ensureRepo, scenarios: SCENARIOS };
}
