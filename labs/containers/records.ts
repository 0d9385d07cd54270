/**
 * Builds as the lab keeps them: what went in (the Dockerfile, .dockerignore, the context files with their checksums
 * and modification times, the options, the day) and a summary of what came out. The inputs are enough to run every
 * build again in order: the worker does that to get the build cache back after a reload, and the verifier does it to
 * re-derive every recorded decision and size.
 */
import { build, emptyBuilder, imageSize, type BuildRequest, type BuildResult, type BuilderState, type ContextFile, type Image } from '../../src/labkit/docker/build.ts';
import { wasteOf, type Waste } from '../../src/labkit/docker/fs.ts';
import { smokeTest, type SmokeResult } from '../../src/labkit/docker/smoke.ts';
import { contextOf, DOCKERFILE, DOCKERIGNORE, fileText, HADOLINT, starterProject, type ProjectFile } from './project.ts';

export interface BuildOptions {
  target?: string;
  buildArgs?: Record<string, string>;
  noCache?: boolean;
  pull?: boolean;
}

/** A context file as a build saw it: text lives once in `blobs`, by digest. */
export interface ContextRef {
  path: string;
  digest: string;
  size: number;
  mode: number;
  mtime: number;
  /** True when the file's text is in `blobs` (text files); false for simulated data. */
  text: boolean;
}

export interface StepRecord {
  stage: string;
  line: number;
  keyword: string;
  text: string;
  decision: 'cached' | 'built' | 'skipped' | 'failed' | 'not-run';
  reason?: string;
  seconds: number;
  size: number;
  installs: boolean;
  copied?: string[];
}

export interface BuildRecord {
  id: string;
  at: string;
  restoredAt?: string;
  /** A prune empties the build cache (and the cache mounts) instead of building. */
  kind: 'build' | 'prune';
  /** What the student meant by this build (an experiment button says "source-only edit"). */
  note?: string;
  dockerfile: string;
  dockerignore: string;
  hadolint: string;
  context: ContextRef[];
  options: BuildOptions;
  day: number;
  ok: boolean;
  error?: { line: number; message: string };
  steps: StepRecord[];
  /** Image size in bytes (sum of layer sizes, as `docker images` shows). */
  size: number;
  wasted: number;
  seconds: number;
  layers: number;
  smoke?: { ok: boolean; detail: string };
  history?: { createdBy: string; size: number }[];
  skippedStages?: string[];
}

export type Blobs = Record<string, string>;

export function snapshot(files: readonly ProjectFile[], blobs: Blobs): ContextRef[] {
  return contextOf(files).map((f) => {
    if (f.text !== undefined) blobs[f.digest] = f.text;
    return { path: f.path, digest: f.digest, size: f.size, mode: f.mode, mtime: f.mtime ?? 0, text: f.text !== undefined };
  });
}

export function requestOf(record: Pick<BuildRecord, 'dockerfile' | 'dockerignore' | 'context' | 'options' | 'day'>, blobs: Blobs): BuildRequest {
  const context: ContextFile[] = record.context.map((c) => ({ path: c.path, digest: c.digest, size: c.size, mode: c.mode, mtime: c.mtime, ...(c.text && blobs[c.digest] !== undefined ? { text: blobs[c.digest] } : {}) }));
  return { dockerfile: record.dockerfile, dockerignore: record.dockerignore, context, day: record.day, ...record.options };
}

/** The summary a record keeps of a build's result. */
export function summarize(result: BuildResult): Pick<BuildRecord, 'ok' | 'error' | 'steps' | 'size' | 'wasted' | 'seconds' | 'layers' | 'smoke' | 'history' | 'skippedStages'> {
  const steps: StepRecord[] = result.steps.map((s) => ({
    stage: s.stage,
    line: s.line,
    keyword: s.keyword,
    text: s.text.length > 300 ? `${s.text.slice(0, 300)}…` : s.text,
    decision: s.decision,
    ...(s.reason ? { reason: s.reason } : {}),
    seconds: round(s.seconds),
    size: s.size,
    installs: s.installs,
    ...(s.copied?.length ? { copied: s.copied.slice(0, 40).map((c) => c.path) } : {}),
  }));
  const image = result.image;
  if (!result.ok || !image) return { ok: false, ...(result.error ? { error: result.error } : {}), steps, size: 0, wasted: 0, seconds: round(result.seconds), layers: 0 };
  const smoke = smokeTest(image);
  const failed = smoke.checks.find((c) => !c.ok);
  return {
    ok: true,
    steps,
    size: imageSize(image),
    wasted: wasteOf(image.layers.map((l) => l.changes)).reduce((n, w) => n + w.size, 0),
    seconds: round(result.seconds),
    layers: image.layers.length,
    smoke: { ok: smoke.ok, detail: failed ? `${failed.check}: ${failed.detail}` : smoke.checks.map((c) => c.detail).join('; ') },
    history: image.history.map((h) => ({ createdBy: h.created_by.length > 200 ? `${h.created_by.slice(0, 200)}…` : h.created_by, size: h.size })),
    skippedStages: result.skippedStages,
  };
}

const round = (x: number) => Math.round(x * 100) / 100;

export interface NewBuild {
  id: string;
  at: string;
  files: readonly ProjectFile[];
  options: BuildOptions;
  day: number;
  note?: string;
}

/** Runs a new build on a builder (which it updates) and makes its record; `blobs` are the texts it saw first. */
export function runBuild(builder: BuilderState, params: NewBuild, known: Blobs): { record: BuildRecord; blobs: Blobs; result: BuildResult } {
  const blobs: Blobs = {};
  const inputs = {
    id: params.id,
    at: params.at,
    kind: 'build' as const,
    ...(params.note ? { note: params.note } : {}),
    dockerfile: fileText(params.files, DOCKERFILE),
    dockerignore: fileText(params.files, DOCKERIGNORE),
    hadolint: fileText(params.files, HADOLINT),
    context: snapshot(params.files, blobs),
    options: params.options,
    day: params.day,
  };
  const result = build(requestOf(inputs, { ...known, ...blobs }), builder);
  return { record: { ...inputs, ...summarize(result) }, blobs, result };
}

/** Runs the recorded builds again in order (prunes included), returning the builder state after them. */
export function replay(records: readonly BuildRecord[], blobs: Blobs, from?: BuilderState): BuilderState {
  let builder = from ?? emptyBuilder();
  for (const r of records) {
    if (r.kind === 'prune') builder = { ...emptyBuilder(), images: builder.images };
    else build(requestOf(r, blobs), builder);
  }
  return builder;
}

/** Everything the page shows about an image beyond the record: layers with their files, waste, the smoke test. */
export interface ImageDetails {
  layers: { index: number; createdBy: string; size: number; step?: number; files: { path: string; size: number; label?: string; whiteout: boolean }[]; more: number }[];
  waste: Waste[];
  smoke: SmokeResult;
  config: Image['config'];
  base: string;
}

export function detailsOf(image: Image): ImageDetails {
  return {
    layers: image.layers.map((l, index) => {
      const entries = [...l.changes.entries()].map(([path, e]) => (e === 'whiteout' ? { path, size: 0, whiteout: true } : { path, size: e.size, ...(e.label ? { label: e.label } : {}), whiteout: false }));
      entries.sort((a, b) => b.size - a.size || a.path.localeCompare(b.path));
      const shown = entries.filter((e) => e.whiteout || e.size > 0).slice(0, 12);
      return { index, createdBy: l.createdBy, size: l.size, ...(l.step !== undefined ? { step: l.step } : {}), files: shown, more: entries.length - shown.length };
    }),
    waste: wasteOf(image.layers.map((l) => l.changes)),
    smoke: smokeTest(image),
    config: image.config,
    base: image.base,
  };
}

/** The starter's image size on a day: what the size criterion compares with. */
const starterSizes = new Map<number, number>();
export function starterImageSize(day: number): number {
  let size = starterSizes.get(day);
  if (size === undefined) {
    const files = starterProject();
    const r = build({ dockerfile: fileText(files, DOCKERFILE), dockerignore: fileText(files, DOCKERIGNORE), context: contextOf(files), day }, emptyBuilder());
    size = r.image ? imageSize(r.image) : NaN;
    starterSizes.set(day, size);
  }
  return size;
}
