/**
 * The serving lab's statistical figures, by simulation (seeded, so every run prints the same numbers):
 *
 * 1. coverage of the order-statistic 95% intervals for p50/p95/p99 on lognormal latencies (median 20 ms, σ = 0.5);
 * 2. the sticky canary router's observed share at 10% over 1,000 requests, and its stickiness;
 * 3. the automated canary analysis: power to roll back 1% vs 6% errors within 500 canary requests, and false
 *    rollbacks when both versions fail 1% of requests, over the default plan (10 → 50 → 100%, five looks each).
 *
 *   node bench/serving-stats.ts [--runs 1000]
 */
import { mulberry32 } from '../src/labkit/ml/random.ts';
import { quantileRanks } from '../src/labkit/serving/percentiles.ts';
import { DEFAULT_PLAN, route, runRollout, simulatedVersion, trafficOf, upperZ } from '../src/labkit/serving/canary.ts';

const arg = process.argv.indexOf('--runs');
const runs = arg > 0 ? Number(process.argv[arg + 1]) : 1000;
const random = mulberry32(20261201);
const normal = () => Math.sqrt(-2 * Math.log(random() || Number.MIN_VALUE)) * Math.cos(2 * Math.PI * random());

console.log(`Percentile intervals: coverage over ${runs} samples per cell, lognormal latencies (median 20 ms, sigma 0.5)`);
console.log('n       p     coverage  exact   median half-width');
for (const n of [100, 200, 1000, 3000]) {
  for (const p of [0.5, 0.95, 0.99]) {
    const ranks = quantileRanks(n, p);
    if (!ranks || (p === 0.99 && n < 1000)) {
      console.log(`${String(n).padEnd(7)} ${p.toFixed(2)}  refused`);
      continue;
    }
    const truth = 20 * Math.exp(0.5 * upperZ(1 - p));
    let covered = 0;
    const widths: number[] = [];
    for (let r = 0; r < runs; r++) {
      const xs = Float64Array.from({ length: n }, () => 20 * Math.exp(0.5 * normal())).sort();
      const lo = xs[ranks.lower - 1]!;
      const hi = xs[ranks.upper - 1]!;
      if (lo <= truth && truth <= hi) covered++;
      widths.push((hi - lo) / 2 / truth);
    }
    widths.sort((a, b) => a - b);
    console.log(`${String(n).padEnd(7)} ${p.toFixed(2)}  ${((covered / runs) * 100).toFixed(1).padStart(6)}%  ${(ranks.coverage * 100).toFixed(1)}%   ±${(widths[widths.length >> 1]! * 100).toFixed(1)}%`);
  }
}

// A router that sends each fresh user to the canary independently with probability 0.1 cannot do better than the
// binomial: P(82 ≤ X ≤ 118) for X ~ Binomial(1000, 0.1) is 0.9491 (SciPy), so ±1.86 pp (the normal approximation's
// 95% half-width) holds in about 94.9% of runs, whatever the hash.
const routerRuns = Math.max(runs, 5000);
console.log(`\nCanary router at 10%, ${routerRuns} seeded runs of 1,000 requests from fresh users (binomial limit: 94.9%)`);
let within = 0;
let worst = 0;
let flips = 0;
for (let r = 0; r < routerRuns; r++) {
  let canary = 0;
  for (let i = 0; i < 1000; i++) {
    const user = `r${r}-u${Math.floor(random() * 1e9)}`;
    const v = route(user, 10);
    if (v === 'canary') canary++;
    if (route(user, 10) !== v || (v === 'canary' && route(user, 50) !== 'canary')) flips++;
  }
  const off = Math.abs(canary / 10 - 10);
  worst = Math.max(worst, off);
  if (off <= 1.86) within++;
}
console.log(`share within ±1.86 pp of 10%: ${((within / routerRuns) * 100).toFixed(1)}% of runs (worst ${worst.toFixed(1)} pp); stickiness violations: ${flips}`);

console.log(`\nCanary analysis, default plan (${DEFAULT_PLAN.steps.join(' → ')}%, ${DEFAULT_PLAN.looksPerStep} looks of ${DEFAULT_PLAN.lookEvery} canary requests per step, alpha ${DEFAULT_PLAN.alpha} over all looks)`);
function rollouts(canaryErrors: number, mode: 'canary' | 'shadow' = 'canary') {
  let rolledBack = 0;
  let within500 = 0;
  let sticky = 0;
  const userFacing: number[] = [];
  for (let r = 0; r < runs; r++) {
    const rand = mulberry32(1000 + r);
    const base = simulatedVersion(0.01, 20, rand);
    const canary = simulatedVersion(canaryErrors, 20, rand);
    const result = runRollout({ ...DEFAULT_PLAN, mode }, trafficOf(50_000, rand), (v) => (v === 'canary' ? canary() : base()));
    sticky += result.stickinessViolations;
    userFacing.push(result.userFacingCanaryErrors);
    if (result.outcome === 'rolled back') {
      rolledBack++;
      if (result.canaryRequests <= 500) within500++;
    }
  }
  userFacing.sort((a, b) => a - b);
  return { rolledBack: rolledBack / runs, within500: within500 / runs, sticky, userFacingMedian: userFacing[userFacing.length >> 1]! };
}
const bad = rollouts(0.06);
console.log(`1% vs 6% errors: rolled back within 500 canary requests in ${(bad.within500 * 100).toFixed(1)}% of ${runs} runs (at all: ${(bad.rolledBack * 100).toFixed(1)}%); failed canary answers users received before the rollback: median ${bad.userFacingMedian}`);
const same = rollouts(0.01);
console.log(`1% vs 1% errors: false rollbacks in ${(same.rolledBack * 100).toFixed(1)}% of ${runs} runs; stickiness violations ${bad.sticky + same.sticky}`);
const shadowBad = rollouts(0.06, 'shadow');
const shadowSame = rollouts(0.01, 'shadow');
console.log(`shadow mode (mirrored, answers discarded): 1% vs 6% rolled back within 500 mirrored requests in ${(shadowBad.within500 * 100).toFixed(1)}%, failed canary answers users received: ${shadowBad.userFacingMedian}; false rollbacks with equal versions ${(shadowSame.rolledBack * 100).toFixed(1)}%`);
