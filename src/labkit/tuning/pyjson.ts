/**
 * JSON as Python's `json.dumps` writes it with its defaults, which is how Optuna writes its journal files:
 * `", "` and `": "` separators, non-ASCII characters escaped, NaN and Infinity as bare words, and floats in Python's
 * `repr` form (`1.0`, `1e-05`, `1e+16`). JavaScript has one number type, so a value that Python holds as a float is
 * marked with `pyJson.float(x)`; other whole numbers are written as Python ints.
 */

const FLOAT = Symbol('python float');
interface PyFloat {
  [FLOAT]: number;
}

/** Python's repr of a float: the shortest digits that round-trip, in fixed or scientific notation as Python picks. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, e] = x.toExponential().split('e') as [string, string];
  const exp = Number(e);
  if (exp < -4 || exp >= 16) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  const fixed = String(x);
  return fixed.includes('.') ? fixed : `${fixed}.0`;
}

function pyString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => (c === '\u007f' ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

function write(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 2 ** 53 ? String(value) : pyFloat(value);
  if (typeof value === 'string') return pyString(value);
  if (Array.isArray(value)) return `[${value.map(write).join(', ')}]`;
  if (typeof value === 'object') {
    if (FLOAT in value) return pyFloat((value as PyFloat)[FLOAT]);
    return `{${Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${pyString(k)}: ${write(v)}`)
      .join(', ')}}`;
  }
  throw new TypeError(`cannot write ${typeof value} as JSON`);
}

export const pyJson = Object.assign((value: unknown): string => write(value), {
  /** A number Python holds as a float (written `1.0`, not `1`). */
  float: (x: number): PyFloat => ({ [FLOAT]: x }),
});
