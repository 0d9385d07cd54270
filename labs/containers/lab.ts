/**
 * The containers lab, as data: the student's project (Dockerfile, .dockerignore, .hadolint.yaml, compose.yaml and the
 * API's files), every build they ran with its inputs and a summary of its result, and every Compose check. What the
 * criteria read (labs/containers/index.mdx) is measured from these records, and every record can be re-derived by
 * running the builds again in order (verify.ts).
 *
 * The lab is a simulator and says so: builds run on a simulated package world, not on Docker.
 */
import { z } from '../../src/labkit/zod.ts';
import { defineLab, parseWith, type Measured } from '../../src/labkit/lab/define.ts';
import { lint } from '../../src/labkit/docker/lint/lint.ts';
import { humanSize } from '../../src/labkit/docker/fs.ts';
import type { ReportTable } from '../../src/labkit/report/report.ts';
import { COMPOSE, DOCKERFILE, DOCKERIGNORE, fileText, HADOLINT, isBuildFile, isDependencyFile, starterProject, type ProjectFile } from './project.ts';
import { starterImageSize, type Blobs, type BuildRecord } from './records.ts';
import { containersCharts } from './charts.ts';

export const LAB_ID = 'containers';
export const MAX_BUILDS = 250;

const fileSchema = z.object({
  path: z.string().min(1).max(300),
  text: z.string().max(200_000).optional(),
  synthetic: z.object({ size: z.number().int().nonnegative().max(1e12), seed: z.string().max(200), kind: z.enum(['binary', 'text']) }).optional(),
  mtime: z.number(),
  mode: z.number().int().min(0).max(0o7777),
});

const stepSchema = z.object({
  stage: z.string().max(200),
  line: z.number().int(),
  keyword: z.string().max(20),
  text: z.string().max(400),
  decision: z.enum(['cached', 'built', 'skipped', 'failed', 'not-run']),
  reason: z.string().max(600).optional(),
  seconds: z.number().nonnegative(),
  size: z.number().nonnegative(),
  installs: z.boolean(),
  copied: z.array(z.string().max(400)).max(40).optional(),
});

const buildSchema = z.object({
  id: z.string().min(1).max(60),
  at: z.string(),
  restoredAt: z.string().optional(),
  kind: z.enum(['build', 'prune']),
  note: z.string().max(200).optional(),
  dockerfile: z.string().max(100_000),
  dockerignore: z.string().max(20_000),
  hadolint: z.string().max(20_000),
  context: z.array(z.object({ path: z.string().max(300), digest: z.string().max(80), size: z.number().nonnegative(), mode: z.number().int(), mtime: z.number(), text: z.boolean() })).max(400),
  options: z.object({ target: z.string().max(100).optional(), buildArgs: z.record(z.string(), z.string().max(1000)).optional(), noCache: z.boolean().optional(), pull: z.boolean().optional() }),
  day: z.number().int().min(1).max(30),
  ok: z.boolean(),
  error: z.object({ line: z.number().int(), message: z.string().max(4000) }).optional(),
  steps: z.array(stepSchema).max(300),
  size: z.number().nonnegative(),
  wasted: z.number().nonnegative(),
  seconds: z.number().nonnegative(),
  layers: z.number().int().nonnegative(),
  smoke: z.object({ ok: z.boolean(), detail: z.string().max(2000) }).optional(),
  history: z.array(z.object({ createdBy: z.string().max(400), size: z.number().nonnegative() })).max(300).optional(),
  skippedStages: z.array(z.string().max(200)).max(50).optional(),
});

const composeSchema = z.object({
  id: z.string().min(1).max(60),
  at: z.string(),
  restoredAt: z.string().optional(),
  compose: z.string().max(100_000),
  env: z.string().max(20_000),
  /** The build whose image the API service ran (null: no successful build yet). */
  image: z.string().max(60).nullable(),
  errors: z.number().int().nonnegative(),
  warnings: z.number().int().nonnegative(),
  api: z.string().max(100).nullable(),
  store: z.string().max(100).nullable(),
  /** The Compose file says the API waits for the store to be healthy (and the store has a health check). */
  declaredHealthyWait: z.boolean(),
  /** In the simulation, the API started only after the store was healthy, and the stack came up. */
  startedAfterHealthy: z.boolean(),
  final: z.record(z.string(), z.string()),
  error: z.string().max(2000).optional(),
});

const stateSchema = z.object({
  files: z.array(fileSchema).max(400),
  day: z.number().int().min(1).max(30),
  builds: z.array(buildSchema).max(MAX_BUILDS),
  blobs: z.record(z.string(), z.string().max(200_000)),
  compose: z.array(composeSchema).max(200),
});

export type ContainersState = z.infer<typeof stateSchema>;
export type ComposeRecord = z.infer<typeof composeSchema>;

export const emptyState = (): ContainersState => ({ files: starterProject(), day: 1, builds: [], blobs: {}, compose: [] });

// ---------------------------------------------------------------------------------------------------------------
// Measurements

const builds = (state: ContainersState) => state.builds.filter((b): b is BuildRecord => b.kind === 'build');
const vertex = (k: string) => k === 'RUN' || k === 'COPY' || k === 'ADD' || k === 'WORKDIR';

/** The latest build whose image passed the smoke test: the one the size and waste criteria judge. */
export function judgedBuild(state: ContainersState): BuildRecord | undefined {
  return builds(state).filter((b) => b.ok && b.smoke?.ok).at(-1);
}

export interface EditPair {
  before: BuildRecord;
  after: BuildRecord;
  changed: string[];
  kind: 'source' | 'dependency';
  /** Cache steps the second build ran (RUN, COPY, ADD, WORKDIR). */
  rebuilt: number;
  /** Whether a step that installs dependencies ran again. */
  installRebuilt: boolean;
}

/**
 * Consecutive builds with the same Dockerfile, .dockerignore and options, no prune between them, where only context
 * files changed in content: a source edit (no dependency file changed, and a changed file went into the image) or a
 * dependency edit (only dependency files changed).
 */
export function editPairs(state: ContainersState): EditPair[] {
  const out: EditPair[] = [];
  let previous: BuildRecord | null = null;
  for (const r of state.builds) {
    if (r.kind === 'prune') {
      previous = null;
      continue;
    }
    if (!r.ok) continue;
    const before = previous;
    previous = r;
    if (!before || before.dockerfile !== r.dockerfile || before.dockerignore !== r.dockerignore || JSON.stringify(before.options) !== JSON.stringify(r.options) || r.options.noCache) continue;
    const old = new Map(before.context.map((c) => [c.path, c.digest]));
    const now = new Map(r.context.map((c) => [c.path, c.digest]));
    const changed = [...new Set([...old.keys(), ...now.keys()])].filter((p) => old.get(p) !== now.get(p) && !isBuildFile(p));
    if (!changed.length) continue;
    const deps = changed.filter(isDependencyFile);
    const copied = new Set(r.steps.flatMap((s) => s.copied ?? []));
    let kind: EditPair['kind'] | null = null;
    if (!deps.length && changed.some((p) => copied.has(p))) kind = 'source';
    else if (deps.length === changed.length) kind = 'dependency';
    if (!kind) continue;
    const ran = r.steps.filter((s) => vertex(s.keyword) && s.decision === 'built');
    out.push({ before, after: r, changed, kind, rebuilt: ran.length, installRebuilt: ran.some((s) => s.installs) });
  }
  return out;
}

/** Lint of a build's Dockerfile at the warning threshold, with the student's configuration. */
export function lintOf(b: Pick<BuildRecord, 'dockerfile' | 'hadolint' | 'dockerignore'>) {
  return lint({ dockerfile: b.dockerfile, hadolintYaml: b.hadolint, dockerignore: b.dockerignore, threshold: 'warning' });
}

function measure(state: ContainersState): Measured {
  const out: Measured = {};
  const judged = judgedBuild(state);
  if (judged) {
    out['lint.failing'] = { value: lintOf(judged).failing };
    const starter = starterImageSize(judged.day);
    out['image.sizeRatio'] = { value: judged.size / starter };
    out['image.wastedMB'] = { value: judged.wasted / 1e6 };
  }
  const pairs = editPairs(state);
  const source = pairs.filter((p) => p.kind === 'source').at(-1);
  if (source) out['rebuild.sourceEditLayers'] = { value: source.rebuilt };
  const deps = pairs.filter((p) => p.kind === 'dependency').at(-1);
  if (deps) out['rebuild.depsEditInstall'] = { value: deps.installRebuilt ? 1 : 0 };
  const compose = state.compose.at(-1);
  if (compose) out['compose.apiWaitsForHealthyStore'] = { value: compose.errors === 0 && compose.declaredHealthyWait && compose.startedAfterHealthy ? 1 : 0 };
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Report

const seconds = (s: number) => `${s.toFixed(1)} s`;
const origin = (r: { restoredAt?: string }) => (r.restoredAt ? 'restored' : 'built here');

function report(state: ContainersState) {
  const tables: ReportTable[] = [];
  const all = builds(state);
  if (all.length) {
    tables.push({
      title: 'Builds (simulated: BuildKit cache rules on a simulated package world)',
      columns: ['build', 'note', 'day', 'target', 'result', 'steps run / cached', 'image size', 'wasted', 'simulated time', 'smoke test', 'lint findings ≥ warning', 'origin'],
      rows: all.map((b) => {
        const v = b.steps.filter((s) => vertex(s.keyword));
        return [
          b.id,
          b.note ?? '',
          b.day,
          b.options.target ?? '(last stage)',
          b.ok ? 'built' : `failed at line ${b.error?.line}: ${b.error?.message.split('\n')[0]}`,
          `${v.filter((s) => s.decision === 'built').length} / ${v.filter((s) => s.decision === 'cached').length}`,
          b.ok ? humanSize(b.size) : null,
          b.ok ? humanSize(b.wasted) : null,
          seconds(b.seconds),
          b.smoke ? (b.smoke.ok ? 'starts' : `fails: ${b.smoke.detail}`) : null,
          lintOf(b).failing,
          origin(b),
        ];
      }),
    });
  }
  const judged = judgedBuild(state);
  if (judged?.history) {
    tables.push({ title: `docker history of ${judged.id} (newest layer last)`, columns: ['created by', 'size'], rows: judged.history.map((h) => [h.createdBy, humanSize(h.size)]) });
    tables.push({
      title: `Steps of ${judged.id}`,
      columns: ['stage', 'line', 'instruction', 'decision', 'why it ran', 'layer size', 'simulated s'],
      rows: judged.steps.map((s) => [s.stage, s.line, s.text, s.decision, s.reason ?? '', humanSize(s.size), s.seconds]),
    });
    const findings = lintOf(judged);
    if (findings.findings.length || findings.suppressed.length) {
      tables.push({
        title: `Lint of ${judged.id} (threshold: warning)`,
        columns: ['line', 'rule', 'severity', 'finding'],
        rows: [...findings.findings.map((f) => [f.line, f.rule, f.severity, f.message]), ...findings.suppressed.map((f) => [f.line, f.rule, `suppressed by ${f.by}`, f.message])],
      });
    }
  }
  const pairs = editPairs(state);
  if (pairs.length) {
    tables.push({
      title: 'Rebuilds after an edit',
      columns: ['build', 'after', 'edit', 'files changed', 'steps run again', 'install step ran again', 'simulated time'],
      rows: pairs.map((p) => [p.after.id, p.before.id, p.kind === 'source' ? 'source only' : 'dependency file', p.changed.join(', '), p.rebuilt, p.installRebuilt, seconds(p.after.seconds)]),
    });
  }
  if (state.compose.length) {
    tables.push({
      title: 'Compose checks and docker compose up (simulated)',
      columns: ['check', 'errors', 'warnings', 'API waits for a healthy store (declared)', 'API started after the store was healthy', 'final states', 'compose error', 'origin'],
      rows: state.compose.map((c) => [c.id, c.errors, c.warnings, c.declaredHealthyWait, c.startedAfterHealthy, Object.entries(c.final).map(([k, v]) => `${k}: ${v}`).join(', '), c.error ?? '', origin(c)]),
    });
  }
  const files = state.files.filter((f) => [DOCKERFILE, DOCKERIGNORE, HADOLINT, COMPOSE].includes(f.path));
  return {
    tables,
    charts: containersCharts(state),
    changes: files.map((f) => `### \`${f.path}\`\n\n\`\`\`${f.path === DOCKERFILE ? 'dockerfile' : f.path.endsWith('.yaml') ? 'yaml' : 'text'}\n${(f.text ?? '').replace(/```/g, '``\u200b`')}\n\`\`\``).join('\n\n'),
    notes: [
      'These builds ran in the course\u2019s build simulator, not in Docker. Its cache decisions follow BuildKit as Docker documents them and were checked against Debian\u2019s buildah on a conformance suite; the packages, images, sizes and times come from a simulated package world, so treat sizes as realistic, not exact.',
      `The size criterion compares the latest build whose image passes the simulated smoke test with the starter image built on the same day (${humanSize(starterImageSize(judged?.day ?? state.day))} on day ${judged?.day ?? state.day}). Wasted bytes are bytes of a layer that a later layer deletes or replaces: they ship with the image but are not visible in it.`,
      'Export the project (Dockerfile, .dockerignore, compose.yaml and the API\u2019s files) from the lab and run `docker build` and `docker compose up` on a machine with Docker to see the same decisions for real.',
    ].join('\n\n'),
  };
}

// ---------------------------------------------------------------------------------------------------------------

export const containers = defineLab<ContainersState>({
  id: LAB_ID,
  version: 1,
  quantities: {
    'lint.failing': { describe: 'lint findings at warning level or above in the judged build\u2019s Dockerfile', unit: 'findings', min: 0, max: 10_000 },
    'rebuild.sourceEditLayers': { describe: 'cache steps run again after a source-only edit', unit: 'layers', min: 0, max: 300 },
    'rebuild.depsEditInstall': { describe: 'whether a dependency-file edit ran the install step again (1 = yes)', min: 0, max: 1 },
    'image.sizeRatio': { describe: 'image size as a fraction of the starter image built on the same day', unit: '× starter', min: 0, max: 100 },
    'image.wastedMB': { describe: 'bytes in layers that a later layer deletes or replaces', unit: 'MB', min: 0, max: 1e6 },
    'compose.apiWaitsForHealthyStore': { describe: 'whether the Compose stack is valid and the API starts only after the model store is healthy (1 = yes)', min: 0, max: 1 },
  },
  empty: emptyState,
  parse: (value) => parseWith(stateSchema)(value),
  measure,
  merge(stored, mine) {
    const byId = <T extends { id: string }>(a: T[], b: T[]) => [...new Map([...a, ...b].map((x) => [x.id, x])).values()].sort((x, y) => ('at' in x && 'at' in y ? String(x.at).localeCompare(String(y.at)) : 0));
    return { files: mine.files, day: Math.max(stored.day, mine.day), builds: byId(stored.builds, mine.builds), blobs: { ...stored.blobs, ...mine.blobs }, compose: byId(stored.compose, mine.compose) };
  },
  markRestored(state, at) {
    return { ...state, builds: state.builds.map((b) => ({ ...b, restoredAt: b.restoredAt ?? at })), compose: state.compose.map((c) => ({ ...c, restoredAt: c.restoredAt ?? at })) };
  },
  report,
  async evidence(state) {
    // The student's project as it is now: a lecturer can build it with real Docker.
    return state.files.filter((f) => f.text !== undefined).map((f) => ({ path: `project/${f.path}`, content: f.text! }));
  },
});
export default containers;

export const projectText = (state: ContainersState, path: string) => fileText(state.files, path);
export type { Blobs, ProjectFile };
