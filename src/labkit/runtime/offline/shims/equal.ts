/**
 * Deep equality as Node's assert.deepStrictEqual and util.isDeepStrictEqual define it (strict: same prototypes,
 * Object.is for primitives, own enumerable keys and symbols) and as assert.deepEqual does (loose: == for primitives,
 * prototypes ignored). Maps and Sets compare without order, Dates by time, RegExps by source and flags, typed arrays
 * element by element, boxed primitives by value, Errors by name and message too.
 */

export function deepEqual(a: unknown, b: unknown, strict: boolean, memo = new Map<object, object>()): boolean {
  if (strict ? Object.is(a, b) : a == b || (Number.isNaN(a) && Number.isNaN(b))) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    if (strict || typeof a === 'object' || typeof b === 'object') return false;
    return false;
  }
  if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const tagA = Object.prototype.toString.call(a);
  if (tagA !== Object.prototype.toString.call(b)) return false;
  if (memo.get(a) === b) return true;
  memo.set(a, b);

  if (a instanceof Date && b instanceof Date) {
    if (a.getTime() !== b.getTime()) return false;
  } else if (a instanceof RegExp && b instanceof RegExp) {
    if (a.source !== b.source || a.flags !== b.flags || a.lastIndex !== b.lastIndex) return false;
  } else if (a instanceof Error && b instanceof Error) {
    if (a.message !== b.message || a.name !== b.name) return false;
  } else if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    const x = a as unknown as ArrayLike<number>;
    const y = b as unknown as ArrayLike<number>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i += 1) if (strict ? !Object.is(x[i], y[i]) : x[i] != y[i]) return false;
  } else if (a instanceof Number || a instanceof String || a instanceof Boolean || a instanceof BigInt) {
    if (!Object.is(a.valueOf(), (b as { valueOf(): unknown }).valueOf())) return false;
  } else if (a instanceof Set && b instanceof Set) {
    if (a.size !== b.size) return false;
    const rest = [...b];
    for (const item of a) {
      if (b.has(item)) {
        rest.splice(rest.indexOf(item), 1);
        continue;
      }
      const i = rest.findIndex((other) => typeof item === 'object' && item !== null && deepEqual(item, other, strict, memo));
      if (i === -1) return false;
      rest.splice(i, 1);
    }
  } else if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [key, value] of a) {
      if (b.has(key)) {
        if (!deepEqual(value, b.get(key), strict, memo)) return false;
        continue;
      }
      const match = [...b].find(([k, v]) => typeof key === 'object' && key !== null && deepEqual(key, k, strict, memo) && deepEqual(value, v, strict, memo));
      if (!match) return false;
    }
  }
  const keysA = ownKeys(a, strict);
  const keysB = ownKeys(b, strict);
  if (keysA.length !== keysB.length) return false;
  for (const key of keysA) {
    if (!Object.prototype.propertyIsEnumerable.call(b, key)) return false;
    if (!deepEqual((a as Record<PropertyKey, unknown>)[key], (b as Record<PropertyKey, unknown>)[key], strict, memo)) return false;
  }
  return true;
}

function ownKeys(value: object, strict: boolean): PropertyKey[] {
  const keys: PropertyKey[] = Object.keys(value).filter((k) => !(ArrayBuffer.isView(value) && /^\d+$/.test(k)));
  if (strict) for (const s of Object.getOwnPropertySymbols(value)) if (Object.prototype.propertyIsEnumerable.call(value, s)) keys.push(s);
  return keys;
}
