/**
 * The offline runtime's built-in modules: one file per built-in, listed here. Adding a built-in is a new file and
 * one line below. `node:` specifiers and bare names resolve alike, except for the modules Node only offers with the
 * prefix (`node:test`).
 *
 * Built-ins a lab may need that are not here are listed in PLANNED or UNAVAILABLE, so that a lab can learn before it
 * runs anything that the offline runtime cannot serve it (`offlineSupport`).
 */
import type { Host } from '../host.ts';
import { assertModule, assertStrictModule } from './assert.ts';
import { bufferModule } from './buffer.ts';
import { childProcessModule } from './child_process.ts';
import { cryptoModule } from './crypto.ts';
import { eventsModule } from './events.ts';
import { fsModule, fsPromisesModule } from './fs.ts';
import { osModule } from './os.ts';
import { pathModule } from './path.ts';
import { testModule } from './test.ts';
import { timersModule, timersPromisesModule } from './timers.ts';
import { urlModule } from './url.ts';
import { utilModule } from './util.ts';

export type BuiltinFactory = (host: Host) => Record<string, unknown>;

const BUILTINS = {
  assert: assertModule,
  'assert/strict': assertStrictModule,
  buffer: bufferModule,
  child_process: childProcessModule,
  console: (host: Host) => host.console,
  crypto: cryptoModule,
  events: eventsModule,
  fs: fsModule,
  'fs/promises': fsPromisesModule,
  os: osModule,
  path: pathModule,
  'path/posix': pathModule,
  process: (host: Host) => host.process as unknown as Record<string, unknown>,
  test: testModule,
  timers: timersModule,
  'timers/promises': timersPromisesModule,
  url: urlModule,
  util: utilModule,
} satisfies Record<string, BuiltinFactory>;

export type BuiltinName = keyof typeof BUILTINS;

/** Built-ins Node offers only as `node:<name>`. */
const PREFIX_ONLY = new Set<string>(['test']);

/** Built-ins that labs will need and that are not built yet, with the reason. */
export const PLANNED: Record<string, string> = {
  http: 'it is planned for the serving lab; use WebContainers until then',
};

/** Node built-ins the offline runtime cannot provide honestly in a Web Worker. */
export const UNAVAILABLE: Record<string, string> = {
  child_process: 'a Web Worker cannot start other programs',
  net: 'there is no network in the offline runtime',
  dgram: 'there is no network in the offline runtime',
  https: 'there is no network in the offline runtime',
  http2: 'there is no network in the offline runtime',
  worker_threads: 'it runs one program in one worker',
  cluster: 'it runs one program in one worker',
  vm: 'it has no separate JavaScript contexts',
  inspector: 'it has no debugger protocol',
};

/** The built-in a specifier names (`fs`, `node:fs`, `node:test`), or null when it names none this runtime has. */
export function builtinName(specifier: string): BuiltinName | null {
  const prefixed = specifier.startsWith('node:');
  const bare = prefixed ? specifier.slice(5) : specifier;
  if (!(bare in BUILTINS)) return null;
  if (PREFIX_ONLY.has(bare) && !prefixed) return null;
  return bare as BuiltinName;
}

export function createBuiltin(name: BuiltinName, host: Host): Record<string, unknown> {
  return BUILTINS[name](host);
}

/** Every built-in the offline runtime provides, as `node:` specifiers. */
export function providedBuiltins(): string[] {
  return Object.keys(BUILTINS).map((name) => `node:${name}`);
}

export interface OfflineSupport {
  /** The built-ins asked for that the offline runtime lacks (as given, without `node:`). */
  missing: string[];
  /** A sentence for the page, or null when every built-in is there. */
  message: string | null;
}

/**
 * Whether the offline runtime can run a lab that uses these built-ins (`['events', 'node:test', 'http']`), and if
 * not, a message that names what is missing, to show before anything runs.
 */
export function offlineSupport(builtins: string[]): OfflineSupport {
  const missing = builtins
    .map((b) => b.replace(/^node:/, ''))
    .filter((name, i, all) => all.indexOf(name) === i)
    .filter((name) => !(name in BUILTINS) || name in UNAVAILABLE);
  if (!missing.length) return { missing, message: null };
  const reasons = missing.map((name) => `${name} (${PLANNED[name] ?? UNAVAILABLE[name] ?? 'it is not built'})`);
  const list = reasons.length === 1 ? reasons[0] : `${reasons.slice(0, -1).join(', ')} and ${reasons[reasons.length - 1]}`;
  return { missing, message: `This lab needs ${list}, which the offline runtime lacks.` };
}
