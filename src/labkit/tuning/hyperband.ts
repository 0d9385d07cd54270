/**
 * The Hyperband schedule of Li et al. (2018, JMLR 18(185), Algorithm 1): for a maximum resource R per configuration
 * (epochs) and a reduction factor η, brackets s = s_max … 0 with s_max = ⌊log_η R⌋ and B = (s_max + 1)·R; bracket s
 * starts n = ⌈(B/R)·η^s/(s + 1)⌉ configurations at r = R·η^−s and runs successive halving: rung i keeps ⌊n·η^−i⌋
 * configurations at r·η^i each. For R = 81, η = 3 that is 143 configurations and 1,902 epochs of training (the
 * paper's Table 1 and the sum of n_i·r_i, counting each rung as training from scratch, as the paper does).
 */

export interface Rung {
  configurations: number;
  /** Resource (epochs) each configuration gets at this rung. */
  resource: number;
}

export interface Bracket {
  s: number;
  rungs: Rung[];
  /** Σ configurations × resource over the rungs. */
  cost: number;
}

export interface HyperbandSchedule {
  R: number;
  eta: number;
  brackets: Bracket[];
  configurations: number;
  cost: number;
}

/** ⌊log_base(x)⌋ in exact integer arithmetic (Math.log(81)/Math.log(3) is 3.9999999999999996). */
export function floorLog(x: number, base: number): number {
  let k = 0;
  for (let p = base; p <= x; p *= base) k++;
  return k;
}

export function hyperbandSchedule(R: number, eta: number): HyperbandSchedule {
  if (!Number.isInteger(R) || R < 1) throw new RangeError(`R must be a whole number of epochs, at least 1 (got ${R})`);
  if (!Number.isInteger(eta) || eta < 2) throw new RangeError(`η must be a whole number, at least 2 (got ${eta})`);
  if (R > 1e6) throw new RangeError('R above 1,000,000 makes a schedule too large to show');
  const sMax = floorLog(R, eta);
  const B = (sMax + 1) * R;
  const brackets: Bracket[] = [];
  for (let s = sMax; s >= 0; s--) {
    // n = ⌈(B/R)·η^s/(s+1)⌉ and r = R·η^−s, kept in integers where they are integers.
    const n = Math.ceil(((B / R) * eta ** s) / (s + 1) - 1e-9);
    const r = R / eta ** s;
    const rungs: Rung[] = [];
    for (let i = 0; i <= s; i++) rungs.push({ configurations: Math.floor(n / eta ** i + 1e-9), resource: r * eta ** i });
    brackets.push({ s, rungs, cost: rungs.reduce((c, g) => c + g.configurations * g.resource, 0) });
  }
  return { R, eta, brackets, configurations: brackets.reduce((c, b) => c + b.rungs[0]!.configurations, 0), cost: brackets.reduce((c, b) => c + b.cost, 0) };
}
