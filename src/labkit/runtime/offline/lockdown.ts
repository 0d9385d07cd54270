/**
 * The program's worker has no network and no way out to the page: before the program runs, every global that could
 * reach a server or another page is replaced by one that fails with a message saying why. What Node also has
 * (fetch, WebSocket, BroadcastChannel) fails the way Node's would fail without a network; what Node lacks
 * (XMLHttpRequest, EventSource, importScripts, indexedDB, caches, Worker) is gone, and touching it says so.
 * `import()` of anything but the project's files and the built-ins is refused by the loader.
 *
 * This is the first line; the site's Content-Security-Policy (connect-src 'self', script-src 'self' blob:) is the
 * policy behind it, which also covers code the program builds at run time with eval or new Function.
 */

export const NETWORK_BLOCKED = 'network access is not available in the lab runtime';

function blocked(what: string, extra = ''): Error {
  const error = new Error(`${NETWORK_BLOCKED}: ${what} was blocked.${extra ? ' ' + extra : ''} Programs here work with the project's files.`) as Error & { code: string };
  error.code = 'ERR_NETWORK_BLOCKED';
  return error;
}

/** Names of the globals replaced below, for tests and the report. */
export const BLOCKED_GLOBALS = [
  'fetch', 'WebSocket', 'WebSocketStream', 'WebTransport', 'EventSource', 'XMLHttpRequest', 'BroadcastChannel',
  'importScripts', 'indexedDB', 'caches', 'Worker', 'SharedWorker', 'postMessage', 'close', 'onmessage',
] as const;

const describe = (input: unknown) => {
  try {
    return typeof input === 'string' ? input : input instanceof URL ? input.href : String((input as { url?: string })?.url ?? input);
  } catch {
    return 'a request';
  }
};

/** Replace the network globals of a worker's global scope (and of the prototypes it inherits them from). */
export function lockNetwork(scope: Record<string, unknown>): void {
  const define = (name: string, value: unknown, getter = false) => {
    const descriptor: PropertyDescriptor = getter
      ? { get: value as () => unknown, configurable: false, enumerable: false }
      : { value, writable: false, configurable: false, enumerable: false };
    for (let target: object | null = scope; target && target !== Object.prototype; target = Object.getPrototypeOf(target)) {
      if (Object.prototype.hasOwnProperty.call(target, name) && target !== scope) {
        try {
          Object.defineProperty(target, name, { ...descriptor, configurable: true });
        } catch {
          /* a prototype property that cannot be redefined is shadowed below */
        }
      }
    }
    try {
      Object.defineProperty(scope, name, descriptor);
    } catch {
      /* already locked */
    }
  };
  // Node has these: they fail as they would on a machine without a network.
  define('fetch', (input: unknown) => Promise.reject(blocked(`fetch('${describe(input)}')`)));
  for (const name of ['WebSocket', 'WebSocketStream', 'WebTransport']) {
    define(name, function blockedConnection(url: unknown) {
      throw blocked(`new ${name}('${describe(url)}')`);
    });
  }
  define('BroadcastChannel', function blockedChannel(name: unknown) {
    throw blocked(`new BroadcastChannel('${String(name)}')`, 'The program cannot talk to other pages.');
  });
  // Browser-only: Node does not have them, and here touching them says why.
  const absent = (name: string, why: string) =>
    define(
      name,
      () => {
        throw new ReferenceError(`${name} is not defined: Node.js has no ${name}, and ${why}.`);
      },
      true,
    );
  absent('XMLHttpRequest', NETWORK_BLOCKED);
  absent('EventSource', NETWORK_BLOCKED);
  absent('importScripts', NETWORK_BLOCKED);
  absent('indexedDB', 'the lab runtime keeps no browser storage');
  absent('caches', 'the lab runtime keeps no browser storage');
  absent('Worker', 'the lab runtime runs one program in one worker');
  absent('SharedWorker', 'the lab runtime runs one program in one worker');
  // The worker's channel to the page belongs to the runtime, not to the program.
  absent('postMessage', 'the program cannot send messages to the page');
  absent('close', 'the program ends with process.exit()');
  absent('onmessage', 'the program cannot receive messages from the page');
}

/** Keep the program alive while work the browser does for it is pending (WebAssembly compiling, Web Crypto). */
export function trackNativeWork(scope: { WebAssembly?: unknown; crypto?: Crypto }, track: <T>(p: Promise<T>) => Promise<T>): void {
  const wrap = (owner: Record<string, unknown> | undefined, names: string[]) => {
    if (!owner) return;
    for (const name of names) {
      const original = owner[name];
      if (typeof original !== 'function') continue;
      Object.defineProperty(owner, name, {
        value: (...args: unknown[]) => track(Promise.resolve((original as (...a: unknown[]) => Promise<unknown>).apply(owner, args))),
        writable: true,
        configurable: true,
      });
    }
  };
  wrap(scope.WebAssembly as Record<string, unknown> | undefined, ['compile', 'instantiate', 'compileStreaming', 'instantiateStreaming']);
  wrap(scope.crypto?.subtle as unknown as Record<string, unknown> | undefined, ['digest', 'encrypt', 'decrypt', 'sign', 'verify', 'generateKey', 'deriveKey', 'deriveBits', 'importKey', 'exportKey', 'wrapKey', 'unwrapKey']);
}
