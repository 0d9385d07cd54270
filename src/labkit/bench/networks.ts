/**
 * Time to first prediction: what a user opening a page waits for before a model answers. The download is simulated
 * from the model's real (gzipped) byte size at a chosen network profile; the other phases are measured on a fresh
 * backend. Free of tfjs, so a page can recompute it for another network without loading tfjs.
 */

export interface NetworkProfile {
  id: string;
  label: string;
  /** Download throughput in megabits per second. */
  downMbps: number;
  /** Round-trip time in ms (one per request; connection set-up is left out). */
  rttMs: number;
}

/** Profiles from WebPageTest's connectivity presets and Lighthouse's simulated "slow 4G". */
export const NETWORKS: NetworkProfile[] = [
  { id: '3g-slow', label: '3G slow (0.4 Mbit/s, 400 ms RTT)', downMbps: 0.4, rttMs: 400 },
  { id: '3g', label: '3G (1.6 Mbit/s, 300 ms RTT)', downMbps: 1.6, rttMs: 300 },
  { id: '4g-slow', label: 'slow 4G (1.6 Mbit/s, 150 ms RTT)', downMbps: 1.6, rttMs: 150 },
  { id: 'cable', label: 'cable (5 Mbit/s, 28 ms RTT)', downMbps: 5, rttMs: 28 },
  { id: 'fibre', label: 'fibre (100 Mbit/s, 5 ms RTT)', downMbps: 100, rttMs: 5 },
];

export function network(id: string): NetworkProfile {
  const found = NETWORKS.find((n) => n.id === id);
  if (!found) throw new RangeError(`unknown network profile "${id}" (known: ${NETWORKS.map((n) => n.id).join(', ')})`);
  return found;
}

/** Simulated download time: one RTT per request plus bytes at the link's throughput. */
export function downloadMs(bytes: number, net: NetworkProfile, requests = 2): number {
  return requests * net.rttMs + ((bytes * 8) / (net.downMbps * 1e6)) * 1000;
}

/** The measured phases on a fresh backend, in ms. */
export interface FirstPhases {
  /** Starting the backend: tf.setBackend and tf.ready (compiling the wasm module, creating a WebGL context). */
  initMs: number;
  loadMs: number;
  warmupMs: number;
  firstPredictionMs: number;
}

export interface TimeToFirstPrediction extends FirstPhases {
  network: string;
  downloadMs: number;
  totalMs: number;
}

export function timeToFirstPrediction(first: FirstPhases, bytes: number, net: NetworkProfile, requests = 2): TimeToFirstPrediction {
  const d = downloadMs(bytes, net, requests);
  return { network: net.id, downloadMs: d, ...pick(first), totalMs: d + first.initMs + first.loadMs + first.warmupMs + first.firstPredictionMs };
}

const pick = (f: FirstPhases): FirstPhases => ({ initMs: f.initMs, loadMs: f.loadMs, warmupMs: f.warmupMs, firstPredictionMs: f.firstPredictionMs });
