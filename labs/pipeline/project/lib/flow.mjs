// flow.mjs: a tiny workflow orchestrator, in the spirit of Prefect, in one file you can read.
//
// A *flow* is an async function that calls *tasks*. The orchestrator wraps every task call to:
//   - track its state: pending -> running -> completed | failed, with retrying and cached on the way;
//   - retry it when it throws, waiting longer after each failure (exponential backoff);
//   - skip it when a cached result exists for the same inputs (a SHA-256 hash of the task's inputs and code);
//   - time it, log it as JSON lines, and keep the files it saves (artifacts) in the run's own folder;
//   - write the whole story to runs/<run id>/run.json after every change of state.
//
// Tasks run one after another: call them with `await`.
// Only Node.js built-ins are used, so this runs anywhere Node runs (and in the browser lab's runtimes).

import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';

export const STATES = ['pending', 'running', 'completed', 'failed', 'cached', 'retrying'];

const RUNS_DIR = 'runs';
const CACHE_DIR = '.cache';

// ANSI colours for the terminal, one per state.
const COLOUR = { pending: 90, running: 36, completed: 32, failed: 31, cached: 35, retrying: 33 };
const paint = (code, text) => `\x1b[${code}m${text}\x1b[0m`;
const badge = (state) => paint(COLOUR[state], state.toUpperCase().padEnd(9));

/** The run in progress (one at a time). */
let current = null;

/** Which task produced an object: lets the orchestrator draw the task graph from the data passed around. */
const producedBy = new WeakMap();

/**
 * Declare a task. `fn` receives the arguments you call the task with.
 * options: retries (extra attempts after a failure), retryDelayMs (wait before the first retry),
 *          backoff (multiply the wait by this after each retry), cache (reuse results for the same inputs).
 */
export function task(name, fn, options = {}) {
  const settings = { retries: 0, retryDelayMs: 100, backoff: 2, cache: false, ...options };
  const call = (...args) => runTask(name, fn, settings, args);
  call.taskName = name;
  call.settings = settings;
  return call;
}

/**
 * Declare a flow. `fn(params)` calls the tasks; `options.params` holds the default parameters and
 * `options.tasks` lists the tasks in order, so that tasks which never ran still show as pending.
 */
export function flow(name, fn, options = {}) {
  const defaults = options.params ?? {};
  const planned = (options.tasks ?? []).map((t) => t.taskName ?? String(t));
  return {
    name,
    defaults,
    /** Run the flow with parameters from the command line (--name=value), exiting non-zero on failure. */
    async main(argv = process.argv.slice(2)) {
      let overrides;
      try {
        overrides = parseArgs(argv, defaults);
      } catch (error) {
        console.error(paint(31, `✘ ${error.message}`));
        process.exitCode = 2;
        return null;
      }
      const record = await runFlow(name, fn, { defaults, planned, overrides });
      if (record.state !== 'completed') process.exitCode = 1;
      return record;
    },
    run: (overrides = {}) => runFlow(name, fn, { defaults, planned, overrides }),
  };
}

/** Save a file in the current run's artifacts folder; objects are saved as JSON. Returns its path. */
export function saveArtifact(fileName, content) {
  const run = requireRun('saveArtifact');
  const relative = path.join('artifacts', fileName);
  const text = typeof content === 'string' ? content : JSON.stringify(content, null, 2) + '\n';
  fs.mkdirSync(path.join(run.dir, 'artifacts'), { recursive: true });
  fs.writeFileSync(path.join(run.dir, relative), text);
  if (!run.record.artifacts.includes(relative)) run.record.artifacts.push(relative);
  if (run.task && !run.task.artifacts.includes(relative)) run.task.artifacts.push(relative);
  save(run);
  return relative;
}

/** Structured logging: one JSON object per line in runs/<id>/logs.jsonl, and a readable line in the terminal. */
export const log = {
  info: (message, fields) => writeLog('info', message, fields),
  warn: (message, fields) => writeLog('warn', message, fields),
  error: (message, fields) => writeLog('error', message, fields),
};

/** The run in progress: its id, folder and parameters (for tasks that need them). */
export function currentRun() {
  const run = requireRun('currentRun');
  return { runId: run.record.runId, dir: run.dir, params: run.record.params };
}

/** Read every run record, oldest first. */
export function readRuns(root = '.') {
  const dir = path.join(root, RUNS_DIR);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => fs.existsSync(path.join(dir, name, 'run.json')))
    .sort()
    .map((name) => JSON.parse(fs.readFileSync(path.join(dir, name, 'run.json'), 'utf8')));
}

// ---------------------------------------------------------------------------------------------------------------
// How a flow runs

async function runFlow(name, fn, { defaults, planned, overrides }) {
  if (current) throw new Error('a flow is already running');
  const params = { ...defaults, ...overrides };
  const runId = nextRunId();
  const dir = path.join(RUNS_DIR, runId);
  fs.mkdirSync(dir, { recursive: true });
  const started = Date.now();
  const record = {
    schema: 1,
    runId,
    flow: name,
    state: 'running',
    params,
    startedAt: new Date(started).toISOString(),
    endedAt: null,
    durationMs: null,
    node: process.version,
    tasks: planned.map((taskName) => newTaskRecord(taskName)),
    artifacts: [],
    error: null,
  };
  current = { record, dir, started, task: null };
  save(current);
  const shown = Object.keys(params).length ? ` with ${JSON.stringify(params)}` : '';
  console.log(paint(1, `▶ flow ${name}`) + ` run ${runId}${shown}`);
  try {
    const result = await fn(params);
    record.state = 'completed';
    if (result !== undefined) record.result = result;
  } catch (error) {
    record.state = 'failed';
    record.error = error instanceof TaskFailed ? error.message : describe(error);
  } finally {
    record.endedAt = new Date().toISOString();
    record.durationMs = Date.now() - started;
    save(current);
    current = null;
  }
  const pending = record.tasks.filter((t) => t.state === 'pending').map((t) => t.name);
  const summary = record.state === 'completed' ? paint(32, '✔ completed') : paint(31, '✘ failed');
  console.log(`${summary} in ${record.durationMs} ms; record: ${path.join(dir, 'run.json')}`);
  if (record.error) console.log(paint(31, `  reason: ${record.error}`));
  if (pending.length) console.log(paint(90, `  never ran (pending): ${pending.join(', ')}`));
  return record;
}

async function runTask(name, fn, settings, args) {
  const run = requireRun(`task "${name}"`);
  let entry = run.record.tasks.find((t) => t.name === name && t.state === 'pending');
  if (!entry) {
    entry = newTaskRecord(name);
    run.record.tasks.push(entry);
  }
  entry.upstream = upstreamOf(args);
  entry.startedAt = new Date().toISOString();
  const t0 = Date.now();
  const finish = () => {
    entry.endedAt = new Date().toISOString();
    entry.durationMs = Date.now() - t0;
  };

  if (settings.cache) {
    entry.cacheKey = cacheKey(name, fn, args);
    const file = path.join(CACHE_DIR, `${entry.cacheKey}.json`);
    if (fs.existsSync(file)) {
      const hit = JSON.parse(fs.readFileSync(file, 'utf8'));
      entry.cachedFrom = hit.runId;
      copyArtifacts(run, entry, hit);
      finish();
      setState(run, entry, 'cached', `reused the result of ${hit.runId} (key ${entry.cacheKey.slice(0, 12)}…)`);
      return remember(hit.value, name);
    }
  }

  for (let attempt = 1; ; attempt += 1) {
    entry.attempts = attempt;
    setState(run, entry, 'running', attempt > 1 ? `attempt ${attempt}` : '');
    run.task = entry;
    try {
      const value = await fn(...args);
      run.task = null;
      if (settings.cache) {
        fs.mkdirSync(CACHE_DIR, { recursive: true });
        const stored = { task: name, key: entry.cacheKey, runId: run.record.runId, artifacts: entry.artifacts, value };
        fs.writeFileSync(path.join(CACHE_DIR, `${entry.cacheKey}.json`), JSON.stringify(stored));
      }
      finish();
      setState(run, entry, 'completed', `${entry.durationMs} ms`);
      return remember(value, name);
    } catch (error) {
      run.task = null;
      entry.error = describe(error);
      if (attempt <= settings.retries) {
        const delay = Math.round(settings.retryDelayMs * settings.backoff ** (attempt - 1));
        setState(run, entry, 'retrying', `${entry.error}; retry ${attempt} of ${settings.retries} in ${delay} ms`);
        await new Promise((resolve) => setTimeout(resolve, delay));
        continue;
      }
      finish();
      setState(run, entry, 'failed', entry.error);
      throw new TaskFailed(name, entry.error);
    }
  }
}

/** A cached task saved no files this time: copy the ones it saved in the run whose result is reused. */
function copyArtifacts(run, entry, hit) {
  for (const relative of hit.artifacts ?? []) {
    const from = path.join(RUNS_DIR, hit.runId, relative);
    if (!fs.existsSync(from)) continue;
    fs.mkdirSync(path.join(run.dir, path.dirname(relative)), { recursive: true });
    fs.writeFileSync(path.join(run.dir, relative), fs.readFileSync(from));
    entry.artifacts.push(relative);
    if (!run.record.artifacts.includes(relative)) run.record.artifacts.push(relative);
  }
}

class TaskFailed extends Error {
  constructor(taskName, reason) {
    super(`task "${taskName}" failed: ${reason}`);
  }
}

function newTaskRecord(name) {
  return {
    name,
    state: 'pending',
    attempts: 0,
    upstream: [],
    startedAt: null,
    endedAt: null,
    durationMs: null,
    cacheKey: null,
    error: null,
    artifacts: [],
    history: [],
  };
}

function setState(run, entry, state, detail = '') {
  entry.state = state;
  entry.history.push({ state, atMs: Date.now() - run.started });
  if (state === 'completed' || state === 'cached') entry.error = null;
  console.log(`  ${badge(state)} ${entry.name}${detail ? paint(90, `  ${detail}`) : ''}`);
  appendLog(run, { level: state === 'failed' ? 'error' : 'info', event: 'task-state', task: entry.name, state, detail });
  save(run);
}

function save(run) {
  fs.writeFileSync(path.join(run.dir, 'run.json'), JSON.stringify(run.record, null, 2) + '\n');
}

function writeLog(level, message, fields = {}) {
  const run = requireRun('log');
  appendLog(run, { level, event: 'message', task: run.task?.name ?? null, message, ...fields });
  const colour = level === 'error' ? 31 : level === 'warn' ? 33 : 90;
  const extra = Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : '';
  console.log(paint(colour, `    ${message}${extra}`));
}

function appendLog(run, entry) {
  const line = { time: new Date().toISOString(), runId: run.record.runId, ...entry };
  fs.appendFileSync(path.join(run.dir, 'logs.jsonl'), JSON.stringify(line) + '\n');
}

function requireRun(what) {
  if (!current) throw new Error(`${what} can only be used while a flow runs`);
  return current;
}

function nextRunId() {
  fs.mkdirSync(RUNS_DIR, { recursive: true });
  let n = fs.readdirSync(RUNS_DIR).filter((name) => /^run-\d+$/.test(name)).length + 1;
  while (fs.existsSync(path.join(RUNS_DIR, `run-${String(n).padStart(3, '0')}`))) n += 1;
  return `run-${String(n).padStart(3, '0')}`;
}

/** The cache key: a hash of the task's name, its source code and its inputs. Change any of them and it misses. */
function cacheKey(name, fn, args) {
  return createHash('sha256')
    .update(stableJson({ task: name, code: fn.toString(), inputs: args }))
    .digest('hex');
}

/** JSON with object keys sorted, so that equal inputs always hash the same. */
function stableJson(value) {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function remember(value, name) {
  if (value && typeof value === 'object') producedBy.set(value, name);
  return value;
}

function upstreamOf(args) {
  const found = new Set();
  for (const arg of args) {
    if (arg && typeof arg === 'object' && producedBy.has(arg)) found.add(producedBy.get(arg));
  }
  return [...found];
}

function describe(error) {
  return error instanceof Error ? error.message : String(error);
}

/** --epochs=50 --name=x  ->  { epochs: 50, name: 'x' }, typed like the defaults. */
export function parseArgs(argv, defaults = {}) {
  const params = {};
  for (const arg of argv) {
    const match = /^--([^=]+)=(.*)$/.exec(arg);
    if (!match) throw new Error(`cannot read the argument "${arg}": write --name=value`);
    const [, key, raw] = match;
    if (!(key in defaults)) {
      const known = Object.keys(defaults);
      throw new Error(`unknown parameter "${key}"; this flow takes ${known.length ? known.join(', ') : 'no parameters'}`);
    }
    const kind = typeof defaults[key];
    if (kind === 'number') {
      const number = Number(raw);
      if (raw.trim() === '' || Number.isNaN(number)) throw new Error(`parameter "${key}" must be a number, got "${raw}"`);
      params[key] = number;
    } else if (kind === 'boolean') {
      params[key] = raw === 'true' || raw === '1';
    } else {
      params[key] = raw;
    }
  }
  return params;
}
