/**
 * The production stream's scenarios: what changes in the world, and when. Time t is in simulated seconds from the
 * start of day 1 (00:00); every scenario runs two days, and day 1 is always normal (the reference period). Everything
 * here is a pure function of t, so a stream is the same on every replay with the same seed.
 */
import { NONE, type Corruption } from './images.ts';

export const HOUR = 3600;
export const DAY = 24 * HOUR;
export const DAYS = 2;
/** When the sudden changes start: day 2, 06:00. */
export const CHANGE_AT = DAY + 6 * HOUR;
/** Concept drift: a request's true label arrives this long after the prediction. */
export const LABEL_DELAY_S = HOUR;

export type ScenarioId = 'stable' | 'sudden' | 'gradual' | 'noise' | 'class-mix' | 'seasonal' | 'quality' | 'concept';

export interface Scenario {
  id: ScenarioId;
  title: string;
  /** What happens, for the student. */
  story: string;
  /** When it starts (s), or null for none. */
  changeAt: number | null;
  /** The corruption of inputs at time t. */
  corruptionAt(t: number): Corruption;
  /** Relative weight of each digit class at time t. */
  classWeightsAt(t: number): readonly number[];
  /** Share of requests that come from the broken scanner firmware at time t (values ×1000, some nulls). */
  brokenClientShareAt(t: number): number;
  /** Probability that a digit of a swapped pair carries the other label at time t (the concept changes). */
  labelSwapAt(t: number): number;
}

const EVEN: readonly number[] = Array(10).fill(1);
const after = (t: number, at: number) => t >= at;

const base = {
  changeAt: CHANGE_AT as number | null,
  corruptionAt: (): Corruption => NONE,
  classWeightsAt: () => EVEN,
  brokenClientShareAt: () => 0,
  labelSwapAt: () => 0,
};

/** Contrast factor of the sudden scenario: about −0.25 σ on the contrast feature (bench/monitoring-calibration.ts). */
export const SUDDEN_CONTRAST = 0.96;
/** The seasonal brightness swing: ±0.02 (about ±0.45 σ of mean brightness), peaking at 15:00. */
export const SEASONAL_AMPLITUDE = 0.02;
export const SWAPPED_PAIRS: readonly [number, number][] = [
  [4, 9],
  [3, 5],
  [7, 1],
];
export const CONCEPT_SWAP = 0.2;
export const BROKEN_CLIENT_SHARE = 0.2;

export const SCENARIOS: Record<ScenarioId, Scenario> = {
  stable: { ...base, id: 'stable', title: 'No drift', story: 'Nothing changes for two days: the stream to calibrate detectors on.', changeAt: null },
  sudden: {
    ...base,
    id: 'sudden',
    title: 'Sudden covariate drift',
    story: `At 06:00 on day 2 a new scanner goes live: every image has its contrast cut to ${SUDDEN_CONTRAST} of the original, about a quarter of a standard deviation on the contrast feature. The model barely notices.`,
    corruptionAt: (t) => (after(t, CHANGE_AT) ? { kind: 'contrast', level: SUDDEN_CONTRAST } : NONE),
  },
  gradual: {
    ...base,
    id: 'gradual',
    title: 'Gradual covariate drift',
    story: 'From midnight on day 2 users switch to a tablet held at an angle: the digits turn, one degree more every hour, up to 12°.',
    changeAt: DAY,
    corruptionAt: (t) => (after(t, DAY) ? { kind: 'rotation', level: Math.min(12, Math.floor((t - DAY) / HOUR) + 1) } : NONE),
  },
  noise: {
    ...base,
    id: 'noise',
    title: 'Sensor noise grows',
    story: 'From midnight on day 2 a camera ages: Gaussian noise grows by σ = 0.01 every 3 hours, up to 0.08.',
    changeAt: DAY,
    corruptionAt: (t) => (after(t, DAY) ? { kind: 'noise', level: Math.min(8, Math.floor((t - DAY) / (3 * HOUR)) + 1) / 100 } : NONE),
  },
  'class-mix': {
    ...base,
    id: 'class-mix',
    title: 'Class mix changes',
    story: 'At 06:00 on day 2 a bank starts sending cheques: zeros and ones become three times as common. Inputs of each class look the same.',
    classWeightsAt: (t) => (after(t, CHANGE_AT) ? [3, 3, 1, 1, 1, 1, 1, 1, 1, 1] : EVEN),
  },
  seasonal: {
    ...base,
    id: 'seasonal',
    title: 'Daily seasonal cycle',
    story: `Daylight reaches the scanners: brightness swings by ±${SEASONAL_AMPLITUDE} every day, darkest at 03:00 and brightest at 15:00, on both days. Nothing is wrong.`,
    changeAt: null,
    corruptionAt: (t) => ({ kind: 'brightness', level: Math.round((SEASONAL_AMPLITUDE * -Math.cos((2 * Math.PI * (t - 3 * HOUR)) / DAY)) / 0.002) * 0.002 }),
  },
  quality: {
    ...base,
    id: 'quality',
    title: 'Data-quality break',
    story: `At 09:00 on day 2 scanner firmware 2.1 rolls out to ${BROKEN_CLIENT_SHARE * 100}% of traffic: it sends pixel values in thousandths (×1000), and some of its requests arrive with missing pixels.`,
    changeAt: DAY + 9 * HOUR,
    brokenClientShareAt: (t) => (after(t, DAY + 9 * HOUR) ? BROKEN_CLIENT_SHARE : 0),
  },
  concept: {
    ...base,
    id: 'concept',
    title: 'Concept drift, late labels',
    story: `At 06:00 on day 2 a new region joins whose writers' 4s, 5s and 1s read as 9s, 3s and 7s (and back): ${CONCEPT_SWAP * 100}% of those digits now carry the other label. Inputs do not change at all; the true labels arrive an hour late.`,
    labelSwapAt: (t) => (after(t, CHANGE_AT) ? CONCEPT_SWAP : 0),
  },
};

export const SCENARIO_IDS = Object.keys(SCENARIOS) as ScenarioId[];

/** Requests per second at time t: quiet at night, busiest in the afternoon (mean 0.25/s). */
export const rateAt = (t: number) => 0.25 * (1 - 0.6 * Math.cos((2 * Math.PI * (t - 3 * HOUR)) / DAY));

/** The label a request of true digit `digit` carries at time t, given a uniform draw u. */
export function labelAt(scenario: Scenario, digit: number, t: number, u: number): number {
  const p = scenario.labelSwapAt(t);
  if (p === 0 || u >= p) return digit;
  for (const [a, b] of SWAPPED_PAIRS) {
    if (digit === a) return b;
    if (digit === b) return a;
  }
  return digit;
}
