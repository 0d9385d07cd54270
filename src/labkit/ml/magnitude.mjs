// Magnitude pruning masks as the TF Model Optimization Toolkit computes them (tfmot pruning_impl.py): keep the
// weights of largest absolute value, exactly max(round(n·(1 − s)), 1) of them. Plain JavaScript on purpose: the
// quantize-and-prune lab shows this very file as the reference of its coding exercise.

/** numpy's round (ties to even), as TF MOT's tf.round. Kept here so this file stands alone. */
function roundHalfEven(x) {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** k-th smallest value (0-based) of `a`, rearranging `a` in place (Hoare-style quickselect, median of three). */
/** @param {Float32Array} a @param {number} k */
export function quickselect(a, k) {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // median of three as pivot
    const x = a[lo], y = a[mid], z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/** How many weights TF MOT keeps for a sparsity: max(round(n·(1 − s)), 1). */
/** @param {number} n @param {number} sparsity */
export function keepCount(n, sparsity) {
  return Math.max(roundHalfEven(n * (1 - sparsity)), 1);
}

/** Keeps exactly `keep` weights of largest magnitude across one or more tensors (ties broken by position). */
/**
 * @param {Float32Array[]} tensors @param {number} keep
 * @returns {{ masks: Uint8Array[], threshold: number }}
 */
export function magnitudeMasks(tensors, keep) {
  const n = tensors.reduce((s, t) => s + t.length, 0);
  const masks = tensors.map((t) => new Uint8Array(t.length));
  if (keep >= n) {
    masks.forEach((m) => m.fill(1));
    return { masks, threshold: 0 };
  }
  const abs = new Float32Array(n);
  let o = 0;
  for (const t of tensors) for (let i = 0; i < t.length; i++) abs[o++] = Math.abs(t[i]);
  // threshold = the keep-th largest = the (n − keep)-th smallest (0-based)
  const threshold = keep > 0 ? quickselect(abs, n - keep) : Infinity;
  let above = 0;
  for (const t of tensors) for (let i = 0; i < t.length; i++) if (Math.abs(t[i]) > threshold) above++;
  let tiesToKeep = keep - above;
  tensors.forEach((t, ti) => {
    const m = masks[ti];
    for (let i = 0; i < t.length; i++) {
      const a = Math.abs(t[i]);
      if (a > threshold) m[i] = 1;
      else if (a === threshold && tiesToKeep > 0) {
        m[i] = 1;
        tiesToKeep--;
      }
    }
  });
  return { masks, threshold };
}

/** Per-tensor magnitude mask with exactly n − max(round(n·(1 − s)), 1) zeros. */
/**
 * @param {Float32Array} values @param {number} sparsity
 * @returns {{ mask: Uint8Array, threshold: number, zeros: number }} threshold: |w| of the smallest kept weight (TF MOT's)
 */
export function magnitudeMask(values, sparsity) {
  if (!(sparsity >= 0 && sparsity < 1)) throw new Error(`sparsity must be in [0, 1), got ${sparsity}`);
  const keep = keepCount(values.length, sparsity);
  const { masks, threshold } = magnitudeMasks([values], keep);
  return { mask: masks[0], threshold, zeros: values.length - keep };
}
