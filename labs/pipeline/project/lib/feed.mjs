// feed.mjs: a stand-in for a data feed on the network that is often briefly unavailable.
//
// Real feeds fail now and then (timeouts, HTTP 503). This one fails on purpose, and always the same way, so that
// every run behaves alike: within one run, the first FAILURES_PER_RUN requests fail and the next ones succeed.
// It counts its requests in a small file in the run's folder.

import fs from 'node:fs';
import path from 'node:path';
import { currentRun } from './flow.mjs';

export const FAILURES_PER_RUN = 2;

export class FeedUnavailable extends Error {}

/** Fetch the iris table as CSV text. */
export function fetchIrisCsv(source = 'data/iris.csv') {
  const counter = path.join(currentRun().dir, 'feed-requests.txt');
  const request = (fs.existsSync(counter) ? Number(fs.readFileSync(counter, 'utf8')) : 0) + 1;
  fs.writeFileSync(counter, String(request));
  if (request <= FAILURES_PER_RUN) {
    throw new FeedUnavailable(`feed unavailable (HTTP 503) on request ${request} of this run`);
  }
  return fs.readFileSync(source, 'utf8');
}
