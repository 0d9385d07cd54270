/**
 * util.inspect, util.format and console.table as Node 24 prints them, for the values lab programs print.
 *
 * The layout follows Node's documented defaults (depth 2, breakLength 80, compact 3, maxArrayLength 100,
 * maxStringLength 10 000) and the rules of Node's lib/internal/util/inspect.js: up to three inner levels share a
 * line when it fits; arrays of more than six items are grouped into aligned columns; `-0` stays `-0`; objects with
 * a `Symbol.for('nodejs.util.inspect.custom')` method (Buffers) print themselves. The unit tests compare it with the
 * real util.inspect value by value. What a Worker cannot see (a promise's state, a proxy) is said plainly.
 */

export interface InspectOptions {
  depth?: number | null;
  breakLength?: number;
  compact?: number;
  maxArrayLength?: number;
  maxStringLength?: number;
  sorted?: boolean;
  showHidden?: boolean;
  colors?: boolean;
}

interface Context {
  depth: number;
  breakLength: number;
  compact: number;
  maxArrayLength: number;
  maxStringLength: number;
  sorted: boolean;
  indentationLvl: number;
  currentDepth: number;
  seen: unknown[];
  circular: Map<unknown, number>;
}

export const inspectCustom = Symbol.for('nodejs.util.inspect.custom');
const IDENTIFIER = /^[a-zA-Z_][a-zA-Z_0-9]*$/;
const escapes: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\r': '\\r', '\b': '\\b', '\f': '\\f', '\v': '\\v', '\\': '\\\\' };

export function quote(text: string): string {
  let q = "'";
  if (text.includes("'")) {
    if (!text.includes('"')) q = '"';
    else if (!text.includes('`') && !text.includes('${')) q = '`';
  }
  const body = text.replace(/[\n\t\r\b\f\v\\]|[\x00-\x1f\x7f]/g, (c) => escapes[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
  return q + (q === "'" ? body.replace(/'/g, "\\'") : body) + q;
}

const formatNumber = (n: number) => (Object.is(n, -0) ? '-0' : String(n));

function formatPrimitive(value: unknown, ctx: Context): string {
  if (typeof value === 'string') {
    const over = value.length - ctx.maxStringLength;
    const shown = over > 0 ? value.slice(0, ctx.maxStringLength) : value;
    return quote(shown) + (over > 0 ? `... ${over} more character${over > 1 ? 's' : ''}` : '');
  }
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  return String(value);
}

function constructorName(value: object): string | null {
  let proto = Object.getPrototypeOf(value);
  while (proto) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, 'constructor');
    if (descriptor && typeof descriptor.value === 'function' && descriptor.value.name) return descriptor.value.name;
    proto = Object.getPrototypeOf(proto);
  }
  return null;
}

function prefix(name: string | null, tag: string, fallback: string, size?: string): string {
  if (name === null) return `[${fallback}${size ?? ''}: null prototype] `;
  const sized = size ? `${name}${size}` : name;
  return tag && tag !== name ? `${sized} [${tag}] ` : `${sized} `;
}

function formatKey(key: string | symbol): string {
  if (typeof key === 'symbol') return key.toString();
  return IDENTIFIER.test(key) ? key : quote(key);
}

function formatProperty(ctx: Context, value: object, key: string | symbol, recurseTimes: number, arrayLike = false): string {
  const descriptor = Object.getOwnPropertyDescriptor(value, key) ?? { value: (value as Record<string | symbol, unknown>)[key], enumerable: true };
  let shown: string;
  if ('value' in descriptor) {
    ctx.indentationLvl += 2;
    shown = formatValue(ctx, descriptor.value, recurseTimes);
    ctx.indentationLvl -= 2;
  } else if (descriptor.get) shown = descriptor.set ? '[Getter/Setter]' : '[Getter]';
  else shown = descriptor.set ? '[Setter]' : 'undefined';
  if (arrayLike) return shown;
  return `${formatKey(key)}: ${shown}`;
}

function isBelowBreakLength(ctx: Context, output: string[], start: number, base: string): boolean {
  let total = output.length + start;
  if (total + output.length > ctx.breakLength) return false;
  for (const entry of output) {
    total += entry.length;
    if (total > ctx.breakLength) return false;
  }
  return base === '' || !base.includes('\n');
}

function groupArrayElements(ctx: Context, output: string[], value: unknown[] | null): string[] {
  let totalLength = 0;
  let maxLength = 0;
  const outputLength = output.length - (value && value.length > ctx.maxArrayLength && output.length > ctx.maxArrayLength ? 1 : 0);
  const separatorSpace = 2;
  const dataLen: number[] = [];
  for (let i = 0; i < outputLength; i += 1) {
    const len = output[i].length;
    dataLen.push(len);
    totalLength += len + separatorSpace;
    if (maxLength < len) maxLength = len;
  }
  const actualMax = maxLength + separatorSpace;
  if (actualMax * 3 + ctx.indentationLvl < ctx.breakLength && (totalLength / actualMax > 5 || maxLength <= 6)) {
    const averageBias = Math.sqrt(actualMax - totalLength / output.length);
    const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
    const columns = Math.min(
      Math.round(Math.sqrt(2.5 * biasedMax * outputLength) / biasedMax),
      Math.floor((ctx.breakLength - ctx.indentationLvl) / actualMax),
      ctx.compact * 4,
      15,
    );
    if (columns <= 1) return output;
    const maxLineLength: number[] = [];
    for (let i = 0; i < columns; i += 1) {
      let lineLength = 0;
      for (let j = i; j < output.length; j += columns) if (dataLen[j] > lineLength) lineLength = dataLen[j];
      maxLineLength.push(lineLength + separatorSpace);
    }
    const numeric = value !== null && value.slice(0, output.length).every((v) => typeof v === 'number' || typeof v === 'bigint');
    const grouped: string[] = [];
    for (let i = 0; i < outputLength; i += columns) {
      const max = Math.min(i + columns, outputLength);
      let line = '';
      let j = i;
      for (; j < max - 1; j += 1) {
        const cell = `${output[j]}, `;
        line += numeric ? cell.padStart(maxLineLength[j - i]) : cell.padEnd(maxLineLength[j - i]);
      }
      line += numeric ? output[j].padStart(maxLineLength[j - i] - separatorSpace) : output[j];
      grouped.push(line);
    }
    if (outputLength < output.length) grouped.push(output[outputLength]);
    return grouped;
  }
  return output;
}

function reduceToSingleString(ctx: Context, output: string[], base: string, braces: [string, string], isArray: boolean, recurseTimes: number, value: unknown[] | null): string {
  const entries = output.length;
  if (isArray && entries > 6) output = groupArrayElements(ctx, output, value);
  if (ctx.currentDepth - recurseTimes < ctx.compact && entries === output.length) {
    const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
    if (isBelowBreakLength(ctx, output, start, base)) {
      const joined = output.join(', ');
      if (!joined.includes('\n')) return `${base ? `${base} ` : ''}${braces[0]} ${joined} ${braces[1]}`;
    }
  }
  const indentation = `\n${' '.repeat(ctx.indentationLvl)}`;
  return `${base ? `${base} ` : ''}${braces[0]}${indentation}  ${output.join(`,${indentation}  `)}${indentation}${braces[1]}`;
}

function formatError(error: Error, ctx: Context, recurseTimes: number): [string, string[]] {
  const stack = typeof error.stack === 'string' && error.stack ? error.stack : `[${error.name}: ${error.message}]`;
  const extra = Object.keys(error)
    .filter((k) => k !== 'stack' && k !== 'message')
    .map((k) => formatProperty(ctx, error, k, recurseTimes + 1));
  const indented = ctx.indentationLvl ? stack.split('\n').join(`\n${' '.repeat(ctx.indentationLvl)}`) : stack;
  return [indented, extra];
}

function arrayEntries(ctx: Context, value: ArrayLike<unknown>, recurseTimes: number): string[] {
  const output: string[] = [];
  const shown = Math.min(value.length, ctx.maxArrayLength);
  let holes = 0;
  const flushHoles = () => {
    if (holes) output.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`);
    holes = 0;
  };
  for (let i = 0; i < shown; i += 1) {
    if (!Array.isArray(value) || Object.prototype.hasOwnProperty.call(value, i)) {
      flushHoles();
      output.push(Array.isArray(value) ? formatProperty(ctx, value, String(i), recurseTimes, true) : formatValue(ctx, value[i], recurseTimes));
    } else holes += 1;
  }
  flushHoles();
  const more = value.length - shown;
  if (more > 0) output.push(`... ${more} more item${more > 1 ? 's' : ''}`);
  return output;
}

function formatRaw(ctx: Context, value: object, recurseTimes: number): string {
  const name = constructorName(value);
  const tag = (value as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag];
  const tagText = typeof tag === 'string' ? tag : '';
  let keys: (string | symbol)[] = Object.keys(value);
  const symbols = Object.getOwnPropertySymbols(value).filter((s) => Object.getOwnPropertyDescriptor(value, s)?.enumerable);
  let base = '';
  let braces: [string, string] = ['{', '}'];
  let isArray = false;
  let arrayValue: unknown[] | null = null;
  let entries: (recurse: number) => string[] = () => [];

  if (Array.isArray(value)) {
    keys = keys.filter((k) => !/^(0|[1-9]\d*)$/.test(k as string));
    braces = [`${name === 'Array' ? '' : prefix(name, tagText, 'Array', `(${value.length})`)}[`, ']'];
    isArray = true;
    arrayValue = value;
    if (value.length === 0 && !keys.length && !symbols.length) return `${braces[0]}]`;
    entries = (r) => arrayEntries(ctx, value, r);
  } else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const typed = value as unknown as ArrayLike<number> & { length: number };
    keys = keys.filter((k) => !/^(0|[1-9]\d*)$/.test(k as string));
    braces = [`${prefix(name, tagText, 'TypedArray', `(${typed.length})`)}[`, ']'];
    isArray = true;
    arrayValue = Array.from(typed);
    if (typed.length === 0 && !keys.length) return `${braces[0]}]`;
    entries = (r) => arrayEntries(ctx, typed, r);
  } else if (value instanceof Map) {
    braces = [`${prefix(name, tagText, 'Map', `(${value.size})`)}{`, '}'];
    if (value.size === 0 && !keys.length) return `${braces[0]}}`;
    entries = (r) => {
      ctx.indentationLvl += 2;
      const out = [...value].map(([k, v]) => `${formatValue(ctx, k, r)} => ${formatValue(ctx, v, r)}`);
      ctx.indentationLvl -= 2;
      return out;
    };
  } else if (value instanceof Set) {
    braces = [`${prefix(name, tagText, 'Set', `(${value.size})`)}{`, '}'];
    if (value.size === 0 && !keys.length) return `${braces[0]}}`;
    isArray = true;
    arrayValue = [...value];
    entries = (r) => {
      ctx.indentationLvl += 2;
      const out = [...value].map((v) => formatValue(ctx, v, r));
      ctx.indentationLvl -= 2;
      return out;
    };
  } else if (typeof value === 'function') {
    const fn = value as (...a: unknown[]) => unknown;
    const isClass = Function.prototype.toString.call(fn).startsWith('class');
    base = isClass ? `[class ${fn.name || '(anonymous)'}]` : `[Function: ${fn.name || '(anonymous)'}]`;
    if (!fn.name) base = isClass ? '[class (anonymous)]' : '[Function (anonymous)]';
    if (name === null) base = base.replace(/^\[/, '[').replace(/]$/, ' (null prototype)]');
    if (!keys.length && !symbols.length) return base;
  } else if (value instanceof RegExp) {
    base = RegExp.prototype.toString.call(value);
    if (!keys.length && !symbols.length) return base;
  } else if (value instanceof Date) {
    base = Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
    if (!keys.length && !symbols.length) return base;
  } else if (value instanceof Error) {
    const [text, extra] = formatError(value, ctx, recurseTimes);
    if (!extra.length) return text;
    base = text;
    keys = [];
    entries = () => extra;
  } else if (value instanceof Promise) {
    return `Promise { <state is not visible in the offline runtime> }`;
  } else if (value instanceof WeakMap || value instanceof WeakSet) {
    return `${name ?? 'WeakMap'} { <items unknown> }`;
  } else if (value instanceof ArrayBuffer) {
    const bytes = [...new Uint8Array(value).slice(0, 50)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const more = value.byteLength > 50 ? ` ... ${value.byteLength - 50} more byte${value.byteLength - 50 > 1 ? 's' : ''}` : '';
    return `ArrayBuffer { [Uint8Contents]: <${bytes}${more}>, [byteLength]: ${value.byteLength} }`;
  } else if (value instanceof Number || value instanceof String || value instanceof Boolean) {
    const kind = value instanceof Number ? 'Number' : value instanceof String ? 'String' : 'Boolean';
    base = `[${kind}: ${formatPrimitive(value.valueOf(), ctx)}]`;
    if (value instanceof String) keys = keys.filter((k) => !/^(0|[1-9]\d*)$/.test(k as string));
    if (!keys.length && !symbols.length) return base;
  } else {
    const isPlain = name === 'Object';
    const special = tagText && tagText !== name ? `${name ?? '[Object: null prototype]'} [${tagText}] ` : '';
    braces[0] = special ? `${special}{` : isPlain ? '{' : name === null ? '[Object: null prototype] {' : `${name} {`;
    if (!keys.length && !symbols.length) return `${braces[0]}}`;
  }

  if (recurseTimes > ctx.depth) {
    if (Array.isArray(value)) return '[Array]';
    return `[${name ?? 'Object'}]`;
  }
  ctx.seen.push(value);
  ctx.currentDepth = recurseTimes;
  let output: string[];
  try {
    output = entries(recurseTimes + 1);
    const all = ctx.sorted ? [...keys].sort() : keys;
    for (const key of [...all, ...symbols]) output.push(formatProperty(ctx, value, key, recurseTimes + 1));
  } finally {
    ctx.seen.pop();
  }
  const reference = ctx.circular.get(value);
  if (reference !== undefined) {
    const ref = `<ref *${reference}>`;
    if (base) base = `${ref} ${base}`;
    else braces[0] = `${ref} ${braces[0]}`;
  }
  return reduceToSingleString(ctx, output, base, braces, isArray, recurseTimes, arrayValue);
}

function formatValue(ctx: Context, value: unknown, recurseTimes: number): string {
  if ((typeof value !== 'object' || value === null) && typeof value !== 'function') return formatPrimitive(value, ctx);
  const custom = (value as { [inspectCustom]?: unknown })[inspectCustom];
  if (typeof custom === 'function') {
    const depth = ctx.depth - recurseTimes;
    const result = custom.call(value, depth, { depth, breakLength: ctx.breakLength, compact: ctx.compact }, inspect);
    if (result !== value) return typeof result === 'string' ? result : formatValue(ctx, result, recurseTimes);
  }
  if (ctx.seen.includes(value)) {
    let index = ctx.circular.get(value);
    if (index === undefined) {
      index = ctx.circular.size + 1;
      ctx.circular.set(value, index);
    }
    return `[Circular *${index}]`;
  }
  return formatRaw(ctx, value as object, recurseTimes);
}

export function inspect(value: unknown, options: InspectOptions = {}): string {
  const depth = options.depth === null ? Infinity : options.depth ?? 2;
  const ctx: Context = {
    depth,
    breakLength: options.breakLength ?? 80,
    compact: options.compact ?? 3,
    maxArrayLength: options.maxArrayLength ?? 100,
    maxStringLength: options.maxStringLength ?? 10_000,
    sorted: options.sorted ?? false,
    indentationLvl: 0,
    currentDepth: 0,
    seen: [],
    circular: new Map(),
  };
  const first = formatValue(ctx, value, 0);
  if (!ctx.circular.size) return first;
  // A circular reference was found after its target was printed: print again, now knowing the reference numbers.
  ctx.seen = [];
  ctx.indentationLvl = 0;
  return formatValue(ctx, value, 0);
}

/** util.format: printf-like placeholders, then the other arguments inspected and joined with spaces. */
export function format(...args: unknown[]): string {
  const first = args[0];
  let i = 1;
  let head = '';
  if (typeof first === 'string') {
    if (args.length === 1) return first;
    head = first.replace(/%([sdifjoOc%])/g, (match, k: string) => {
      if (k === '%') return '%';
      if (i >= args.length) return match;
      const v = args[i++];
      switch (k) {
        case 's':
          if (typeof v === 'string') return v;
          if (typeof v === 'bigint') return `${v}n`;
          if (typeof v === 'number') return formatNumber(v);
          if (typeof v === 'object' && v !== null) return inspect(v, { depth: 0 });
          return String(v);
        case 'd':
          return typeof v === 'bigint' ? `${v}n` : typeof v === 'symbol' ? 'NaN' : formatNumber(Number(v));
        case 'i':
          return typeof v === 'bigint' ? `${v}n` : typeof v === 'symbol' ? 'NaN' : formatNumber(parseInt(String(v), 10));
        case 'f':
          return typeof v === 'symbol' ? 'NaN' : formatNumber(parseFloat(String(v)));
        case 'j':
          try {
            return JSON.stringify(v);
          } catch {
            return '[Circular]';
          }
        case 'o':
          return inspect(v, { showHidden: true, depth: 4 });
        case 'O':
          return inspect(v);
        default:
          return '';
      }
    });
  } else {
    i = 0;
  }
  const rest = args.slice(i).map((v) => (typeof v === 'string' ? v : inspect(v)));
  return typeof first === 'string' ? [head, ...rest].join(' ') : rest.join(' ');
}

// ------------------------------------------------------------------------------------------------------------
// console.table

const tableCell = (v: unknown) => (v === undefined ? '' : inspect(v, { depth: 1, breakLength: Infinity }));

function renderTable(head: string[], columns: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...columns[i].map((c) => c.length)) + 2);
  const line = (l: string, m: string, r: string) => l + widths.map((w) => '─'.repeat(w)).join(m) + r;
  const row = (cells: string[]) => '│' + cells.map((c, i) => ` ${c.padEnd(widths[i] - 2)} `).join('│') + '│';
  const rows = columns[0]?.map((_, r) => row(columns.map((col) => col[r]))) ?? [];
  return [line('┌', '┬', '┐'), row(head), line('├', '┼', '┤'), ...rows, line('└', '┴', '┘')].join('\n');
}

/** console.table's drawing for arrays and objects of rows (other values are printed as console.log would). */
export function table(data: unknown, properties?: string[]): string | null {
  if (data === null || typeof data !== 'object') return null;
  const indexKey = '(index)';
  const valuesKey = 'Values';
  const rowsOf = data instanceof Map ? [...data.entries()] : Object.entries(data);
  const keys: string[] = [];
  let hasValues = false;
  for (const [, row] of rowsOf) {
    if (row !== null && typeof row === 'object') {
      for (const k of Object.keys(row)) if (!keys.includes(k) && (!properties || properties.includes(k))) keys.push(k);
    } else hasValues = true;
  }
  const head = [indexKey, ...(properties ?? keys), ...(hasValues ? [valuesKey] : [])];
  const columns = head.map(() => [] as string[]);
  for (const [index, row] of rowsOf) {
    columns[0].push(data instanceof Map ? tableCell(index) : index);
    const isRow = row !== null && typeof row === 'object';
    (properties ?? keys).forEach((k, i) => columns[i + 1].push(isRow && k in (row as object) ? tableCell((row as Record<string, unknown>)[k]) : ''));
    if (hasValues) columns[columns.length - 1].push(isRow ? '' : tableCell(row));
  }
  return renderTable(head, columns);
}
