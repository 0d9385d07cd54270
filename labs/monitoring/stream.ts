/**
 * The production stream: requests with arrival times, the digit image each one sends, how it is corrupted, which
 * client sent it, whether it was valid, the label that will arrive later, and how long the service took. Seeded and
 * pure: the same scenario and seed give the same stream on every replay. The worker turns each event's image and
 * corruption into features and a prediction (pool.ts caches them per corruption).
 */
import { mulberry32 } from '../../src/labkit/ml/random.ts';
import { corruptionKey, type Corruption } from './images.ts';
import { DAY, DAYS, labelAt, rateAt, SCENARIOS, type Scenario, type ScenarioId } from './scenarios.ts';

export const CLIENTS = ['web', 'app', 'scanner-2.0', 'scanner-2.1'] as const;
export type Client = (typeof CLIENTS)[number];
/** Share of the broken firmware's requests that arrive with missing pixels (rejected with HTTP 400). */
export const NULL_SHARE = 0.05;
export const SCALE_BREAK: Corruption = { kind: 'scale', level: 1000 };

/** The digit images the stream draws from: their labels, and the indexes of each class. */
export interface PoolIndex {
  labels: ArrayLike<number>;
  byClass: Uint32Array[];
}

export function poolIndex(labels: ArrayLike<number>): PoolIndex {
  const lists: number[][] = Array.from({ length: 10 }, () => []);
  for (let i = 0; i < labels.length; i++) lists[labels[i]!]!.push(i);
  return { labels, byClass: lists.map((l) => Uint32Array.from(l)) };
}

export interface Events {
  count: number;
  /** Arrival time, simulated seconds from day 1 00:00. */
  t: Float64Array;
  image: Uint32Array;
  /** Index into `variants`: how the image was corrupted. */
  variant: Uint16Array;
  variants: Corruption[];
  client: Uint8Array;
  /** True when the request had missing pixels and was rejected (HTTP 400, no prediction). */
  rejected: Uint8Array;
  /** How many pixels were missing (0 for valid requests). */
  missing: Uint16Array;
  /** The label that arrives later (after a concept change it may differ from the digit drawn). */
  label: Uint8Array;
  latencyMs: Float32Array;
}

function pick(weights: readonly number[], u: number): number {
  let total = 0;
  for (const w of weights) total += w;
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i]! / total;
    if (u < acc) return i;
  }
  return weights.length - 1;
}

/** Events at the given times, drawn for `scenario` with `seed`. */
export function eventsAt(scenario: Scenario, times: Float64Array, pool: PoolIndex, seed: number): Events {
  const n = times.length;
  const r = mulberry32(seed);
  const ev: Events = {
    count: n,
    t: times,
    image: new Uint32Array(n),
    variant: new Uint16Array(n),
    variants: [],
    client: new Uint8Array(n),
    rejected: new Uint8Array(n),
    missing: new Uint16Array(n),
    label: new Uint8Array(n),
    latencyMs: new Float32Array(n),
  };
  const keys = new Map<string, number>();
  const variantOf = (c: Corruption) => {
    const key = corruptionKey(c);
    let v = keys.get(key);
    if (v === undefined) {
      v = ev.variants.length;
      keys.set(key, v);
      ev.variants.push(c);
    }
    return v;
  };
  for (let i = 0; i < n; i++) {
    const t = times[i]!;
    const digit = pick(scenario.classWeightsAt(t), r());
    const members = pool.byClass[digit]!;
    ev.image[i] = members[Math.floor(r() * members.length)]!;
    const u = r();
    const broken = u < scenario.brokenClientShareAt(t);
    ev.client[i] = broken ? 3 : u < 0.8 ? (u < 0.5 ? 0 : 1) : 2;
    ev.variant[i] = variantOf(broken ? SCALE_BREAK : scenario.corruptionAt(t));
    if (broken && r() < NULL_SHARE) {
      ev.rejected[i] = 1;
      ev.missing[i] = 1 + Math.floor(r() * 120);
    }
    ev.label[i] = labelAt(scenario, digit, t, r());
    // Latency: log-normal around 18 ms, slower under load, with a rare slow tail; a rejection is answered at once.
    const load = rateAt(t) / 0.4;
    const z = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    const slow = r() < 0.01 ? 5 : 1;
    ev.latencyMs[i] = ev.rejected[i] ? 1 + r() * 2 : 18 * (1 + 0.8 * load) * Math.exp(0.35 * z) * slow;
  }
  return ev;
}

/** Arrival times of a non-homogeneous Poisson process with rate rateAt(t) over [from, to) (thinning). */
export function arrivals(from: number, to: number, seed: number): Float64Array {
  const r = mulberry32(seed);
  const peak = 0.4;
  const out: number[] = [];
  let t = from;
  for (;;) {
    t += -Math.log(1 - r()) / peak;
    if (t >= to) break;
    if (r() < rateAt(t) / peak) out.push(t);
  }
  return Float64Array.from(out);
}

/** The whole two-day stream of a scenario. */
export function scenarioStream(id: ScenarioId, pool: PoolIndex, seed: number): Events {
  const times = arrivals(0, DAYS * DAY, seed);
  return eventsAt(SCENARIOS[id], times, pool, seed ^ 0x5bd1e995);
}

/** `n` independent events all at time t (a window for the Monte Carlo experiments: rate does not matter). */
export function windowAt(id: ScenarioId, t: number, n: number, pool: PoolIndex, seed: number): Events {
  return eventsAt(SCENARIOS[id], new Float64Array(n).fill(t), pool, seed);
}
