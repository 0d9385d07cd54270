/** What the containers worker (worker.ts) and its page exchange, besides the lab state's own types. */
import type { BuildMarker, BuildResult } from '../../src/labkit/docker/build.ts';
import type { Blobs, BuildRecord, ImageDetails } from './records.ts';

export interface BuildOutcome {
  record: BuildRecord;
  /** Text of context files this build saw for the first time, by digest. */
  blobs: Blobs;
  markers: BuildMarker[];
  notModelled: BuildResult['notModelled'];
  details: ImageDetails | null;
  /** Each step's output, by Dockerfile line (not kept in the state). */
  log: { line: number; log: string[] }[];
}
