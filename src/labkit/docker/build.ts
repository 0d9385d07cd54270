/**
 * A build simulator whose cache decisions follow BuildKit as Docker documents them
 * (docs.docker.com/build/cache/invalidation, the Dockerfile reference):
 *
 * - only the stages the target needs are built (the last stage, or `--target`), following `FROM <stage>`,
 *   `COPY --from` and `RUN --mount=from=`; the others are skipped;
 * - each FROM, RUN, COPY, ADD and WORKDIR is a step with a cache key made of the key of the step before it (its
 *   parent layer) and the operation: for RUN the command with the environment it runs with (every ENV, and every
 *   ARG in scope, as the reference says: "all RUN instructions following an ARG instruction use the ARG variable
 *   implicitly"), the working directory, the user and the mounts; for COPY and ADD the sources and destination after
 *   ARG/ENV expansion, the flags, and a checksum of the copied files' content and metadata, with mtime ignored
 *   (`COPY --from` takes the checksum of the files in the other stage; `COPY --link` does not depend on its parent);
 * - a step whose key is in the cache is CACHED and not run; once a step misses, the keys of all later steps of the
 *   chain change, so they miss too;
 * - ENV, LABEL, EXPOSE, CMD, ENTRYPOINT, USER, ARG, SHELL, HEALTHCHECK, VOLUME and STOPSIGNAL change only the image
 *   configuration and have no cache step of their own (they still appear in the image history, with 0 bytes);
 * - `RUN --mount=type=cache` keeps a directory between builds that never goes into a layer; a bind mount's files are
 *   part of the key; a secret's content is not.
 *
 * The simulator never throws on bad input: problems become markers with a line and the build stops where Docker
 * would, with Docker's message.
 */
import { baseImageState, emptyConfig, type HistoryEntry, type ImageConfig } from './base.ts';
import { flagValue, parseDockerfile, splitWords, stagesOf, type Instruction, type Stage } from './dockerfile.ts';
import { expandWord, parsePairs } from './expand.ts';
import { applyLayer, baseName, diff, dir, ensureParents, entriesUnder, file, hex, humanSize, layerSize, normalize, type Entry, type Fs, type LayerChanges } from './fs.ts';
import { isIgnored, parseIgnore } from './ignore.ts';
import { resolveOwner, users } from './commands.ts';
import type { Machine } from './machine.ts';
import { runScript } from './run.ts';
import { findBaseImage, findDownload, onDay, parseImageRef, type Distro, type ImageVersion } from './world.ts';

// ---------------------------------------------------------------------------------------------------------------
// Inputs and outputs

export interface ContextFile {
  /** Relative to the context root, with `/` separators. */
  path: string;
  size: number;
  /** SHA-256 of the content (hex). */
  digest: string;
  mode: number;
  /** The text, for text files (the simulator can read it: requirements, app code). */
  text?: string;
  /** Modification time (ms): kept to show that the cache ignores it. */
  mtime?: number;
}

export interface BuildRequest {
  dockerfile: string;
  context: readonly ContextFile[];
  /** `.dockerignore` text ('' when there is none). */
  dockerignore: string;
  buildArgs?: Readonly<Record<string, string>>;
  target?: string;
  noCache?: boolean;
  /** `--pull`: resolve base images again on this day instead of using the local copy. */
  pull?: boolean;
  day: number;
}

export type Severity = 'error' | 'warning' | 'info';

export interface BuildMarker {
  file: 'Dockerfile' | '.dockerignore';
  line: number;
  column?: number;
  endColumn?: number;
  severity: Severity;
  message: string;
  source: 'build';
}

export type Decision = 'cached' | 'built' | 'skipped' | 'failed' | 'not-run';

export interface Step {
  /** The stage's name, or `stage-N`. */
  stage: string;
  stageIndex: number;
  /** `n/m` within the stage, as BuildKit's progress prints it. */
  position: string;
  line: number;
  keyword: string;
  /** The instruction as written (continuations joined). */
  text: string;
  decision: Decision;
  /** Why it was built (for a miss): the cause the simulator found. */
  reason?: string;
  /** Simulated seconds (0 when cached). */
  seconds: number;
  /** Bytes of the layer it produced (also when cached). */
  size: number;
  log: string[];
  key: string;
  /** For COPY/ADD: the context or stage files it copied. */
  copied?: { path: string; size: number }[];
  /** Whether the step installs dependencies (pip/apt/apk/npm install): the "install layer". */
  installs: boolean;
}

export interface ImageLayer {
  changes: LayerChanges;
  size: number;
  createdBy: string;
  /** The step (index into `steps`) that made it; undefined for base image layers. */
  step?: number;
}

export interface Image {
  layers: ImageLayer[];
  history: (HistoryEntry & { size: number; step?: number })[];
  config: ImageConfig;
  distro: Distro;
  libc: 'glibc' | 'musl' | 'none';
  /** The stage it came from. */
  stage: string;
  /** The base image reference and its release. */
  base: string;
}

export interface BuildResult {
  ok: boolean;
  error?: { line: number; message: string };
  markers: BuildMarker[];
  steps: Step[];
  /** Stages not needed for the target, which BuildKit does not build. */
  skippedStages: string[];
  image?: Image;
  /** Simulated wall time: the longest chain of steps (stages build in parallel), plus exporting. */
  seconds: number;
  /** Bytes of the context the COPY/ADD steps transferred. */
  contextBytes: number;
  /** What the simulator did not model. */
  notModelled: { line: number; what: string }[];
}

/** What persists between builds: the build cache, the local images and the cache mounts. */
export interface BuilderState {
  cache: Map<string, CachedStep>;
  /** Base images in the local store, by reference: the version that was pulled. */
  images: Map<string, { version: ImageVersion; day: number }>;
  /** Cache mount contents, by id. */
  mounts: Map<string, Map<string, Entry>>;
}

export interface CachedStep {
  changes: LayerChanges;
  log: string[];
  seconds: number;
  /** What the key was made of, to explain a later miss. */
  parts: KeyParts;
}

interface KeyParts {
  parent: string;
  op: string;
  /** Environment, user and working directory a RUN sees. */
  env?: string;
  /** Content checksum per copied or bound file. */
  files?: Record<string, string>;
  /** Position in the Dockerfile (stage name and instruction number), to find "the same step" of an earlier build. */
  slot: string;
}

export const emptyBuilder = (): BuilderState => ({ cache: new Map(), images: new Map(), mounts: new Map() });

// ---------------------------------------------------------------------------------------------------------------

const INSTALL = /\b(apt-get|apt|apk)\s+(-\S+\s+)*(install|add)\b|\bpip3?\s+(-\S+\s+)*install\b|\b-m\s+pip\s+install\b|\bnpm\s+(ci|install)\b|\bconda\s+install\b/;

interface StageState {
  stage: Stage;
  fs: Fs;
  layers: ImageLayer[];
  history: Image['history'];
  config: ImageConfig;
  key: string;
  distro: Distro;
  libc: 'glibc' | 'musl' | 'none';
  /** ARGs in scope (name → value, or undefined for an ARG without value). */
  args: Map<string, string | undefined>;
  /** Simulated time at which the stage's last step finishes. */
  finish: number;
  base: string;
  done: boolean;
}

const hashKey = (...parts: string[]) => hex(parts.join('\u0000')).slice(0, 32);
const envList = (config: ImageConfig) => config.Env;
const envValue = (config: ImageConfig, name: string) => {
  const found = config.Env.find((e) => e.startsWith(`${name}=`));
  return found === undefined ? undefined : found.slice(name.length + 1);
};
function setEnv(config: ImageConfig, name: string, value: string): void {
  const i = config.Env.findIndex((e) => e.startsWith(`${name}=`));
  if (i >= 0) config.Env[i] = `${name}=${value}`;
  else config.Env.push(`${name}=${value}`);
}

/** Parses a duration as HEALTHCHECK writes it (`30s`, `1m30s`, `500ms`) into nanoseconds. */
export function parseDuration(text: string): number | null {
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (const m of text.matchAll(re)) {
    const unit = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 }[m[2] as 'ns'];
    total += Number(m[1]) * unit;
    matched += m[0].length;
  }
  return matched === text.length && text.length > 0 ? total : null;
}

class BuildFailure extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(message);
    this.line = line;
  }
}

export function build(request: BuildRequest, builder: BuilderState): BuildResult {
  const markers: BuildMarker[] = [];
  const steps: Step[] = [];
  const notModelled: BuildResult['notModelled'] = [];
  const result = (ok: boolean, extra: Partial<BuildResult> = {}): BuildResult => ({
    ok,
    markers,
    steps,
    skippedStages: [],
    seconds: 0,
    contextBytes: 0,
    notModelled,
    ...extra,
  });
  const file_ = parseDockerfile(request.dockerfile);
  for (const p of file_.problems) markers.push({ file: 'Dockerfile', line: p.line, column: p.column, endColumn: p.endColumn, severity: 'error', message: p.message, source: 'build' });
  const unknown = file_.problems.find((p) => /unknown instruction/.test(p.message));
  if (unknown) return result(false, { error: { line: unknown.line, message: `dockerfile parse error on line ${unknown.line}: ${unknown.message}` } });
  const ignore = parseIgnore(request.dockerignore);
  for (const p of ignore.problems) markers.push({ file: '.dockerignore', line: p.line, severity: 'error', message: p.message, source: 'build' });
  const { globalArgs, stages, beforeFrom } = stagesOf(file_);
  if (!stages.length) {
    const line = beforeFrom[0]?.line ?? 1;
    const message = file_.instructions.length ? `no build stage in current context: the first instruction must be FROM (line ${line} is ${beforeFrom[0]?.keyword})` : 'the Dockerfile cannot be empty';
    markers.push({ file: 'Dockerfile', line, severity: 'error', message, source: 'build' });
    return result(false, { error: { line, message } });
  }
  const buildArgs = request.buildArgs ?? {};
  const consumed = new Set<string>();

  // Global ARGs: usable in FROM lines.
  const globals = new Map<string, string | undefined>();
  for (const a of globalArgs) {
    const { pairs } = parsePairs(a.args, true);
    for (const p of pairs) {
      consumed.add(p.key);
      const dflt = p.raw === null ? undefined : expandWord(p.raw, (n) => globals.get(n)).value;
      globals.set(p.key, Object.hasOwn(buildArgs, p.key) ? buildArgs[p.key] : dflt);
    }
  }
  const names = new Map<string, number>();
  for (const s of stages) {
    if (!s.name) continue;
    if (names.has(s.name)) {
      const message = `duplicate name ${s.writtenName}: stage names must be unique`;
      markers.push({ file: 'Dockerfile', line: s.from.line, severity: 'error', message, source: 'build' });
      return result(false, { error: { line: s.from.line, message } });
    }
    if (s.name === 'scratch' || s.name === 'context') {
      const message = `"${s.writtenName}" is a reserved name and cannot be a stage name`;
      markers.push({ file: 'Dockerfile', line: s.from.line, severity: 'error', message, source: 'build' });
      return result(false, { error: { line: s.from.line, message } });
    }
    names.set(s.name, s.index);
  }
  const stageRef = (ref: string): number | undefined => {
    if (/^\d+$/.test(ref)) return Number(ref) < stages.length ? Number(ref) : undefined;
    return names.get(ref.toLowerCase());
  };
  const fromOf = (s: Stage) => expandWord(s.base, (n) => globals.get(n)).value;

  // The stages the target needs.
  let targetIndex = stages.length - 1;
  if (request.target) {
    const t = names.get(request.target.toLowerCase());
    if (t === undefined) {
      const message = `target stage "${request.target}" could not be found`;
      return result(false, { error: { line: 1, message } });
    }
    targetIndex = t;
  }
  const deps = (s: Stage): number[] => {
    const out: number[] = [];
    const base = stageRef(fromOf(s));
    if (base !== undefined && base < s.index) out.push(base);
    for (const ins of s.body) {
      const from = (ins.keyword === 'COPY' || ins.keyword === 'ADD') ? flagValue(ins, 'from') : undefined;
      if (from) {
        const r = stageRef(from);
        if (r !== undefined) out.push(r);
      }
      if (ins.keyword === 'RUN') {
        for (const f of ins.flags.filter((x) => x.name === 'mount' && x.value)) {
          const m = /(?:^|,)from=([^,]+)/.exec(f.value!);
          const r = m ? stageRef(m[1]!) : undefined;
          if (r !== undefined) out.push(r);
        }
      }
    }
    return out;
  };
  const needed = new Set<number>();
  const order: number[] = [];
  const visiting = new Set<number>();
  const visit = (i: number): string | null => {
    if (needed.has(i)) return null;
    if (visiting.has(i)) return `circular dependency detected on stage: ${stages[i]!.writtenName ?? i}`;
    visiting.add(i);
    for (const d of deps(stages[i]!)) {
      const problem = visit(d);
      if (problem) return problem;
    }
    visiting.delete(i);
    needed.add(i);
    order.push(i);
    return null;
  };
  const circular = visit(targetIndex);
  if (circular) return result(false, { error: { line: stages[targetIndex]!.from.line, message: circular } });
  const skippedStages = stages.filter((s) => !needed.has(s.index)).map((s) => s.writtenName ?? `stage-${s.index}`);

  const states = new Map<number, StageState>();
  let contextBytes = 0;
  const contextFiles = request.context.filter((f) => !isIgnored(ignore, f.path));
  let failure: BuildFailure | null = null;

  try {
    for (const index of order) {
      const stage = stages[index]!;
      const state = startStage(stage);
      states.set(index, state);
      for (const ins of stage.body) {
        runInstruction(state, ins);
        if (failure) break;
      }
      state.done = true;
      if (failure) break;
    }
  } catch (error) {
    // A simulator bug must not take the page down: it becomes a failure of the step, with a message.
    const line = steps.at(-1)?.line ?? 1;
    failure = error instanceof BuildFailure ? error : new BuildFailure(line, `the simulator could not model this step (${error instanceof Error ? error.message : String(error)}); please report it with your Dockerfile`);
  }

  // Steps of stages that were not reached are listed as not run; skipped stages too.
  const target = states.get(targetIndex);
  const skippedList = skippedStages;
  for (const s of stages) {
    if (needed.has(s.index) && states.has(s.index)) continue;
    const label = s.writtenName ?? `stage-${s.index}`;
    const vertices = [s.from, ...s.body.filter(isVertex)];
    vertices.forEach((ins, k) =>
      steps.push({
        stage: label,
        stageIndex: s.index,
        position: `${k + 1}/${vertices.length}`,
        line: ins.line,
        keyword: ins.keyword,
        text: `${ins.written} ${ins.original}`,
        decision: needed.has(s.index) ? 'not-run' : 'skipped',
        ...(needed.has(s.index) ? {} : { reason: `the target (${stages[targetIndex]!.writtenName ?? `stage-${targetIndex}`}) does not need stage ${label}` }),
        seconds: 0,
        size: 0,
        log: [],
        key: '',
        installs: false,
      }),
    );
  }
  steps.sort((a, b) => a.line - b.line);
  if (failure) {
    markers.push({ file: 'Dockerfile', line: failure.line, severity: 'error', message: failure.message, source: 'build' });
    return result(false, { error: { line: failure.line, message: failure.message }, skippedStages: skippedList, contextBytes, seconds: wallTime() });
  }
  for (const key of Object.keys(buildArgs)) {
    if (!consumed.has(key)) markers.push({ file: 'Dockerfile', line: 1, severity: 'warning', message: `[Warning] One or more build-args [${key}] were not consumed`, source: 'build' });
  }
  const image: Image = {
    layers: target!.layers,
    history: target!.history,
    config: target!.config,
    distro: target!.distro,
    libc: target!.libc,
    stage: target!.stage.writtenName ?? `stage-${targetIndex}`,
    base: target!.base,
  };
  const exported = steps.filter((s) => s.decision === 'built').reduce((n, s) => n + s.size, 0);
  return result(true, { image, skippedStages: skippedList, contextBytes, seconds: wallTime() + 0.2 + exported / 400e6 });

  function wallTime(): number {
    return Math.max(0, ...[...states.values()].map((s) => s.finish));
  }

  // -------------------------------------------------------------------------------------------------------------

  function fail(line: number, message: string): never {
    throw new BuildFailure(line, message);
  }

  function warn(line: number, message: string, severity: Severity = 'warning'): void {
    markers.push({ file: 'Dockerfile', line, severity, message, source: 'build' });
  }

  function isVertex(ins: Instruction): boolean {
    return ins.keyword === 'RUN' || ins.keyword === 'COPY' || ins.keyword === 'ADD' || (ins.keyword === 'WORKDIR' && ins.args.trim() !== '');
  }

  function stageLabel(stage: Stage) {
    return stage.writtenName ?? `stage-${stage.index}`;
  }

  function position(stage: Stage, ins: Instruction): string {
    const vertices = [stage.from, ...stage.body.filter(isVertex)];
    return `${vertices.indexOf(ins) + 1}/${vertices.length}`;
  }

  function lookupVar(state: StageState) {
    return (name: string) => {
      const env = envValue(state.config, name);
      if (env !== undefined) return env;
      if (state.args.has(name)) return state.args.get(name);
      return undefined;
    };
  }

  function expandArg(state: StageState, text: string, line: number): string {
    const r = expandWord(text, lookupVar(state), file_.directives.escape);
    if (r.error) fail(line, r.error);
    return r.value;
  }

  function startStage(stage: Stage): StageState {
    const ref = fromOf(stage);
    const label = stageLabel(stage);
    const from = stage.from;
    const base = stageRef(ref);
    const state: StageState = {
      stage,
      fs: new Map(),
      layers: [],
      history: [],
      config: emptyConfig(),
      key: '',
      distro: 'none',
      libc: 'none',
      args: new Map(),
      finish: 0,
      base: ref,
      done: false,
    };
    let seconds = 0;
    let decision: Decision = 'cached';
    let reason: string | undefined;
    const log: string[] = [];
    if (!ref) fail(from.line, 'FROM requires the name of an image or stage');
    if (base !== undefined && base < stage.index) {
      const parent = states.get(base)!;
      state.fs = new Map(parent.fs);
      state.layers = [...parent.layers];
      state.history = [...parent.history];
      state.config = structuredClone(parent.config);
      state.key = parent.key;
      state.distro = parent.distro;
      state.libc = parent.libc;
      state.finish = parent.finish;
      state.base = `stage ${parent.stage.writtenName ?? base}`;
    } else if (ref.toLowerCase() === 'scratch') {
      state.key = hashKey('scratch');
    } else {
      const parsed = parseImageRef(ref);
      if (!parsed) fail(from.line, `failed to parse stage name "${ref}": invalid reference format`);
      const image = findBaseImage(parsed);
      if (!image) {
        const message = `the simulator has no image "${ref}": ${ref.includes('$') ? 'a variable in FROM has no value (declare it with ARG before the first FROM)' : 'it knows python:3.12-slim, python:3.12, python:3.11-slim, python:3.13-slim, python:3.12-alpine, python:latest, gcr.io/distroless/python3-debian12, debian:bookworm-slim, ubuntu:24.04, alpine:3.20, busybox:1.36, nvidia/cuda:12.4.1-runtime-ubuntu22.04 and scratch'}`;
        fail(from.line, message);
      }
      const name = `${image.repository}:${image.tag}`;
      let version: ImageVersion;
      if (parsed.digest) {
        const found = image.versions.map(([, v]) => v).find((v) => baseImageState(image, 1, v).digest === parsed.digest);
        if (!found) fail(from.line, `${name}@${parsed.digest.slice(0, 19)}…: not found (no image of this name has that digest)`);
        version = found;
      } else {
        const local = builder.images.get(name);
        if (local && !request.pull) version = local.version;
        else {
          version = onDay(image.versions, request.day)!;
          if (!local || local.version !== version) {
            const size = version.layers.reduce((n, l) => n + l.size, 0);
            seconds = 1 + size / 60e6;
            decision = 'built';
            reason = local ? `--pull found a newer ${name} (${version.release}, was ${local.version.release})` : `pulled ${name} (${humanSize(size)}): it was not in the local image store`;
            log.push(`resolve docker.io/library/${name}`, `sha256:… ${humanSize(size)} done`);
          }
          builder.images.set(name, { version, day: request.day });
        }
      }
      const b = baseImageState(image, request.day, version);
      for (const l of b.layers) {
        applyLayer(state.fs, l.changes);
        state.layers.push({ changes: l.changes, size: layerSize(l.changes), createdBy: l.createdBy });
      }
      let li = 0;
      state.history = b.history.map((h) => ({ ...h, size: h.empty_layer ? 0 : (b.layers[li++]?.changes ? layerSize(b.layers[li - 1]!.changes) : 0) }));
      state.config = b.config;
      state.distro = b.distro;
      state.libc = b.libc;
      state.key = hashKey('image', b.digest);
      state.base = `${name} (${b.release})`;
    }
    steps.push({
      stage: label,
      stageIndex: stage.index,
      position: position(stage, from),
      line: from.line,
      keyword: 'FROM',
      text: `${from.written} ${from.original}`,
      decision,
      ...(reason ? { reason } : {}),
      seconds,
      size: 0,
      log,
      key: state.key,
      installs: false,
    });
    state.finish += seconds;
    return state;
  }

  function commitHistory(state: StageState, createdBy: string, layer?: LayerChanges, step?: number): void {
    if (layer) {
      const size = layerSize(layer);
      state.layers.push({ changes: layer, size, createdBy, step });
      state.history.push({ created_by: createdBy, comment: 'buildkit.dockerfile.v0', size, step, ...(layer.size === 0 ? { empty_layer: true } : {}) });
      if (layer.size === 0) state.layers.pop();
    } else state.history.push({ created_by: createdBy, comment: 'buildkit.dockerfile.v0', empty_layer: true, size: 0 });
  }

  /** Runs a step: looks its key up in the cache, and runs it only on a miss. */
  function step(state: StageState, ins: Instruction, parts: KeyParts, execute: () => { changes: LayerChanges; log: string[]; seconds: number }, extra: Partial<Step> = {}): { changes: LayerChanges; index: number } {
    const key = hashKey(parts.parent, parts.op, parts.env ?? '', JSON.stringify(parts.files ?? {}));
    const cached = request.noCache ? undefined : builder.cache.get(key);
    const index = steps.length;
    const base: Step = {
      stage: stageLabel(state.stage),
      stageIndex: state.stage.index,
      position: position(state.stage, ins),
      line: ins.line,
      keyword: ins.keyword,
      text: `${ins.written} ${ins.original}`,
      decision: 'cached',
      seconds: 0,
      size: 0,
      log: [],
      key,
      installs: ins.keyword === 'RUN' && INSTALL.test(ins.heredocs.length ? ins.heredocs.map((h) => h.content).join('\n') : ins.args),
      ...extra,
    };
    steps.push(base);
    let changes: LayerChanges;
    if (cached) {
      changes = cached.changes;
      base.log = cached.log;
      base.size = layerSize(changes);
    } else {
      base.decision = 'built';
      base.reason = explainMiss(parts);
      const done = execute();
      changes = done.changes;
      base.log = done.log;
      base.seconds = done.seconds;
      base.size = layerSize(changes);
      builder.cache.set(key, { changes, log: done.log, seconds: done.seconds, parts });
    }
    applyLayer(state.fs, changes);
    state.key = key;
    state.finish += base.seconds;
    return { changes, index };
  }

  function explainMiss(parts: KeyParts): string {
    if (request.noCache) return '--no-cache: the cache is not used';
    const previous = [...builder.cache.values()].filter((c) => c.parts.slot === parts.slot);
    if (!previous.length) {
      const sameOp = [...builder.cache.values()].some((c) => c.parts.op === parts.op);
      return sameOp ? 'the steps before it changed' : 'no earlier build had this step';
    }
    const last = previous.at(-1)!.parts;
    if (last.op !== parts.op) return 'the instruction changed (after ARG/ENV expansion)';
    if (last.parent !== parts.parent) {
      if (previous.some((p) => p.parts.parent === parts.parent)) {
        const same = previous.filter((p) => p.parts.parent === parts.parent).at(-1)!.parts;
        return describeDifference(same, parts) ?? 'the steps before it changed';
      }
      return 'the layer before it was rebuilt, so its key changed';
    }
    return describeDifference(last, parts) ?? 'its inputs changed';
  }

  function describeDifference(a: KeyParts, b: KeyParts): string | null {
    if ((a.env ?? '') !== (b.env ?? '')) {
      const before = new Set((a.env ?? '').split('\n'));
      const changed = (b.env ?? '').split('\n').filter((x) => !before.has(x) && x);
      return `the environment it runs with changed (${changed.slice(0, 3).join(', ') || 'a variable was removed'})`;
    }
    const fa = a.files ?? {};
    const fb = b.files ?? {};
    const changed = Object.keys({ ...fa, ...fb }).filter((k) => fa[k] !== fb[k]);
    if (changed.length) return `the content of ${changed.slice(0, 3).join(', ')}${changed.length > 3 ? ` and ${changed.length - 3} more` : ''} changed`;
    return null;
  }

  function runInstruction(state: StageState, ins: Instruction): void {
    const line = ins.line;
    const slot = `${stageLabel(state.stage)}#${state.stage.body.indexOf(ins)}`;
    switch (ins.keyword) {
      case 'ARG': {
        const { pairs, error } = parsePairs(ins.args, true);
        if (error) fail(line, `ARG ${error}`);
        for (const p of pairs) {
          consumed.add(p.key);
          const dflt = p.raw === null ? (globals.has(p.key) ? globals.get(p.key) : undefined) : expandArg(state, p.raw, line);
          state.args.set(p.key, Object.hasOwn(buildArgs, p.key) ? buildArgs[p.key] : dflt);
        }
        commitHistory(state, `ARG ${pairs.map((p) => (state.args.get(p.key) === undefined ? p.key : `${p.key}=${state.args.get(p.key)}`)).join(' ')}`);
        return;
      }
      case 'ENV': {
        const { pairs, error } = parsePairs(ins.args, false);
        if (error) fail(line, `ENV ${error}`);
        const lookup = lookupVar(state);
        const values = pairs.map((p) => {
          const r = expandWord(p.raw ?? '', lookup, file_.directives.escape);
          if (r.error) fail(line, r.error);
          return [p.key, r.value] as const;
        });
        for (const [k, v] of values) setEnv(state.config, k, v);
        commitHistory(state, `ENV ${values.map(([k, v]) => `${k}=${v}`).join(' ')}`);
        return;
      }
      case 'LABEL': {
        const { pairs, error } = parsePairs(ins.args, false);
        if (error) fail(line, `LABEL ${error}`);
        for (const p of pairs) state.config.Labels[expandArg(state, p.key, line)] = expandArg(state, p.raw ?? '', line);
        commitHistory(state, `LABEL ${pairs.map((p) => `${p.key}=${p.raw}`).join(' ')}`);
        return;
      }
      case 'MAINTAINER':
        commitHistory(state, `MAINTAINER ${ins.args}`);
        return;
      case 'EXPOSE': {
        for (const w of splitWords(ins.args)) {
          const value = expandArg(state, w, line);
          const m = /^(?:(\d+)-)?(\d+)(?:\/(tcp|udp|sctp))?$/i.exec(value);
          if (!m) fail(line, `invalid containerPort: ${value}`);
          const port = Number(m[2]);
          if (port > 65535 || (m[1] && Number(m[1]) > 65535)) fail(line, `invalid containerPort: ${value} (ports go from 0 to 65535)`);
          state.config.ExposedPorts[`${port}/${(m[3] ?? 'tcp').toLowerCase()}`] = {};
        }
        commitHistory(state, `EXPOSE map[${Object.keys(state.config.ExposedPorts).map((p) => `${p}:{}`).join(' ')}]`);
        return;
      }
      case 'USER': {
        const user = expandArg(state, ins.args.trim(), line);
        if (!user) fail(line, 'USER requires a user name or id');
        state.config.User = user;
        commitHistory(state, `USER ${user}`);
        return;
      }
      case 'VOLUME': {
        const list = ins.json ?? splitWords(ins.args).map((w) => expandArg(state, w, line));
        for (const v of list) state.config.Volumes[v] = {};
        commitHistory(state, `VOLUME [${list.join(' ')}]`);
        return;
      }
      case 'STOPSIGNAL':
        state.config.StopSignal = expandArg(state, ins.args.trim(), line);
        commitHistory(state, `STOPSIGNAL ${state.config.StopSignal}`);
        return;
      case 'SHELL':
        if (!ins.json || !ins.json.length) fail(line, 'SHELL requires the arguments to be in JSON form');
        state.config.Shell = ins.json;
        commitHistory(state, `SHELL [${ins.json.map((s) => JSON.stringify(s)).join(' ')}]`);
        return;
      case 'CMD':
      case 'ENTRYPOINT': {
        const shell = state.config.Shell ?? ['/bin/sh', '-c'];
        const value = ins.json ?? (ins.args.trim() ? [...shell, ins.args.trim()] : []);
        if (ins.keyword === 'CMD') state.config.Cmd = value;
        else {
          state.config.Entrypoint = value;
          // "If CMD is defined from the base image, setting ENTRYPOINT will reset CMD to an empty value."
          if (!state.stage.body.slice(0, state.stage.body.indexOf(ins)).some((x) => x.keyword === 'CMD')) delete state.config.Cmd;
        }
        commitHistory(state, `${ins.keyword} [${value.map((s) => JSON.stringify(s)).join(' ')}]`);
        return;
      }
      case 'HEALTHCHECK': {
        const rest = ins.args.trim();
        if (/^none$/i.test(rest)) {
          state.config.Healthcheck = { Test: ['NONE'] };
        } else {
          const m = /^CMD\s+(.*)$/is.exec(rest);
          if (!m) fail(line, 'HEALTHCHECK needs CMD followed by the check command, or NONE');
          const json = ins.json ?? (m[1]!.trim().startsWith('[') ? JSON.parse(m[1]!) : null);
          const hc: NonNullable<ImageConfig['Healthcheck']> = { Test: json ? ['CMD', ...json] : ['CMD-SHELL', m[1]!.trim()] };
          for (const f of ins.flags) {
            if (f.name === 'retries') {
              const n = Number(f.value);
              if (!Number.isInteger(n) || n < 0) fail(line, `--retries must be a whole number, not "${f.value}"`);
              hc.Retries = n;
              continue;
            }
            const key = { interval: 'Interval', timeout: 'Timeout', 'start-period': 'StartPeriod', 'start-interval': 'StartInterval' }[f.name] as 'Interval' | undefined;
            if (!key) fail(line, `unknown flag: --${f.name}`);
            const ns = parseDuration(f.value ?? '');
            if (ns === null) fail(line, `--${f.name}: "${f.value}" is not a duration (write 30s, 1m or 500ms)`);
            hc[key] = ns;
          }
          state.config.Healthcheck = hc;
        }
        commitHistory(state, `HEALTHCHECK &{${JSON.stringify(state.config.Healthcheck.Test)}}`);
        return;
      }
      case 'ONBUILD':
        state.config.OnBuild = [...(state.config.OnBuild ?? []), ins.args];
        notModelled.push({ line, what: 'ONBUILD triggers are recorded in the image but not run by the simulator' });
        commitHistory(state, `ONBUILD ${ins.args}`);
        return;
      case 'WORKDIR': {
        const raw = expandArg(state, ins.args.trim(), line);
        if (!raw) fail(line, 'WORKDIR requires a path');
        const path = normalize(raw, state.config.WorkingDir || '/');
        state.config.WorkingDir = path;
        const parent = state.key;
        const { changes, index } = step(state, ins, { parent, op: `mkdir ${path}`, slot }, () => {
          const before = new Map(state.fs);
          const after = new Map(state.fs);
          if (!after.has(path) && path !== '/') {
            ensureParents(after, path);
            after.set(path, dir());
          }
          return { changes: diff(before, after), log: [], seconds: 0.05 };
        });
        commitHistory(state, `WORKDIR ${path}`, changes, index);
        return;
      }
      case 'RUN':
        return runStep(state, ins, slot);
      case 'COPY':
      case 'ADD':
        return copyStep(state, ins, slot);
      default:
        fail(line, `unknown instruction: ${ins.written}`);
    }
  }

  function runStep(state: StageState, ins: Instruction, slot: string): void {
    const line = ins.line;
    const shell = state.config.Shell ?? ['/bin/sh', '-c'];
    const script = ins.heredocs.length && /^<<-?\s*["']?[A-Za-z_]/.test(ins.args.trim()) ? ins.heredocs[0]!.content : ins.heredocs.length ? `${ins.args}\n${ins.heredocs.map((h) => h.content).join('')}` : ins.args;
    const args = ins.json ?? [...shell, script];
    if (!ins.json && !script.trim()) fail(line, 'RUN needs a command');
    // The environment a RUN sees: the image's ENV, then the ARGs in scope that ENV does not override.
    const env: Record<string, string> = {};
    for (const e of envList(state.config)) {
      const eq = e.indexOf('=');
      env[e.slice(0, eq)] = e.slice(eq + 1);
    }
    const argEnv: string[] = [];
    for (const [k, v] of state.args) {
      if (v === undefined || Object.hasOwn(env, k)) continue;
      env[k] = v;
      argEnv.push(`${k}=${v}`);
    }
    env.PATH ??= '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
    const workdir = state.config.WorkingDir || '/';
    const userSpec = state.config.User || 'root';
    const mounts = parseMounts(state, ins);
    const files: Record<string, string> = {};
    for (const m of mounts) if (m.type === 'bind') for (const [p, d] of Object.entries(m.checksums)) files[`bind:${p}`] = d;
    const parts: KeyParts = {
      parent: state.key,
      op: `exec ${JSON.stringify(args)} ${JSON.stringify(mounts.map((m) => [m.type, m.target, m.id, m.source, m.from]))} network=${flagValue(ins, 'network') ?? 'default'}`,
      env: [...Object.entries(env).map(([k, v]) => `${k}=${v}`).sort(), `cwd=${workdir}`, `user=${userSpec}`].join('\n'),
      files,
      slot,
    };
    const network = flagValue(ins, 'network');
    if (network && network !== 'default') notModelled.push({ line, what: `RUN --network=${network}: the simulator's package world is reachable either way` });
    const createdBy = `RUN ${argEnv.length ? `|${argEnv.length} ${argEnv.join(' ')} ` : ''}${args.join(' ')} # buildkit`;
    const { changes, index } = step(state, ins, parts, () => {
      const user = resolveUser(state, userSpec, line);
      const machine: Machine = {
        fs: new Map(state.fs),
        env: { ...env, HOME: env.HOME ?? user.home },
        cwd: workdir,
        user,
        distro: state.distro,
        libc: state.libc,
        day: request.day,
        log: [],
        seconds: 0.3,
        notModelled: [],
        cacheMounts: mounts.filter((m) => m.type === 'cache').map((m) => m.target),
        pipefail: shell.includes('pipefail'),
        errexit: shell.includes('-e') || shell.includes('-eu') || shell.includes('-eux') || shell.some((s) => /^-[a-z]*e/.test(s) && s !== '-c'),
      };
      if (!machine.fs.has(workdir) && workdir !== '/') {
        ensureParents(machine.fs, workdir);
        machine.fs.set(workdir, dir());
      }
      const before = new Map(machine.fs);
      const placed = mountIn(machine, mounts);
      let code: number;
      if (ins.json) {
        const [cmd, ...rest] = ins.json;
        if (!cmd) fail(line, 'RUN [] needs a command');
        code = runScript(machine, [cmd, ...rest].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')).code;
      } else if (!machine.fs.has(shell[0]!)) {
        machine.log.push(`runc run failed: unable to start container process: exec: "${shell[0]}": stat ${shell[0]}: no such file or directory`);
        code = 127;
      } else code = runScript(machine, script).code;
      mountOut(machine, mounts, placed);
      for (const what of machine.notModelled) notModelled.push({ line, what });
      if (code !== 0) {
        const tail = machine.log.slice(-6).join('\n');
        fail(line, `process "${args.join(' ').slice(0, 200)}" did not complete successfully: exit code: ${code}${tail ? `\n${tail}` : ''}`);
      }
      return { changes: diff(before, machine.fs), log: machine.log, seconds: machine.seconds };
    });
    commitHistory(state, createdBy, changes, index);
  }

  function resolveUser(state: StageState, spec: string, line: number) {
    const [name = 'root'] = spec.split(':');
    const all = users({ fs: state.fs });
    const byName = all.find((u) => u.name === name);
    if (byName) return { name: byName.name, uid: byName.uid, gid: byName.gid, home: byName.home };
    if (/^\d+$/.test(name)) return { name, uid: Number(name), gid: Number(spec.split(':')[1] ?? name), home: '/' };
    return fail(line, `unable to find user ${name}: no matching entries in passwd file`);
  }

  interface Mount {
    type: 'cache' | 'bind' | 'secret' | 'tmpfs' | 'ssh';
    target: string;
    id: string;
    source?: string;
    from?: string;
    /** Files a bind mount brings, by path under the target. */
    entries: Map<string, Entry>;
    checksums: Record<string, string>;
  }

  function parseMounts(state: StageState, ins: Instruction): Mount[] {
    const out: Mount[] = [];
    for (const f of ins.flags.filter((x) => x.name === 'mount')) {
      const fields = new Map<string, string>();
      for (const part of (f.value ?? '').split(',')) {
        const eq = part.indexOf('=');
        fields.set(eq < 0 ? part : part.slice(0, eq), eq < 0 ? 'true' : part.slice(eq + 1));
      }
      const type = (fields.get('type') ?? 'bind') as Mount['type'];
      if (!['cache', 'bind', 'secret', 'tmpfs', 'ssh'].includes(type)) fail(ins.line, `unsupported mount type "${type}"`);
      const rawTarget = fields.get('target') ?? fields.get('dst') ?? fields.get('destination');
      if (type === 'ssh') {
        notModelled.push({ line: ins.line, what: 'RUN --mount=type=ssh: no SSH agent in the simulator' });
        continue;
      }
      const id = fields.get('id') ?? rawTarget ?? '';
      const target = normalize(rawTarget ?? (type === 'secret' ? `/run/secrets/${id}` : ''), state.config.WorkingDir || '/');
      if (!rawTarget && type !== 'secret') fail(ins.line, `--mount=type=${type} needs target=<path>`);
      const mount: Mount = { type, target, id, source: fields.get('source') ?? fields.get('src'), from: fields.get('from'), entries: new Map(), checksums: {} };
      if (type === 'bind') {
        const source = mount.source ?? '.';
        const selected = mount.from ? fromStageFiles(mount.from, source, ins.line) : contextSelection([source], ins.line);
        for (const s of selected) {
          mount.entries.set(s.rel ? `${target}/${s.rel}` : target, s.entry);
          mount.checksums[s.label] = s.entry.digest;
        }
      }
      if (type === 'secret') mount.entries.set(target, file(`<secret ${id}>`, { mode: 0o400 }));
      out.push(mount);
    }
    return out;
  }

  /** Puts the mounts in place; returns what they hide and the mount points that had to be created. */
  function mountIn(m: Machine, mounts: Mount[]): { hidden: Map<string, Entry>; stubs: string[] } {
    const hidden = new Map<string, Entry>();
    const stubs: string[] = [];
    for (const mount of mounts) {
      for (const [p, e] of entriesUnder(m.fs, mount.target)) {
        hidden.set(p, e);
        m.fs.delete(p);
      }
      for (let p = mount.target; p !== '/' && !m.fs.has(p) && !hidden.has(p); p = p.slice(0, p.lastIndexOf('/')) || '/') stubs.push(p);
      ensureParents(m.fs, mount.target);
      m.fs.set(mount.target, dir());
      const contents = mount.type === 'cache' ? (builder.mounts.get(mount.id) ?? new Map()) : mount.entries;
      for (const [p, e] of contents) {
        ensureParents(m.fs, p);
        m.fs.set(p, e);
      }
    }
    return { hidden, stubs };
  }

  /**
   * Takes the mounts away again: a cache mount's files go back to its store, the rest are dropped, what they hid is
   * restored, and the mount points the run created are removed (BuildKit cleans up such stubs).
   */
  function mountOut(m: Machine, mounts: Mount[], placed: { hidden: Map<string, Entry>; stubs: string[] }): void {
    for (const mount of mounts) {
      const inside = entriesUnder(m.fs, mount.target);
      if (mount.type === 'cache') builder.mounts.set(mount.id, new Map(inside.filter(([p]) => p !== mount.target)));
      for (const [p] of inside) m.fs.delete(p);
    }
    for (const stub of placed.stubs) if (entriesUnder(m.fs, stub).length <= 1) m.fs.delete(stub);
    for (const [p, e] of placed.hidden) m.fs.set(p, e);
  }

  /** A file a COPY or bind mount selects: `rel` is '' when the source itself is that file, else its path below it. */
  interface Selected {
    rel: string;
    /** The source path, shown in messages and used as the checksum's name. */
    label: string;
    entry: Entry;
  }

  /** Files of the build context a COPY source selects (after .dockerignore), with their content checksums. */
  function contextSelection(sources: string[], line: number): Selected[] {
    const out: Selected[] = [];
    const entryOf = (f: ContextFile): Entry => ({ kind: 'file', size: f.size, digest: f.digest, mode: f.mode, uid: 0, gid: 0, ...(f.text !== undefined ? { text: f.text } : {}), origin: `context:${f.path}` });
    for (const raw of sources) {
      const src = normalize(raw, '/').slice(1); // relative to the context root; '' is the whole context
      let roots: string[];
      if (/[*?[]/.test(src)) {
        const depth = src.split('/').length;
        const re = new RegExp(`^${src.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
        roots = [...new Set(contextFiles.map((f) => f.path.split('/').slice(0, depth).join('/')).filter((p) => re.test(p)))].sort();
      } else roots = contextFiles.some((f) => src === '' || f.path === src || f.path.startsWith(`${src}/`)) ? [src] : [];
      if (!roots.length) {
        const ignored = src !== '' && request.context.some((f) => f.path === src || f.path.startsWith(`${src}/`));
        fail(line, `failed to calculate checksum of ref: "/${src}": not found${ignored ? ' (.dockerignore excludes it from the context)' : ''}`);
      }
      for (const root of roots) {
        const single = contextFiles.find((f) => f.path === root);
        if (single) out.push({ rel: '', label: single.path, entry: entryOf(single) });
        else for (const f of contextFiles.filter((x) => root === '' || x.path.startsWith(`${root}/`))) out.push({ rel: root === '' ? f.path : f.path.slice(root.length + 1), label: f.path, entry: entryOf(f) });
      }
    }
    return out;
  }

  /** Files under a path of another stage (or an image) for COPY --from and bind mounts. */
  function fromStageFiles(from: string, source: string, line: number): Selected[] {
    const index = stageRef(from);
    let fs: Fs;
    if (index !== undefined) {
      const s = states.get(index);
      if (!s) fail(line, `stage ${from} has not been built before this step`);
      fs = s.fs;
    } else {
      const parsed = parseImageRef(from);
      const image = parsed && findBaseImage(parsed);
      if (!image) fail(line, `failed to resolve source metadata for docker.io/library/${from}: no stage or image of that name`);
      fs = new Map();
      for (const l of baseImageState(image, request.day).layers) applyLayer(fs, l.changes);
    }
    const src = normalize(source, '/');
    const root = fs.get(src);
    if (!root && src !== '/') fail(line, `failed to calculate checksum of ref: "${src}": not found in ${index !== undefined ? `stage ${from}` : from}`);
    if (root && root.kind !== 'dir') return [{ rel: '', label: `${from}:${src}`, entry: root }];
    return entriesUnder(fs, src)
      .filter(([p]) => p !== src)
      .map(([p, e]) => ({ rel: p.slice(src === '/' ? 1 : src.length + 1), label: `${from}:${p}`, entry: e }));
  }

  function copyStep(state: StageState, ins: Instruction, slot: string): void {
    const line = ins.line;
    const isAdd = ins.keyword === 'ADD';
    let words: string[];
    if (ins.heredocs.length) {
      words = splitWords(ins.args).map((w) => (/^<<-?["']?[A-Za-z_]/.test(w) ? w : expandArg(state, w, line)));
    } else words = (ins.json ?? splitWords(ins.args)).map((w) => expandArg(state, w, line));
    if (words.length < 2) fail(line, `${ins.keyword} requires at least two arguments, but only ${words.length} was provided. Destination could not be determined`);
    const destRaw = words.at(-1)!;
    const sources = words.slice(0, -1);
    const workdir = state.config.WorkingDir || '/';
    const dest = normalize(destRaw, workdir);
    const destIsDir = destRaw.endsWith('/') || destRaw === '.' || sources.length > 1 || state.fs.get(dest)?.kind === 'dir';
    if (sources.length > 1 && !destRaw.endsWith('/')) fail(line, `When using ${ins.keyword} with more than one source file, the destination must be a directory and end with a /`);
    const from = flagValue(ins, 'from');
    const chown = flagValue(ins, 'chown');
    const chmod = flagValue(ins, 'chmod');
    const link = flagValue(ins, 'link') !== undefined && flagValue(ins, 'link') !== 'false';
    for (const f of ins.flags) {
      if (!['from', 'chown', 'chmod', 'link', 'checksum', 'keep-git-dir', 'parents', 'exclude'].includes(f.name)) fail(line, `unknown flag: --${f.name}`);
      if (f.name === 'parents' || f.name === 'exclude') notModelled.push({ line, what: `${ins.keyword} --${f.name} (a Dockerfile labs feature) is not modelled` });
      if (isAdd ? f.name === 'from' : f.name === 'checksum' || f.name === 'keep-git-dir') fail(line, `unknown flag: --${f.name} (${isAdd ? 'ADD' : 'COPY'} does not take it)`);
    }
    // What to copy: heredocs, downloads, another stage's files, or the context.
    const items: Selected[] = [];
    const checksums: Record<string, string> = {};
    for (const src of sources) {
      const heredoc = /^<<-?["']?([A-Za-z_][A-Za-z0-9_]*)/.exec(src);
      if (heredoc) {
        const text = ins.heredocs.find((x) => x.name === heredoc[1])?.content ?? '';
        items.push({ rel: '', label: heredoc[1]!, entry: file(text) });
        checksums[`heredoc:${heredoc[1]}`] = hex(text);
        continue;
      }
      if (/^https?:\/\//.test(src)) {
        if (!isAdd) fail(line, `COPY cannot copy from a URL: ${src} (use ADD, or curl in a RUN)`);
        const d = findDownload(src);
        if (!d) fail(line, `failed to load cache key: invalid response status 404 for ${src} (the simulator knows only a few URLs)`);
        const identity = `${src}#${onDay(d.versions, request.day)}`;
        items.push({ rel: '', label: src, entry: { kind: 'file', size: d.size, digest: hex(identity), mode: 0o600, uid: 0, gid: 0, origin: src } });
        checksums[src] = hex(identity);
        continue;
      }
      if (/^git@|\.git(#|$)/.test(src)) fail(line, `${ins.keyword} of a Git repository is not supported by the simulator`);
      for (const s of from ? fromStageFiles(from, src, line) : contextSelection([src], line)) {
        items.push(s);
        checksums[s.label] = `${s.entry.kind}:${s.entry.digest}:${s.entry.mode.toString(8)}${from ? `:${s.entry.uid}:${s.entry.gid}` : ''}`;
      }
    }
    if (items.filter((i) => i.rel === '').length > 1 && !destIsDir) fail(line, `When using ${ins.keyword} with more than one source file, the destination must be a directory and end with a /`);
    const parts: KeyParts = {
      parent: link ? '' : state.key,
      op: `${isAdd ? 'add' : 'copy'} ${JSON.stringify(sources)} ${dest}${destIsDir ? '/' : ''} from=${from ?? 'context'} chown=${chown ?? ''} chmod=${chmod ?? ''} link=${link}`,
      files: checksums,
      slot,
    };
    const copied = items.filter((i) => i.entry.kind !== 'dir').map((i) => ({ path: i.label, size: i.entry.size }));
    if (!from) contextBytes += copied.filter((c) => !/^https?:/.test(c.path)).reduce((n, c) => n + c.size, 0);
    const parentKey = state.key;
    const { changes, index } = step(
      state,
      ins,
      parts,
      () => {
        const before = new Map(state.fs);
        const after = new Map(state.fs);
        let owner = { uid: 0, gid: 0 };
        if (chown) {
          const o = resolveOwner({ fs: state.fs }, expandArg(state, chown, line));
          if (typeof o === 'string') fail(line, `unable to convert uid/gid chown string to host mapping: ${o}`);
          owner = { uid: o.uid, gid: o.gid ?? o.uid };
        }
        const mode = chmod ? parseInt(chmod, 8) : undefined;
        if (chmod && (Number.isNaN(mode) || !/^[0-7]{3,4}$/.test(chmod))) fail(line, `invalid chmod parameter: ${chmod} (use octal, such as 755)`);
        let bytes = 0;
        for (const item of items) {
          const target = item.rel === '' ? (destIsDir ? normalize(baseName(item.label), dest) : dest) : normalize(item.rel, dest);
          // ADD extracts local tar archives the catalogue knows.
          const archive = isAdd && !from && item.rel === '' && /\.(tar|tar\.gz|tgz|tar\.xz|tar\.bz2)$/.test(item.label) && !/^https?:/.test(item.label) ? findDownload(item.entry.origin ?? '')?.archive : undefined;
          ensureParents(after, target, owner);
          if (archive) {
            for (const a of archive) {
              const p = normalize(a.path, dest);
              ensureParents(after, p, owner);
              after.set(p, { kind: 'file', size: a.size, digest: hex(`${item.entry.digest}:${a.path}`), mode: 0o644, uid: owner.uid, gid: owner.gid });
              bytes += a.size;
            }
            continue;
          }
          after.set(target, { ...item.entry, uid: owner.uid, gid: owner.gid, ...(mode !== undefined && item.entry.kind !== 'dir' ? { mode } : {}) });
          bytes += item.entry.size;
        }
        return { changes: diff(before, after), log: [], seconds: 0.1 + bytes / 300e6 };
      },
      { copied },
    );
    const shown = ins.json ? ins.json.join(' ') : ins.args;
    commitHistory(state, `${ins.keyword} ${ins.flags.filter((f) => f.name !== 'link').map((f) => `--${f.name}${f.value === null ? '' : `=${f.value}`} `).join('')}${shown} # buildkit`, changes, index);
    if (link) state.key = hashKey(parentKey, state.key);
    // Large or secret files copied into the image: worth a look.
    for (const c of copied) {
      if (c.size >= 50e6) warn(line, `${ins.keyword} puts ${c.path} (${humanSize(c.size)}) into the image: is it needed at run time? If not, exclude it in .dockerignore or copy less.`, 'info');
      if (/(^|\/)\.env$|(^|\/)id_rsa$|\.pem$|(^|\/)\.git\//.test(c.path) && !c.path.startsWith('.git/objects')) warn(line, `${ins.keyword} puts ${c.path} into the image, where anyone with the image can read it: exclude it in .dockerignore.`, 'warning');
    }
    if (copied.some((c) => c.path.startsWith('.git/'))) warn(line, `${ins.keyword} puts the .git directory (${humanSize(copied.filter((c) => c.path.startsWith('.git/')).reduce((n, c) => n + c.size, 0))}) into the image: add .git to .dockerignore.`, 'warning');
  }
}

/** The file system of a built image (all layers applied). */
export function imageFs(image: Image): Fs {
  const fs: Fs = new Map();
  for (const l of image.layers) applyLayer(fs, l.changes);
  return fs;
}

export const imageSize = (image: Image) => image.layers.reduce((n, l) => n + l.size, 0);
