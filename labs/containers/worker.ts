/// <reference lib="webworker" />
/**
 * The containers lab's Web Worker: builds, image details, the OCI export and Compose checks, off the page's main
 * thread. It keeps the build cache of the builds it has run (replaying the recorded ones after a restart), so a
 * rebuild sees the same cache Docker would.
 */
import { serveWorker, transfer, type WorkerScope } from '../../src/labkit/lab/worker-rpc.ts';
import { build, emptyBuilder, type BuilderState, type Image } from '../../src/labkit/docker/build.ts';
import { ociLayout } from '../../src/labkit/docker/oci.ts';
import { detailsOf, replay, requestOf, runBuild, type Blobs, type BuildRecord, type NewBuild } from './records.ts';
import { checkCompose, type ComposeOutcome } from './stack.ts';
import type { BuildOutcome } from './protocol.ts';

/** The builder after the builds listed in `applied`, and the image of the last build run here. */
let builder: BuilderState = emptyBuilder();
let applied: string[] = [];
const images = new Map<string, Image>();

/** Brings the builder to the state after `history` (replaying only what it has not seen). */
function catchUp(history: readonly BuildRecord[], blobs: Blobs): void {
  const ids = history.map((h) => h.id);
  const prefix = applied.length <= ids.length && applied.every((id, k) => ids[k] === id);
  if (!prefix) {
    builder = emptyBuilder();
    applied = [];
    images.clear();
  }
  const rest = history.slice(applied.length);
  builder = replay(rest, blobs, builder);
  applied = ids;
}

/** The image of a recorded build: run again on a builder that has seen the builds before it. */
function imageOf(id: string, history: readonly BuildRecord[], blobs: Blobs): Image {
  const known = images.get(id);
  if (known) return known;
  const index = history.findIndex((h) => h.id === id);
  const record = history[index];
  if (!record || record.kind !== 'build' || !record.ok) throw new Error(`build ${id} has no image`);
  const before = replay(history.slice(0, index), blobs);
  const r = build(requestOf(record, blobs), before);
  if (!r.image) throw new Error(`build ${id} did not produce an image when it ran again: ${r.error?.message ?? 'unknown error'}`);
  images.set(id, r.image);
  return r.image;
}

const api = {
  build(params: NewBuild & { history: BuildRecord[]; blobs: Blobs }): BuildOutcome {
    catchUp(params.history, params.blobs);
    const { record, blobs, result } = runBuild(builder, params, params.blobs);
    applied = [...applied, params.id];
    if (result.image) images.set(params.id, result.image);
    return { record, blobs, markers: result.markers, notModelled: result.notModelled, details: result.image ? detailsOf(result.image) : null, log: result.steps.map((s) => ({ line: s.line, log: s.log.slice(0, 60) })) };
  },
  details(params: { id: string; history: BuildRecord[]; blobs: Blobs }) {
    return detailsOf(imageOf(params.id, params.history, params.blobs));
  },
  exportOci(params: { id: string; history: BuildRecord[]; blobs: Blobs }) {
    const oci = ociLayout(imageOf(params.id, params.history, params.blobs), params.id);
    return transfer({ tar: oci.tar, manifestDigest: oci.manifestDigest }, [oci.tar.buffer as ArrayBuffer]);
  },
  compose(params: { id: string; at: string; compose: string; env: string; image: { id: string; history: BuildRecord[]; blobs: Blobs } | null }): ComposeOutcome {
    const image = params.image ? imageOf(params.image.id, params.image.history, params.image.blobs) : null;
    return checkCompose(params, image);
  },
};

export type ContainersApi = typeof api;

serveWorker(self as unknown as WorkerScope, api);
