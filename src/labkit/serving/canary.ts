/**
 * Canary rollouts as KServe runs them (`canaryTrafficPercent`: a share of traffic goes to the new revision; promote it
 * or pin 100% back to the last good one), with the automated analysis a rollout controller adds:
 *
 * - a sticky router: a user's id is hashed (FNV-1a, 32 bits) to a bucket in 0..9,999, and buckets below share × 100
 *   go to the canary, so a user sees one version for the whole step, and raising the share only moves users from the
 *   baseline to the canary, never back;
 * - or shadow traffic (mirroring): every user is answered by the baseline, and the requests the router picks are
 *   copied to the canary, whose answers are recorded for the analysis and thrown away, so no user sees its errors;
 * - a header match: a request with `x-version: canary` (an internal tester's) goes to the canary whatever the share;
 *   such requests are answered but left out of the analysis, because they were not assigned at random;
 * - steps (10 → 50 → 100% by default), each looked at every `lookEvery` canary requests up to `looksPerStep` looks;
 *   every look compares all requests served so far (the versions do not change between steps) and rolls back when
 *   the error rate is higher (canary.mjs's z-test, its false-rollback budget α split over all
 *   the looks of the rollout) or when the canary's p95 latency is above the baseline's by more than the tolerance
 *   with their intervals apart; a step whose last look passes is promoted to the next.
 */
import { canaryVerdict as referenceVerdict } from './canary.mjs';
import { independentDifference } from '../stats/independent.ts';
import { ndtr } from '../tuning/normal.ts';
import { percentileSorted } from './percentiles.ts';

export type Verdict = typeof referenceVerdict;
export type Version = 'baseline' | 'canary';

/** FNV-1a, 32 bits, over the UTF-16 code units of a string. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The version a user's requests go to at a canary share (percent). */
export function route(userId: string, sharePct: number): Version {
  return fnv1a(userId) % 10_000 < Math.round(sharePct * 100) ? 'canary' : 'baseline';
}

/** The header that picks a version outright, as a header match in an Istio VirtualService does. */
export const VERSION_HEADER = 'x-version';

/** One request of the traffic: who sent it and its headers (names in lower case). */
export interface Visit {
  user: string;
  headers: Record<string, string>;
}

/** The version a request goes to: the one its `x-version` header names, else the user's sticky bucket. */
export function routeRequest(visit: Visit, sharePct: number): { version: Version; byHeader: boolean } {
  const pinned = visit.headers[VERSION_HEADER];
  if (pinned === 'canary' || pinned === 'baseline') return { version: pinned, byHeader: true };
  return { version: route(visit.user, sharePct), byHeader: false };
}

/** z with P(Z > z) = alpha, for a standard normal Z (bisection on ndtr). */
export function upperZ(alpha: number): number {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError('alpha must be in (0, 1)');
  let lo = -40;
  let hi = 40;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (1 - ndtr(mid) > alpha) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface RolloutPlan {
  /** canary: the chosen users are answered by the canary; shadow: they are answered by the baseline and mirrored. */
  mode: 'canary' | 'shadow';
  steps: number[];
  lookEvery: number;
  looksPerStep: number;
  /** The false-rollback budget of the whole rollout. */
  alpha: number;
  /** Roll back when the canary's p95 exceeds the baseline's by more than this share (0.2 = 20%) with intervals apart. */
  latencyTolerance: number;
}

export const DEFAULT_PLAN: RolloutPlan = { mode: 'canary', steps: [10, 50, 100], lookEvery: 100, looksPerStep: 5, alpha: 0.05, latencyTolerance: 0.2 };

export function checkPlan(plan: RolloutPlan): string | null {
  if (plan.mode !== 'canary' && plan.mode !== 'shadow') return 'mode must be canary or shadow';
  if (!plan.steps.length || !plan.steps.every((s, i) => s > 0 && s <= 100 && (i === 0 || s > plan.steps[i - 1]!))) return 'steps must rise from above 0 to at most 100%';
  if (!Number.isInteger(plan.lookEvery) || plan.lookEvery < 20) return 'look every must be a whole number of at least 20 canary requests';
  if (!Number.isInteger(plan.looksPerStep) || plan.looksPerStep < 1 || plan.looksPerStep > 50) return 'looks per step must be a whole number from 1 to 50';
  if (!(plan.alpha > 0 && plan.alpha < 0.5)) return 'alpha must be between 0 and 0.5';
  if (!(plan.latencyTolerance >= 0)) return 'latency tolerance must be ≥ 0';
  return null;
}

/** What serving one request gave. */
export interface Answer {
  ok: boolean;
  ms: number;
}

/** One request of the traffic, as the rollout saw it. */
export interface Served extends Answer {
  version: Version;
}

export interface Look {
  step: number;
  share: number;
  baseline: { requests: number; errors: number };
  canary: { requests: number; errors: number };
  z: number;
  /** The canary's error rate minus the baseline's, with Newcombe's 95% interval. */
  difference: { estimate: number; lower: number; upper: number };
  p95: { baseline: number | null; canary: number | null };
  decision: 'rollback' | 'pass' | 'promote';
  reason: string;
}

export interface RolloutResult {
  outcome: 'promoted' | 'rolled back';
  looks: Look[];
  /** Canary requests served before the decision to roll back (or in total when promoted). */
  canaryRequests: number;
  requests: number;
  /** Share of requests that went to the canary in the first step (percent). */
  firstStepShare: number;
  /** Users whose version changed within a step (must be 0). */
  stickinessViolations: number;
  /** Failed answers users received from the canary (0 in shadow mode). */
  userFacingCanaryErrors: number;
  /** Requests routed by their `x-version` header (testers), answered and left out of the analysis. */
  headerRequests: number;
}

/**
 * Runs a rollout over a stream of requests: `next()` gives a user id, `serve(version, user)` serves it. The test
 * at every look uses `verdict` (the reference, or the student's own).
 */
export function runRollout(plan: RolloutPlan, next: () => Visit, serve: (version: Version, user: string) => Answer, verdict: Verdict = referenceVerdict): RolloutResult {
  const problem = checkPlan(plan);
  if (problem) throw new RangeError(problem);
  const looks: Look[] = [];
  const zCritical = upperZ(plan.alpha / (plan.steps.length * plan.looksPerStep));
  let requests = 0;
  let canaryTotal = 0;
  let firstStepShare = 0;
  let violations = 0;
  let userFacing = 0;
  let headerRequests = 0;
  // Both versions stay the same through the rollout, so each look compares everything served so far.
  const served: Record<Version, Served[]> = { baseline: [], canary: [] };
  for (const [step, share] of plan.steps.entries()) {
    const seen = new Map<string, Version>();
    let stepRequests = 0;
    let stepCanary = 0;
    for (let look = 1; look <= plan.looksPerStep; look++) {
      while (stepCanary < look * plan.lookEvery) {
        const visit = next();
        const user = visit.user;
        const routed = routeRequest(visit, share);
        if (routed.byHeader) {
          serve(routed.version, user);
          headerRequests++;
          continue;
        }
        const version = routed.version;
        const before = seen.get(user);
        if (before && before !== version) violations++;
        seen.set(user, version);
        if (plan.mode === 'shadow') {
          served.baseline.push({ version: 'baseline', ...serve('baseline', user) });
          if (version === 'canary') served.canary.push({ version, ...serve('canary', user) });
        } else {
          const answer = serve(version, user);
          served[version].push({ version, ...answer });
          if (version === 'canary' && !answer.ok) userFacing++;
        }
        stepRequests++;
        requests++;
        if (version === 'canary') {
          canaryTotal++;
          stepCanary++;
        }
      }
      if (step === 0) firstStepShare = (stepCanary / stepRequests) * 100;
      const count = (list: Served[]) => ({ requests: list.length, errors: list.filter((s) => !s.ok).length });
      const b = count(served.baseline);
      const c = count(served.canary);
      const v = verdict(b, c, { zCritical, minRequests: plan.lookEvery });
      const d = independentDifference(c.errors, c.requests, b.errors, b.requests);
      const p95 = (list: Served[]) => percentileSorted(list.map((s) => s.ms).sort((x, y) => x - y), 0.95);
      const pb = p95(served.baseline);
      const pc = p95(served.canary);
      const slower = pb.upper !== null && pc.lower !== null && pb.value !== null && pc.value !== null && pc.lower > pb.upper && pc.value > pb.value * (1 + plan.latencyTolerance);
      const last = look === plan.looksPerStep;
      const decision = v.decision === 'rollback' || slower ? 'rollback' : last ? 'promote' : 'pass';
      const reason =
        v.decision === 'rollback'
          ? `error rate: z = ${v.z.toFixed(2)} > ${zCritical.toFixed(2)}`
          : slower
            ? `p95 latency ${pc.value!.toFixed(1)} ms vs ${pb.value!.toFixed(1)} ms, intervals apart`
            : last
              ? `step passed every look (z ≤ ${zCritical.toFixed(2)})`
              : `no evidence yet (z = ${v.z.toFixed(2)})`;
      looks.push({ step, share, baseline: b, canary: c, z: v.z, difference: d, p95: { baseline: pb.value, canary: pc.value }, decision, reason });
      if (decision === 'rollback') return { outcome: 'rolled back', looks, canaryRequests: canaryTotal, requests, firstStepShare, stickinessViolations: violations, userFacingCanaryErrors: userFacing, headerRequests };
    }
  }
  return { outcome: 'promoted', looks, canaryRequests: canaryTotal, requests, firstStepShare, stickinessViolations: violations, userFacingCanaryErrors: userFacing, headerRequests };
}

/**
 * Seeded traffic: `users` distinct users, each request from one of them at random; a share `testerPct` (percent) of
 * requests comes from 20 internal testers who send `x-version: canary`.
 */
export function trafficOf(users: number, random: () => number, testerPct = 0): () => Visit {
  return (): Visit => (testerPct > 0 && random() * 100 < testerPct ? { user: `tester-${Math.floor(random() * 20)}`, headers: { [VERSION_HEADER]: 'canary' } } : { user: `user-${Math.floor(random() * users)}`, headers: {} });
}

/** A simulated version: errors with probability `errorRate`, latency lognormal around `medianMs` (σ = 0.5). */
export function simulatedVersion(errorRate: number, medianMs: number, random: () => number): () => Answer {
  return () => {
    const u1 = random() || Number.MIN_VALUE;
    const normal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random());
    return { ok: random() >= errorRate, ms: medianMs * Math.exp(0.5 * normal) };
  };
}
