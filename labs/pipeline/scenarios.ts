/**
 * The lab's scenarios: which project state to run, and with which arguments, run after run.
 * The unit tests run each under real Node and under the offline runtime and compare what the runs recorded.
 */
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFile } from 'node:child_process';
import { projectAtStep } from './files.ts';
import type { LabRuntime } from '../../src/labkit/runtime/types.ts';

export interface Scenario {
  name: string;
  /** The project after this step's solution (0: the starter). */
  step: number;
  /** One entry per run: the command-line arguments for pipeline.mjs. */
  runs: string[][];
}

export const SCENARIOS: Scenario[] = [
  { name: 'starter', step: 0, runs: [[]] },
  { name: 'step 2: retries', step: 2, runs: [[]] },
  { name: 'step 3: caching', step: 3, runs: [[], []] },
  { name: 'step 4: parameters', step: 4, runs: [[], ['--epochs=50']] },
  { name: 'step 5: quality gate', step: 5, runs: [[], ['--epochs=0']] },
];

/** Everything the lab leaves behind that should not depend on where it ran: times and run-time facts removed. */
export interface Outcome {
  exitCodes: (number | null)[];
  records: RunRecord[];
  /** Every file under runs/ with its text, except run.json and logs (times differ) and the feed's counter. */
  artifacts: Record<string, string>;
  registry: string | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RunRecord = Record<string, any>;

/** A run record without what changes from run to run (times, durations, the Node version). */
export function comparable(record: RunRecord) {
  return {
    runId: record.runId,
    flow: record.flow,
    state: record.state,
    params: record.params,
    error: record.error,
    artifacts: [...record.artifacts].sort(),
    result: record.result ?? null,
    tasks: record.tasks.map((t: RunRecord) => ({
      name: t.name,
      state: t.state,
      attempts: t.attempts,
      upstream: t.upstream,
      cacheKey: t.cacheKey,
      error: t.error,
      artifacts: [...t.artifacts].sort(),
      states: t.history.map((h: { state: string }) => h.state),
    })),
  };
}

const stripTimes = (text: string) => text.replace(/"(registeredAt|startedAt|endedAt)": "[^"]*"/g, '"$1": "…"');

/** Collect an Outcome from a folder on disk (real Node) or from a runtime's file system. */
export async function collect(read: (path: string) => Promise<string | null>, list: (path: string) => Promise<{ name: string; directory: boolean }[]>, exitCodes: (number | null)[]): Promise<Outcome> {
  const records: RunRecord[] = [];
  const artifacts: Record<string, string> = {};
  const walk = async (dir: string) => {
    for (const entry of await list(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.directory) await walk(path);
      else if (!/\/(run\.json|logs\.jsonl|feed-requests\.txt)$/.test(path)) artifacts[path] = stripTimes((await read(path)) ?? '');
    }
  };
  for (const run of await list('runs')) {
    const text = await read(`runs/${run.name}/run.json`);
    if (text) records.push(JSON.parse(text));
    await walk(`runs/${run.name}`);
  }
  const registry = await read('registry/models.json');
  return { exitCodes, records, artifacts, registry: registry && stripTimes(registry) };
}

/** Run a scenario with real Node (what WebContainers run) in a new temporary folder. */
export async function runWithNode(scenario: Scenario, node = process.execPath): Promise<Outcome & { dir: string; output: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'pipeline-lab-'));
  for (const [path, text] of Object.entries(projectAtStep(scenario.step))) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const exitCodes: (number | null)[] = [];
  const output: string[] = [];
  for (const args of scenario.runs) {
    const { code, text } = await new Promise<{ code: number | null; text: string }>((resolve) => {
      execFile(node, ['pipeline.mjs', ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '' } }, (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, text: stdout + stderr });
      });
    });
    exitCodes.push(code);
    output.push(text);
  }
  const outcome = await collect(
    async (path) => (existsSync(join(dir, path)) ? readFileSync(join(dir, path), 'utf8') : null),
    async (path) => (existsSync(join(dir, path)) ? readdirSync(join(dir, path), { withFileTypes: true }).map((e) => ({ name: e.name, directory: e.isDirectory() })).sort((a, b) => (a.name < b.name ? -1 : 1)) : []),
    exitCodes,
  );
  return { ...outcome, dir, output };
}

/** Run a scenario in a runtime (the offline runtime in the tests). */
export async function runWithRuntime(scenario: Scenario, runtime: LabRuntime): Promise<Outcome & { output: string[] }> {
  await runtime.mount(projectAtStep(scenario.step));
  const exitCodes: (number | null)[] = [];
  const output: string[] = [];
  for (const args of scenario.runs) {
    let text = '';
    const result = await runtime.run({ entry: 'pipeline.mjs', args, timeoutMs: 20_000, onOutput: (chunk) => (text += chunk) }).done;
    exitCodes.push(result.code);
    output.push(text);
  }
  const outcome = await collect((path) => runtime.readFile(path), (path) => runtime.readdir(path), exitCodes);
  return { ...outcome, output };
}

export function removeFolder(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
