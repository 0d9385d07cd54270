/**
 * Runs a conformance scenario (scenarios.mjs) through the build simulator: the same files, Dockerfile, changes and
 * build options the buildah oracle gets, and the decisions and files that come out.
 */
import { build, emptyBuilder, imageFs, type ContextFile } from '../../../src/labkit/docker/build.ts';
import { hex } from '../../../src/labkit/docker/fs.ts';

export type Change =
  | { edit: string; text: string }
  | { touch: string }
  | { chmod: string; mode: number }
  | { add: string; text: string }
  | { remove: string }
  | { rename: [string, string] }
  | { dockerfile: string }
  | { ignore: string };

export interface ScenarioBuild {
  changes?: Change[];
  args?: Record<string, string>;
  target?: string;
  noCache?: boolean;
  prune?: boolean;
  secret?: { id: string; text: string };
  expect?: [string, string][];
  files?: Record<string, boolean>;
}

export interface Scenario {
  id: string;
  title: string;
  doc: string;
  /** How buildah is known to differ from BuildKit here (the oracle's result is then not required to match). */
  buildah?: string;
  files: Record<string, string>;
  ignore?: string;
  dockerfile: string;
  builds: ScenarioBuild[];
}

export interface Observed {
  /** Cache steps (RUN, COPY, ADD, WORKDIR) in file order: [instruction, decision]. */
  decisions: [string, string][];
  /** For each path the build names in `files`: whether it exists in the final image. */
  files: Record<string, boolean>;
  error?: string;
}

interface State {
  files: Map<string, { text: string; mode: number; mtime: number }>;
  dockerfile: string;
  ignore: string;
  clock: number;
}

/** Applies a build's changes to the project (the oracle applies the same ones to real files). */
export function applyChanges(state: State, changes: readonly Change[]): void {
  for (const c of changes) {
    state.clock += 60_000;
    if ('edit' in c || 'add' in c) {
      const path = 'edit' in c ? c.edit : c.add;
      const old = state.files.get(path);
      state.files.set(path, { text: c.text, mode: old?.mode ?? 0o644, mtime: state.clock });
    } else if ('touch' in c) state.files.get(c.touch)!.mtime = state.clock;
    else if ('chmod' in c) state.files.get(c.chmod)!.mode = c.mode;
    else if ('remove' in c) state.files.delete(c.remove);
    else if ('rename' in c) {
      const f = state.files.get(c.rename[0])!;
      state.files.delete(c.rename[0]);
      state.files.set(c.rename[1], f);
    } else if ('dockerfile' in c) state.dockerfile = c.dockerfile;
    else if ('ignore' in c) state.ignore = c.ignore;
  }
}

const VERTEX = /^(RUN|COPY|ADD|WORKDIR)\b/i;

export function simulateScenario(scenario: Scenario): Observed[] {
  const state: State = { files: new Map(Object.entries(scenario.files).map(([p, text]) => [p, { text, mode: 0o644, mtime: 0 }])), dockerfile: scenario.dockerfile, ignore: scenario.ignore ?? '', clock: 0 };
  let builder = emptyBuilder();
  const out: Observed[] = [];
  for (const b of scenario.builds) {
    applyChanges(state, b.changes ?? []);
    if (b.prune) builder = { ...emptyBuilder(), images: builder.images };
    const context: ContextFile[] = [...state.files].map(([path, f]) => ({ path, text: f.text, size: new TextEncoder().encode(f.text).length, digest: hex(f.text), mode: f.mode, mtime: f.mtime }));
    const r = build({ dockerfile: state.dockerfile, dockerignore: state.ignore, context, buildArgs: b.args, target: b.target, noCache: b.noCache, day: 1 }, builder);
    const decisions = r.steps.filter((s) => VERTEX.test(s.keyword)).map((s) => [s.text, s.decision] as [string, string]);
    const fs = r.image ? imageFs(r.image) : new Map();
    const files = Object.fromEntries(Object.keys(b.files ?? {}).map((p) => [p, fs.has(p)]));
    out.push({ decisions, files, ...(r.error ? { error: r.error.message } : {}) });
  }
  return out;
}
