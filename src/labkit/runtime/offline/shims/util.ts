/** node:util: format and inspect as Node prints, promisify, deep equality, type checks and the small helpers. */
import type { Host } from '../host.ts';
import { format, inspect, inspectCustom, type InspectOptions } from '../inspect.ts';
import { deepEqual } from './equal.ts';

const promisifyCustom = Symbol.for('nodejs.util.promisify.custom');

type NodeCallback = (error: unknown, ...values: unknown[]) => void;

export function promisify(fn: (...args: unknown[]) => unknown): (...args: unknown[]) => Promise<unknown> {
  if (typeof fn !== 'function') {
    const error = new TypeError(`The "original" argument must be of type function. Received ${inspect(fn)}`) as TypeError & { code: string };
    error.code = 'ERR_INVALID_ARG_TYPE';
    throw error;
  }
  const custom = (fn as { [promisifyCustom]?: unknown })[promisifyCustom];
  if (typeof custom === 'function') return custom as (...args: unknown[]) => Promise<unknown>;
  return function (this: unknown, ...args: unknown[]) {
    return new Promise((resolve, reject) => {
      fn.call(this, ...args, ((error, value) => (error ? reject(error) : resolve(value))) as NodeCallback);
    });
  };
}

const tag = (v: unknown) => Object.prototype.toString.call(v).slice(8, -1);

export function utilModule(host: Host): Record<string, unknown> {
  const inspectFn = Object.assign((value: unknown, options?: InspectOptions | boolean) => inspect(value, typeof options === 'object' ? options : {}), {
    custom: inspectCustom,
    defaultOptions: { depth: 2, breakLength: 80, compact: 3, maxArrayLength: 100, maxStringLength: 10_000 },
  });
  return {
    format,
    formatWithOptions: (_options: unknown, ...args: unknown[]) => format(...args),
    inspect: inspectFn,
    promisify: Object.assign(promisify, { custom: promisifyCustom }),
    callbackify: (fn: (...args: unknown[]) => Promise<unknown>) => (...args: unknown[]) => {
      const cb = args.pop() as NodeCallback;
      fn(...args).then(
        (value) => host.setImmediate(cb as (...a: unknown[]) => void, [null, value]),
        (error) => host.setImmediate(cb as (...a: unknown[]) => void, [error ?? new Error('Promise was rejected with a falsy value')]),
      );
    },
    isDeepStrictEqual: (a: unknown, b: unknown) => deepEqual(a, b, true),
    inherits: (child: { prototype: object; super_?: unknown }, parent: { prototype: object }) => {
      Object.setPrototypeOf(child.prototype, parent.prototype);
      child.super_ = parent;
    },
    deprecate: (fn: (...a: unknown[]) => unknown, message: string, code?: string) => {
      let warned = false;
      return function (this: unknown, ...args: unknown[]) {
        if (!warned) {
          warned = true;
          host.write(`(node:1) ${code ? `[${code}] ` : ''}DeprecationWarning: ${message}\n(Use \`node --trace-deprecation ...\` to show where the warning was created)\n`);
        }
        return fn.apply(this, args);
      };
    },
    stripVTControlCharacters: (text: string) => text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, ''),
    styleText: (style: string | string[], text: string) => {
      const codes: Record<string, [number, number]> = { bold: [1, 22], dim: [2, 22], italic: [3, 23], underline: [4, 24], red: [31, 39], green: [32, 39], yellow: [33, 39], blue: [34, 39], magenta: [35, 39], cyan: [36, 39], gray: [90, 39], grey: [90, 39] };
      return [style].flat().reduceRight((t, s) => (codes[s] ? `\x1b[${codes[s][0]}m${t}\x1b[${codes[s][1]}m` : t), text);
    },
    isArray: Array.isArray,
    TextEncoder,
    TextDecoder,
    types: {
      isPromise: (v: unknown) => v instanceof Promise,
      isDate: (v: unknown) => tag(v) === 'Date',
      isRegExp: (v: unknown) => tag(v) === 'RegExp',
      isMap: (v: unknown) => tag(v) === 'Map',
      isSet: (v: unknown) => tag(v) === 'Set',
      isNativeError: (v: unknown) => v instanceof Error,
      isTypedArray: (v: unknown) => ArrayBuffer.isView(v) && !(v instanceof DataView),
      isUint8Array: (v: unknown) => v instanceof Uint8Array,
      isArrayBuffer: (v: unknown) => v instanceof ArrayBuffer,
      isAsyncFunction: (v: unknown) => tag(v) === 'AsyncFunction',
      isGeneratorFunction: (v: unknown) => tag(v) === 'GeneratorFunction' || tag(v) === 'AsyncGeneratorFunction',
    },
  };
}
