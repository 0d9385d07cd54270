/**
 * The workflow runner: one workflow run, job after job, as GitHub Actions runs it (documented semantics):
 * - jobs wait for their `needs`; a job's `if:` (default `success()`) sees its ancestors: `success()` is true when
 *   every ancestor succeeded, `failure()` when one failed, `always()` always, `cancelled()` when the run was
 *   cancelled; a job whose `if:` is false is skipped;
 * - `strategy.matrix` expands (matrix.ts); `fail-fast` (default true) cancels a failed job's siblings that have not
 *   finished; `max-parallel` caps how many siblings run at once; `continue-on-error` at job and step level;
 * - steps: `if:` (default `success()`), `run:` in the lab's shell (shell.ts) with `node` in the lab runtime,
 *   `uses:` of the built-in actions (actions.ts); environment files, workflow commands and masking (commands.ts);
 *   `outputs` of steps and jobs, `needs.<job>.outputs/result`, job summaries, post steps;
 * - every step has a time limit (`timeout-minutes`, and the lab's own cap), so a loop that never ends fails its
 *   step instead of the page.
 * The runner has `runners` machines (default 1, which makes runs reproducible: the same commit, inputs and cache
 * give the same record). A fresh workspace per job comes from `openWorkspace`.
 */
import type { Job, Step, WorkflowTemplate } from '@actions/workflow-parser/model/workflow-template';
import type { LabRuntime, RunHandle } from '../runtime/types.ts';
import { runAction, unavailableReason, type ActionContext, type ArtifactRecord, type PostStep } from './actions.ts';
import type { CacheState } from './cache.ts';
import { Masker, parseEnvFile, StepOutput } from './commands.ts';
import { asString, evaluate, ExpressionProblem, truthy, type Contexts, type ExtraFunction, type Json } from './expressions.ts';
import { hashFiles, matchFiles, type FileMap } from './files.ts';
import { expandMatrix, MatrixError } from './matrix.ts';
import type { Conclusion, JobRecord, RunEvent, RunRecord, StepRecord } from './record.ts';
import { runScript, type CommandResult, type ShellHost } from './shell.ts';
import { field, tokenValue, type ParsedWorkflow, type TemplateToken } from './workflow.ts';
import { RUNNER_DIR, Workspace } from './workspace.ts';

export type { RunEvent };

export interface RunnerOptions {
  id: number;
  workflow: ParsedWorkflow;
  event: RunEvent;
  /** The commit's files (what checkout writes). */
  source: FileMap;
  repository: string;
  defaultBranch: string;
  secrets: Record<string, string>;
  vars?: Record<string, string>;
  cache: CacheState;
  cacheLimitBytes?: number;
  openWorkspace: () => Promise<LabRuntime>;
  closeWorkspace?: (runtime: LabRuntime) => Promise<void>;
  /** The shell's `git`, over the lab's repository, with the history checkout fetched (depth 0: all). */
  git?: (args: string[], output: (text: string) => void, depth: number) => Promise<CommandResult>;
  /** The lab's cap on one step (default 30 s). */
  stepLimitMs?: number;
  runners?: number;
  signal?: AbortSignal;
  /** Called whenever the record changes (the run view redraws). */
  onUpdate?: (record: RunRecord) => void;
  now?: () => number;
}

const DEFAULT_STEP_LIMIT_MS = 30_000;
const DEFAULT_CACHE_LIMIT = 2_000_000;
const TEST_FILE = /(^|\/)(test\/.*\.(c|m)?js|[^/]*[.\-_]test\.(c|m)?js|test-[^/]*\.(c|m)?js|test\.(c|m)?js)$/;

type Ancestors = Map<string, Set<string>>;

export async function runWorkflow(options: RunnerOptions): Promise<RunRecord> {
  const now = options.now ?? (() => performance.now());
  const t0 = now();
  const { workflow, event } = options;
  const record: RunRecord = {
    id: options.id,
    workflow: workflow.name,
    file: workflow.file,
    event: event.name,
    reason: event.reason,
    trigger: event,
    ref: event.ref,
    sha: event.sha,
    status: 'in_progress',
    conclusion: null,
    problems: workflow.problems,
    jobs: [],
    artifacts: [],
    annotations: [],
    caches: [],
    timing: { startedAt: new Date().toISOString(), durationMs: null, jobs: {}, steps: {} },
  };
  const update = () => options.onUpdate?.(structuredClone(record));
  if (!workflow.template) {
    record.status = 'completed';
    record.conclusion = 'failure';
    record.timing.durationMs = now() - t0;
    update();
    return record;
  }
  const run = new Run(options, record, workflow.template, update, now);
  await run.execute();
  record.status = 'completed';
  record.timing.durationMs = now() - t0;
  update();
  return record;
}

class Run {
  private options: RunnerOptions;
  private record: RunRecord;
  private template: WorkflowTemplate;
  private update: () => void;
  private now: () => number;
  private masker = new Masker();
  private artifacts = new Map<string, ArtifactRecord>();
  private cancelled = false;
  private active = new Set<RunHandle>();
  private startCount = 0;
  /** Job key → its result as `needs` sees it, and its outputs. */
  private results = new Map<string, { result: Conclusion; outputs: Record<string, string> }>();
  private ancestors: Ancestors = new Map();

  constructor(options: RunnerOptions, record: RunRecord, template: WorkflowTemplate, update: () => void, now: () => number) {
    this.options = options;
    this.record = record;
    this.template = template;
    this.update = update;
    this.now = now;
    for (const value of Object.values(options.secrets)) this.masker.add(value);
    options.signal?.addEventListener('abort', () => this.cancel(), { once: true });
    if (options.signal?.aborted) this.cancelled = true;
  }

  private cancel(): void {
    this.cancelled = true;
    for (const handle of this.active) handle.kill();
  }

  private githubContext(job: string): Record<string, Json> {
    const { event, repository } = this.options;
    const refName = event.ref.replace(/^refs\/(heads|tags)\//, '').replace(/^refs\/pull\/(\d+)\/merge$/, '$1/merge');
    return {
      event_name: event.name,
      event: event.payload,
      ref: event.ref,
      ref_name: refName,
      ref_type: 'branch',
      sha: event.sha,
      head_ref: event.headRef ?? '',
      base_ref: event.baseRef ?? '',
      repository,
      repository_owner: repository.split('/')[0]!,
      run_id: String(1000 + this.options.id),
      run_number: String(this.options.id),
      run_attempt: '1',
      actor: event.actor,
      triggering_actor: event.actor,
      workflow: this.record.workflow,
      workflow_ref: `${repository}/${this.record.file}@${event.ref}`,
      job,
      workspace: '.',
      server_url: 'https://github.com',
      api_url: 'https://api.github.com',
      action: '',
      token: '***',
    };
  }

  private envOf(token: TemplateToken | undefined, contexts: Contexts): Record<string, string> {
    const value = token ? tokenValue(token, contexts) : null;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : asString(evaluate('x', { x: v }))]));
  }

  async execute(): Promise<void> {
    const jobs = this.template.jobs.filter((j): j is Job => j.type === 'job');
    for (const j of this.template.jobs) {
      if (j.type !== 'job') this.record.problems.push({ file: this.record.file, line: j.id.range?.start.line ?? 1, column: j.id.range?.start.column ?? 1, endLine: j.id.range?.start.line ?? 1, endColumn: (j.id.range?.start.column ?? 1) + j.id.value.length, message: `Job '${j.id.value}' calls a reusable workflow, which the lab's runner does not run.` });
    }
    for (const job of jobs) {
      const set = new Set<string>();
      const visit = (key: string) => {
        for (const need of jobs.find((j) => j.id.value === key)?.needs ?? []) {
          if (!set.has(need.value)) {
            set.add(need.value);
            visit(need.value);
          }
        }
      };
      visit(job.id.value);
      this.ancestors.set(job.id.value, set);
    }
    const workflowEnv = (() => {
      try {
        return this.envOf(this.template.env as TemplateToken | undefined, { github: this.githubContext(''), vars: this.options.vars ?? {}, secrets: this.options.secrets, inputs: {}, env: {} });
      } catch {
        return {};
      }
    })();

    const pending = new Map(jobs.map((j) => [j.id.value, j]));
    const running = new Map<string, Promise<void>>();
    const slots = Math.max(1, this.options.runners ?? 1);
    const queue: (() => Promise<void>)[] = [];
    let busy = 0;
    const settled: Promise<void>[] = [];
    const schedule = (task: () => Promise<void>) =>
      new Promise<void>((resolve) => {
        queue.push(() => task().finally(resolve));
        pump();
      });
    const pump = () => {
      while (busy < slots && queue.length) {
        const task = queue.shift()!;
        busy += 1;
        void task().finally(() => {
          busy -= 1;
          pump();
        });
      }
    };

    while (pending.size || running.size) {
      let started = false;
      for (const [key, job] of pending) {
        const needs = job.needs?.map((n) => n.value) ?? [];
        if (!needs.every((n) => this.results.has(n))) continue;
        pending.delete(key);
        started = true;
        const done = this.runJobGroup(job, needs, workflowEnv, schedule).finally(() => running.delete(key));
        running.set(key, done);
        settled.push(done);
      }
      if (!started) {
        if (!running.size) break;
        await Promise.race(running.values());
      }
    }
    await Promise.all(settled);
    this.record.artifacts = [...this.artifacts.values()];
    const conclusions = this.record.jobs.map((j) => (j.conclusion === 'failure' && j.continueOnError ? 'success' : j.conclusion));
    this.record.conclusion = this.cancelled ? 'cancelled' : conclusions.includes('failure') ? 'failure' : conclusions.includes('cancelled') ? 'cancelled' : 'success';
  }

  /** A job of the workflow: its `if:`, its matrix, and each of its jobs. */
  private async runJobGroup(job: Job, needs: string[], workflowEnv: Record<string, string>, schedule: (task: () => Promise<void>) => Promise<void>): Promise<void> {
    const key = job.id.value;
    const raw = field(field(this.options.workflow.root ?? undefined, 'jobs'), key);
    const displayName = job.name && job.name.isLiteral ? String(job.name) : key;
    const needsContext = Object.fromEntries(needs.map((n) => [n, { result: this.results.get(n)!.result, outputs: this.results.get(n)!.outputs }]));
    const baseContexts: Contexts = { github: this.githubContext(key), needs: needsContext, vars: this.options.vars ?? {}, inputs: {} };
    const addJob = (partial: Partial<JobRecord> & Pick<JobRecord, 'id'>): JobRecord => {
      const jr: JobRecord = { key, name: displayName, needs, status: 'queued', conclusion: null, continueOnError: false, steps: [], outputs: {}, summary: '', ...partial };
      this.record.jobs.push(jr);
      this.update();
      return jr;
    };
    const finishGroup = (result: Conclusion, outputs: Record<string, string> = {}) => this.results.set(key, { result, outputs });

    // The job's if: (before the matrix; it cannot see matrix values).
    let runIt: boolean;
    try {
      runIt = this.condition(job.if.expression, baseContexts, key, this.cancelled);
    } catch (error) {
      const jr = addJob({ id: key, status: 'completed', conclusion: 'failure', error: `The job's if: could not be evaluated: ${(error as Error).message}` });
      this.annotateJob(jr, jr.error!, job.if.range?.start.line);
      finishGroup('failure');
      return;
    }
    if (!runIt) {
      addJob({ id: key, status: 'completed', conclusion: this.cancelled ? 'cancelled' : 'skipped' });
      finishGroup(this.cancelled ? 'cancelled' : 'skipped');
      return;
    }

    // The matrix.
    let combinations: { matrix?: Record<string, Json>; segments: string[]; origin?: JobRecord['origin'] }[] = [{ segments: [] }];
    let failFast = true;
    let maxParallel = Infinity;
    const strategyToken = job.strategy as TemplateToken | undefined;
    if (strategyToken) {
      try {
        const strategy = tokenValue(strategyToken, { ...baseContexts, secrets: this.options.secrets }) as Record<string, Json> | null;
        if (strategy && typeof strategy === 'object') {
          if (strategy['fail-fast'] !== undefined) failFast = truthy(evaluate('x', { x: strategy['fail-fast'] }));
          if (typeof strategy['max-parallel'] === 'number' && strategy['max-parallel'] > 0) maxParallel = strategy['max-parallel'];
          if (strategy.matrix !== undefined) combinations = expandMatrix(strategy.matrix);
        }
      } catch (error) {
        const message = error instanceof MatrixError || error instanceof ExpressionProblem ? error.message : String(error);
        const jr = addJob({ id: key, status: 'completed', conclusion: 'failure', error: `Error when evaluating 'strategy' for job '${key}'. ${message}` });
        this.annotateJob(jr, jr.error!, strategyToken.range?.start.line);
        finishGroup('failure');
        return;
      }
    }
    const nameToken = raw ? field(raw, 'name') : undefined;
    const ids = new Set(this.record.jobs.map((j) => j.id));
    const strategyInfo = strategyToken && combinations.some((c) => c.matrix) ? { failFast, maxParallel: Number.isFinite(maxParallel) ? maxParallel : null } : undefined;
    const records = combinations.map((c) => {
      let name = displayName;
      if (c.matrix) {
        try {
          name = nameToken && !nameToken.isLiteral ? String(tokenValue(nameToken, { ...baseContexts, matrix: c.matrix })) : `${displayName}${c.segments.length ? ` (${c.segments.join(', ')})` : ''}`;
        } catch {
          name = `${displayName} (${c.segments.join(', ')})`;
        }
      }
      let id = name;
      for (let n = 2; ids.has(id); n += 1) id = `${name} ${n}`;
      ids.add(id);
      return addJob({ id, name, ...(c.matrix ? { matrix: c.matrix, origin: c.origin } : {}), ...(strategyInfo ? { strategy: strategyInfo } : {}) });
    });

    const outputs: Record<string, string> = {};
    let failedSibling = false;
    let inFlight = 0;
    const waiters: (() => void)[] = [];
    const siblingSlot = async () => {
      while (inFlight >= maxParallel) await new Promise<void>((resolve) => waiters.push(resolve));
      inFlight += 1;
    };
    const releaseSlot = () => {
      inFlight -= 1;
      waiters.shift()?.();
    };
    await Promise.all(
      records.map((jr, i) =>
        (async () => {
          await siblingSlot();
          try {
            await schedule(async () => {
              if (this.cancelled || (failFast && failedSibling && records.length > 1)) {
                jr.status = 'completed';
                jr.conclusion = 'cancelled';
                this.update();
                return;
              }
              await this.runJob(job, jr, combinations[i]!.matrix, baseContexts, workflowEnv, raw);
              if (jr.conclusion === 'failure' && !jr.continueOnError) failedSibling = true;
              Object.assign(outputs, jr.outputs);
            });
          } finally {
            releaseSlot();
          }
        })(),
      ),
    );
    const results = records.map((r) => (r.conclusion === 'failure' && r.continueOnError ? 'success' : r.conclusion));
    const result: Conclusion = results.includes('failure') ? 'failure' : results.includes('cancelled') ? 'cancelled' : results.every((r) => r === 'skipped') ? 'skipped' : 'success';
    finishGroup(result, outputs);
  }

  /** Evaluate a job or step condition; the status functions are given by `status`. */
  private condition(expression: string, contexts: Contexts, jobKey: string, cancelled: boolean): boolean {
    const ancestors = [...(this.ancestors.get(jobKey) ?? [])].map((k) => this.results.get(k)?.result);
    const status: ExtraFunction[] = [
      { name: 'success', minArgs: 0, maxArgs: 0, call: () => !cancelled && ancestors.every((r) => r === 'success') },
      { name: 'failure', minArgs: 0, maxArgs: 0, call: () => !cancelled && ancestors.some((r) => r === 'failure') },
      { name: 'always', minArgs: 0, maxArgs: 0, call: () => true },
      { name: 'cancelled', minArgs: 0, maxArgs: 0, call: () => cancelled },
    ];
    return truthy(evaluate(expression, contexts, status));
  }

  private annotateJob(jr: JobRecord, message: string, line?: number): void {
    this.record.annotations.push({ level: 'error', message, job: jr.id, file: this.record.file, ...(line ? { line } : {}) });
    this.update();
  }

  private async runJob(job: Job, jr: JobRecord, matrix: Record<string, Json> | undefined, base: Contexts, workflowEnv: Record<string, string>, raw: TemplateToken | undefined): Promise<void> {
    const started = this.now();
    this.startCount += 1;
    jr.started = this.startCount;
    jr.status = 'in_progress';
    this.update();
    const stepsContext: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> = {};
    const strategyContext = { 'fail-fast': true, 'job-index': 0, 'job-total': 1, 'max-parallel': 1 };
    const contexts = (env: Record<string, string>): Contexts => ({
      ...base,
      github: this.githubContext(jr.key),
      secrets: this.options.secrets,
      matrix: matrix ?? {},
      strategy: strategyContext,
      steps: stepsContext,
      env,
      runner: { os: 'Linux', arch: 'X64', name: 'lab-runner', temp: `${RUNNER_DIR}/temp`, tool_cache: `${RUNNER_DIR}/tool_cache`, environment: 'self-hosted' },
      job: { status: 'success' },
    });
    let jobEnv: Record<string, string> = workflowEnv;
    let timeoutMs = this.options.stepLimitMs ?? DEFAULT_STEP_LIMIT_MS;
    try {
      jobEnv = { ...workflowEnv, ...this.envOf(job.env as TemplateToken | undefined, contexts(workflowEnv)) };
      const coe = raw ? field(raw, 'continue-on-error') : undefined;
      jr.continueOnError = coe ? truthy(evaluate('x', { x: tokenValue(coe, contexts(jobEnv)) })) : false;
      const minutes = raw ? tokenValue(field(raw, 'timeout-minutes'), contexts(jobEnv)) : null;
      if (typeof minutes === 'number' && minutes > 0) timeoutMs = Math.min(minutes * 60_000, 6 * 3600_000);
    } catch (error) {
      jr.status = 'completed';
      jr.conclusion = 'failure';
      jr.error = `The job could not be set up: ${(error as Error).message}`;
      this.annotateJob(jr, jr.error);
      return;
    }
    const unsupported = (['container', 'services'] as const).find((k) => raw && field(raw, k));
    if (unsupported) {
      jr.status = 'completed';
      jr.conclusion = 'failure';
      jr.error = `This job uses \`${unsupported}\`, which needs Docker; the lab's runner cannot start containers in a browser page.`;
      this.annotateJob(jr, jr.error, field(raw, unsupported)?.range?.start.line);
      return;
    }
    const jobDeadline = this.now() + timeoutMs;
    const runtime = await this.options.openWorkspace();
    const ws = new Workspace(runtime);
    const posts: PostStep[] = [];
    let failed = false;
    let checkoutDepth: number | null = null;
    const githubEnvAdded: Record<string, string> = {};
    const rawSteps = raw ? field(raw, 'steps') : undefined;
    const rawStepList = rawSteps && 'count' in rawSteps ? [...(rawSteps as unknown as Iterable<TemplateToken>)] : [];
    const actionContext = (log: StepOutput): ActionContext => ({
      workspace: ws,
      log,
      source: this.options.source,
      sha: this.options.event.sha,
      repository: this.options.repository,
      cache: this.options.cache,
      cacheScopes: [...new Set([this.options.event.ref, ...(this.options.event.baseRef ? [`refs/heads/${this.options.event.baseRef}`] : []), `refs/heads/${this.options.defaultBranch}`])],
      saveScope: this.options.event.ref,
      cacheLimitBytes: this.options.cacheLimitBytes ?? DEFAULT_CACHE_LIMIT,
      artifacts: this.artifacts,
      job: jr.id,
      addPost: (post) => posts.push(post),
      checkedOut: (depth) => (checkoutDepth = depth),
      onArtifact: () => {
        this.record.artifacts = [...this.artifacts.values()];
      },
    });

    try {
      for (let index = 0; index < job.steps.length; index += 1) {
        const step = job.steps[index] as Step & { run?: TemplateToken; uses?: { value: string }; env?: TemplateToken; 'continue-on-error'?: boolean | TemplateToken; name?: TemplateToken };
        const rawStep = rawStepList[index];
        const env = { ...jobEnv, ...githubEnvAdded };
        const sr: StepRecord = { id: step.id, name: '', status: 'in_progress', outcome: null, conclusion: null, log: [], outputs: {}, ...(step.uses ? { uses: step.uses.value } : {}), ...(rawStep?.range ? { line: rawStep.range.start.line } : {}) };
        const log = new StepOutput(this.masker, { debug: this.options.secrets['ACTIONS_STEP_DEBUG'] === 'true' });
        jr.steps.push(sr);
        const stepStarted = this.now();
        try {
          let hashSnapshot: FileMap | null = null;
          const needsHash = rawStep ? JSON.stringify(rawStep).toLowerCase().includes('hashfiles') : false;
          if (needsHash) hashSnapshot = await ws.files();
          const hashed: string[] = [];
          const functions: ExtraFunction[] = [
            {
              name: 'hashFiles',
              minArgs: 1,
              maxArgs: 255,
              call: (...patterns) => {
                hashed.push(...patterns.map(String));
                return hashFiles(hashSnapshot ?? {}, patterns.map(String));
              },
            },
          ];
          const ctx = contexts(env);
          const stepEnv = { ...env, ...this.envOfWith(step.env as TemplateToken | undefined, ctx, functions) };
          const evalCtx = contexts(stepEnv);
          sr.name = step.name ? String(tokenValue(step.name as TemplateToken, evalCtx, functions)) : step.uses ? `Run ${step.uses.value}` : `Run ${String(tokenValue(step.run, evalCtx, functions)).trim().split('\n')[0]}`;
          this.update();
          const statusFns: ExtraFunction[] = [
            ...functions,
            { name: 'success', minArgs: 0, maxArgs: 0, call: () => !this.cancelled && !failed },
            { name: 'failure', minArgs: 0, maxArgs: 0, call: () => !this.cancelled && failed },
            { name: 'always', minArgs: 0, maxArgs: 0, call: () => true },
            { name: 'cancelled', minArgs: 0, maxArgs: 0, call: () => this.cancelled },
          ];
          const runIt = truthy(evaluate(step.if?.expression ?? 'success()', { ...evalCtx, job: { status: failed ? 'failure' : this.cancelled ? 'cancelled' : 'success' } }, statusFns));
          if (!runIt) {
            sr.status = 'completed';
            sr.outcome = sr.conclusion = 'skipped';
            stepsContext[step.id] = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
            continue;
          }
          const coe = step['continue-on-error'];
          const continueOnError = typeof coe === 'boolean' ? coe : coe ? truthy(evaluate('x', { x: tokenValue(coe, evalCtx, functions) })) : false;
          const stepMinutes = rawStep ? tokenValue(field(rawStep, 'timeout-minutes'), evalCtx, functions) : null;
          const stepLimit = Math.min(this.options.stepLimitMs ?? DEFAULT_STEP_LIMIT_MS, typeof stepMinutes === 'number' && stepMinutes > 0 ? stepMinutes * 60_000 : Infinity);
          const deadline = Math.min(this.now() + stepLimit, jobDeadline);
          let ok: boolean;
          let outputs: Record<string, string> = {};
          const shell = rawStep ? tokenValue(field(rawStep, 'shell'), evalCtx, functions) : null;
          const directory = rawStep ? tokenValue(field(rawStep, 'working-directory'), evalCtx, functions) : null;
          if ((shell !== null && shell !== 'bash' && shell !== 'sh') || (directory !== null && directory !== '.')) {
            log.annotate({
              level: 'error',
              message: shell !== null && shell !== 'bash' && shell !== 'sh' ? `shell: ${String(shell)} is not available: the lab's runner has one shell, a subset of bash.` : `working-directory is not supported: node always runs in the workspace; give paths from there instead.`,
              file: this.record.file,
              ...(sr.line ? { line: sr.line } : {}),
            });
            ok = false;
          } else if (step.uses) {
            const reason = unavailableReason(step.uses.value);
            if (reason) {
              log.annotate({ level: 'error', message: reason, file: this.record.file, ...(sr.line ? { line: sr.line } : {}) });
              ok = false;
            } else {
              const withValue = rawStep ? tokenValue(field(rawStep, 'with'), evalCtx, functions) : null;
              const inputs = withValue && typeof withValue === 'object' && !Array.isArray(withValue) ? Object.fromEntries(Object.entries(withValue).map(([k, v]) => [k, v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)])) : {};
              const result = await runAction(step.uses.value, inputs, actionContext(log));
              ok = result.ok;
              outputs = result.outputs ?? {};
              this.noteCache(jr, step.uses.value, inputs, outputs, hashed);
            }
          } else {
            const script = asString(evaluate('x', { x: tokenValue(step.run, evalCtx, functions) }));
            sr.run = script.length > 500 ? `${script.slice(0, 500)}…` : script;
            const result = await this.runStepScript(script, ws, stepEnv, jr, index, log, deadline, checkoutDepth, stepLimit);
            ok = result.ok;
            outputs = result.outputs;
            if (result.summary) jr.summary += result.summary;
            Object.assign(githubEnvAdded, result.env);
          }
          log.end();
          sr.outputs = outputs;
          sr.outcome = ok ? 'success' : this.cancelled ? 'cancelled' : 'failure';
          sr.conclusion = !ok && continueOnError && !this.cancelled ? 'success' : sr.outcome;
          if (sr.conclusion === 'failure' || sr.conclusion === 'cancelled') failed = true;
          stepsContext[step.id] = { outputs, outcome: sr.outcome, conclusion: sr.conclusion };
        } catch (error) {
          log.annotate({ level: 'error', message: error instanceof ExpressionProblem ? `The step could not be evaluated: ${error.message}` : String((error as Error).message ?? error), file: this.record.file, ...(sr.line ? { line: sr.line } : {}) });
          sr.outcome = sr.conclusion = 'failure';
          failed = true;
          stepsContext[step.id] = { outputs: {}, outcome: 'failure', conclusion: 'failure' };
        } finally {
          sr.status = 'completed';
          sr.log = log.lines;
          for (const a of log.annotations) this.record.annotations.push({ ...a, job: jr.id });
          this.record.timing.steps[`${jr.id}/${index}`] = this.now() - stepStarted;
          this.update();
        }
      }
      for (const post of posts.reverse()) {
        const log = new StepOutput(this.masker);
        const sr: StepRecord = { id: `post-${jr.steps.length}`, name: post.name, status: 'in_progress', outcome: null, conclusion: null, log: [], outputs: {}, post: true };
        jr.steps.push(sr);
        if (post.condition === 'success' && (failed || this.cancelled)) {
          sr.status = 'completed';
          sr.outcome = sr.conclusion = 'skipped';
          continue;
        }
        const result = await post.run(actionContext(log));
        for (const event of [...this.record.caches].reverse()) {
          if (event.job === jr.id && log.lines.some((l) => l.text.startsWith('Cache saved with key'))) {
            this.record.caches.push({ job: jr.id, key: event.key, hit: 'saved' });
            break;
          }
        }
        sr.status = 'completed';
        sr.outcome = sr.conclusion = result.ok ? 'success' : 'failure';
        sr.log = log.lines;
        for (const a of log.annotations) this.record.annotations.push({ ...a, job: jr.id });
        this.update();
      }
      // Job outputs.
      const outputsToken = job.outputs as TemplateToken | undefined;
      if (outputsToken) {
        for (const pair of outputsToken as unknown as Iterable<{ key: TemplateToken; value: TemplateToken }>) {
          const name = String(tokenValue(pair.key, {}));
          try {
            const value = tokenValue(pair.value, contexts({ ...jobEnv, ...githubEnvAdded }));
            const text = value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : asString(evaluate('x', { x: value }));
            if (this.masker.holdsSecret(text)) {
              this.record.annotations.push({ level: 'warning', message: `Skip output '${name}' since it may contain secret.`, job: jr.id });
              continue;
            }
            jr.outputs[name] = text;
          } catch (error) {
            this.annotateJob(jr, `Output '${name}' could not be evaluated: ${(error as Error).message}`, pair.value.range?.start.line);
          }
        }
      }
    } finally {
      await this.options.closeWorkspace?.(runtime);
    }
    jr.status = 'completed';
    jr.conclusion = this.cancelled ? 'cancelled' : failed ? 'failure' : 'success';
    this.record.timing.jobs[jr.id] = this.now() - started;
    this.update();
  }

  private envOfWith(token: TemplateToken | undefined, contexts: Contexts, functions: ExtraFunction[]): Record<string, string> {
    const value = token ? tokenValue(token, contexts, functions) : null;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : asString(evaluate('x', { x: v }))]));
  }

  private noteCache(jr: JobRecord, uses: string, inputs: Record<string, string>, outputs: Record<string, string>, hashed: string[]): void {
    if (!/^actions\/cache(\/restore)?@/i.test(uses) || !inputs['key']) return;
    const hit = outputs['cache-hit'] === 'true' ? 'exact' : outputs['cache-matched-key'] ? 'prefix' : 'miss';
    this.record.caches.push({ job: jr.id, key: inputs['key'], hit, ...(outputs['cache-matched-key'] ? { matched: outputs['cache-matched-key'] } : {}), ...(hashed.length ? { hashed: [...new Set(hashed)] } : {}) });
  }

  private async runStepScript(
    script: string,
    ws: Workspace,
    env: Record<string, string>,
    jr: JobRecord,
    index: number,
    log: StepOutput,
    deadline: number,
    checkoutDepth: number | null,
    stepLimit: number,
  ): Promise<{ ok: boolean; outputs: Record<string, string>; env: Record<string, string>; summary: string }> {
    const dir = `${RUNNER_DIR}/step-${index}`;
    const files = { GITHUB_OUTPUT: `${dir}/output`, GITHUB_ENV: `${dir}/env`, GITHUB_STEP_SUMMARY: `${dir}/summary.md`, GITHUB_PATH: `${dir}/path`, GITHUB_STATE: `${dir}/state` };
    await ws.mount(Object.fromEntries(Object.values(files).map((p) => [p, ''])));
    const { event } = this.options;
    const fullEnv: Record<string, string> = {
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: '.',
      GITHUB_SHA: event.sha,
      GITHUB_REF: event.ref,
      GITHUB_REF_NAME: String(this.githubContext(jr.key).ref_name),
      GITHUB_EVENT_NAME: event.name,
      GITHUB_EVENT_PATH: `${RUNNER_DIR}/event.json`,
      GITHUB_REPOSITORY: this.options.repository,
      GITHUB_RUN_NUMBER: String(this.options.id),
      GITHUB_RUN_ID: String(1000 + this.options.id),
      GITHUB_JOB: jr.key,
      GITHUB_ACTOR: event.actor,
      GITHUB_HEAD_REF: event.headRef ?? '',
      GITHUB_BASE_REF: event.baseRef ?? '',
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_TEMP: `${RUNNER_DIR}/temp`,
      ...env,
      ...files,
    };
    await ws.write(`${RUNNER_DIR}/event.json`, JSON.stringify(event.payload, null, 2));
    let evalCount = 0;
    let stoppedBy: CommandResult['stopped'];
    const host: ShellHost = {
      write: (text) => log.write(text),
      readFile: (p) => ws.read(p),
      writeFile: (p, text, append) => ws.write(p, text, append),
      kind: (p) => ws.kind(p),
      list: (p) => ws.list(p),
      remove: (p) => ws.remove(p),
      scripts: async () => {
        try {
          return (JSON.parse((await ws.read('package.json')) ?? '{}').scripts ?? {}) as Record<string, string>;
        } catch {
          return {};
        }
      },
      node: async (args, nodeEnv, output) => {
        const runNode = async (entry: string, argv: string[]): Promise<CommandResult> => {
          const left = deadline - this.now();
          if (left <= 0 || this.cancelled) return { code: 1, stopped: this.cancelled ? 'killed' : 'timeout' };
          if ((await ws.kind(entry)) !== 'file') {
            output(`node:internal/modules/cjs/loader\n  throw err;\n  ^\n\nError: Cannot find module '${entry}'\n`);
            return { code: 1 };
          }
          const handle = ws.runtime.run({ entry: ws.path(entry), args: argv, env: nodeEnv, timeoutMs: left, onOutput: (chunk) => output(chunk.replace(/\r\n/g, '\n')) });
          this.active.add(handle);
          const result = await handle.done;
          this.active.delete(handle);
          if (result.reason === 'timeout') return { code: 124, stopped: 'timeout' };
          if (result.reason === 'killed') return { code: 130, stopped: 'killed' };
          if (result.reason === 'error') return { code: 1, stopped: 'error' };
          return { code: result.code ?? 1 };
        };
        const [first, ...rest] = args;
        if (first === undefined) {
          output('node: give a script to run: the lab has no interactive Node.js\n');
          return { code: 9 };
        }
        if (first === '--test') {
          const named = rest.filter((a) => !a.startsWith('-'));
          const all = Object.keys(await ws.files());
          const testFiles = named.length ? matchFiles(all, named) : all.filter((p) => TEST_FILE.test(p)).sort();
          if (!testFiles.length) {
            output(`Could not find any test files${named.length ? ` matching ${named.join(' ')}` : ''}\n`);
            return { code: 1 };
          }
          let code = 0;
          for (const file of testFiles) {
            output(`\n# ${file}\n`);
            const result = await runNode(file, []);
            if (result.stopped) return result;
            if (result.code !== 0) code = 1;
          }
          return { code };
        }
        if (first === '-e' || first === '--eval') {
          evalCount += 1;
          const entry = `${RUNNER_DIR}/eval-${index}-${evalCount}.mjs`;
          await ws.write(entry, rest[0] ?? '');
          return runNode(entry, rest.slice(1));
        }
        if (first.startsWith('-')) {
          output(`node: the lab's runtime does not take the option ${first} (it runs node <script> [arguments], node --test and node -e)\n`);
          return { code: 9 };
        }
        return runNode(first, rest);
      },
      ...(checkoutDepth !== null && this.options.git ? { git: (args: string[], output: (text: string) => void) => this.options.git!(args, output, checkoutDepth!) } : {}),
    };
    const result = await runScript(script, host, fullEnv);
    log.end();
    stoppedBy = result.stopped;
    if (stoppedBy === 'timeout') {
      log.annotate({ level: 'error', message: `The step was still running after ${Math.round(stepLimit / 1000)} s, its time limit, and was stopped. Look for a loop that never ends (or raise timeout-minutes).` });
    } else if (stoppedBy === 'killed') {
      log.runner('The run was cancelled.');
    } else if (result.code !== 0) {
      log.annotate({ level: 'error', message: `Process completed with exit code ${result.code}.` });
    }
    const outputs: Record<string, string> = { ...log.legacyOutputs };
    const added: Record<string, string> = {};
    const output = parseEnvFile((await ws.read(files.GITHUB_OUTPUT)) ?? '');
    for (const [k, v] of output.values) outputs[k] = v;
    if (output.error) log.annotate({ level: 'error', message: `Unable to process file command 'output' successfully. ${output.error}` });
    const envFile = parseEnvFile((await ws.read(files.GITHUB_ENV)) ?? '');
    for (const [k, v] of envFile.values) {
      if (k === 'NODE_OPTIONS') log.annotate({ level: 'warning', message: "Can't store NODE_OPTIONS output parameter using '$GITHUB_ENV' command." });
      else added[k] = v;
    }
    if (envFile.error) log.annotate({ level: 'error', message: `Unable to process file command 'env' successfully. ${envFile.error}` });
    const summary = (await ws.read(files.GITHUB_STEP_SUMMARY)) ?? '';
    await ws.remove(dir);
    const ok = result.code === 0 && !stoppedBy && !output.error && !envFile.error;
    return { ok, outputs, env: added, summary: this.masker.mask(summary) };
  }
}
