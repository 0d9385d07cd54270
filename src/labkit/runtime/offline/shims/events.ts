/**
 * node:events: EventEmitter with Node's semantics (listeners run in order and synchronously; an 'error' event with
 * no listener throws; 'newListener' and 'removeListener' are emitted; once-wrappers are removable by the original
 * function; a leak warning past maxListeners), and the static helpers once() and on().
 */
import type { Host } from '../host.ts';

type Listener = (...args: unknown[]) => void;
interface Wrapped extends Listener {
  listener?: Listener;
}

const errorMonitor = Symbol('events.errorMonitor');

function checkListener(listener: unknown): asserts listener is Listener {
  if (typeof listener !== 'function') {
    const error = new TypeError(`The "listener" argument must be of type function. Received ${listener === null ? 'null' : typeof listener}`) as TypeError & { code: string };
    error.code = 'ERR_INVALID_ARG_TYPE';
    throw error;
  }
}

export function createEventEmitter(warn: (text: string) => void) {
  class EventEmitter {
    static defaultMaxListeners = 10;
    static readonly errorMonitor = errorMonitor;
    private _events = new Map<string | symbol, Wrapped[]>();
    private _maxListeners: number | undefined;

    setMaxListeners(n: number): this {
      this._maxListeners = n;
      return this;
    }
    getMaxListeners(): number {
      return this._maxListeners ?? EventEmitter.defaultMaxListeners;
    }

    private add(name: string | symbol, listener: Listener, prepend: boolean): this {
      checkListener(listener);
      if (this._events.has('newListener')) this.emit('newListener', name, (listener as Wrapped).listener ?? listener);
      const list = this._events.get(name) ?? [];
      if (prepend) list.unshift(listener);
      else list.push(listener);
      this._events.set(name, list);
      const max = this.getMaxListeners();
      if (max > 0 && list.length === max + 1) {
        warn(
          `(node:1) MaxListenersExceededWarning: Possible EventEmitter memory leak detected. ${list.length} ${String(name)} listeners added to [${this.constructor.name}]. ` +
            `MaxListeners is ${max}. Use emitter.setMaxListeners() to increase limit\n(Use \`node --trace-warnings ...\` to show where the warning was created)\n`,
        );
      }
      return this;
    }
    on(name: string | symbol, listener: Listener): this {
      return this.add(name, listener, false);
    }
    addListener(name: string | symbol, listener: Listener): this {
      return this.add(name, listener, false);
    }
    prependListener(name: string | symbol, listener: Listener): this {
      return this.add(name, listener, true);
    }
    private wrapOnce(name: string | symbol, listener: Listener): Wrapped {
      checkListener(listener);
      let fired = false;
      const wrapped: Wrapped = (...args) => {
        if (fired) return;
        fired = true;
        this.removeListener(name, wrapped);
        listener.apply(this, args);
      };
      wrapped.listener = listener;
      return wrapped;
    }
    once(name: string | symbol, listener: Listener): this {
      return this.add(name, this.wrapOnce(name, listener), false);
    }
    prependOnceListener(name: string | symbol, listener: Listener): this {
      return this.add(name, this.wrapOnce(name, listener), true);
    }
    removeListener(name: string | symbol, listener: Listener): this {
      checkListener(listener);
      const list = this._events.get(name);
      if (!list) return this;
      let index = -1;
      for (let i = list.length - 1; i >= 0; i -= 1) {
        if (list[i] === listener || list[i].listener === listener) {
          index = i;
          break;
        }
      }
      if (index < 0) return this;
      const [removed] = list.splice(index, 1);
      if (!list.length) this._events.delete(name);
      if (this._events.has('removeListener')) this.emit('removeListener', name, removed.listener ?? removed);
      return this;
    }
    off(name: string | symbol, listener: Listener): this {
      return this.removeListener(name, listener);
    }
    removeAllListeners(name?: string | symbol): this {
      if (name === undefined) this._events.clear();
      else this._events.delete(name);
      return this;
    }
    emit(name: string | symbol, ...args: unknown[]): boolean {
      if (name === 'error') {
        this._events.get(errorMonitor)?.slice().forEach((l) => l.apply(this, args));
        if (!this._events.get('error')?.length) {
          const [error] = args;
          if (error instanceof Error) throw error;
          const wrapped = new Error(`Unhandled error. (${typeof error === 'string' ? `'${error}'` : String(error)})`) as Error & { code: string; context: unknown };
          wrapped.code = 'ERR_UNHANDLED_ERROR';
          wrapped.context = error;
          throw wrapped;
        }
      }
      const list = this._events.get(name);
      if (!list?.length) return false;
      for (const listener of list.slice()) listener.apply(this, args);
      return true;
    }
    listenerCount(name: string | symbol, listener?: Listener): number {
      const list = this._events.get(name) ?? [];
      return listener ? list.filter((l) => l === listener || l.listener === listener).length : list.length;
    }
    listeners(name: string | symbol): Listener[] {
      return (this._events.get(name) ?? []).map((l) => l.listener ?? l);
    }
    rawListeners(name: string | symbol): Listener[] {
      return [...(this._events.get(name) ?? [])];
    }
    eventNames(): (string | symbol)[] {
      return [...this._events.keys()];
    }
  }
  return EventEmitter;
}

export type EventEmitterClass = ReturnType<typeof createEventEmitter>;
type Emitter = InstanceType<EventEmitterClass>;

export function eventsModule(host: Host): Record<string, unknown> {
  const EventEmitter = createEventEmitter(host.write);
  const abortError = () => Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });
  const once = (emitter: Emitter | EventTarget, name: string, options?: { signal?: AbortSignal }) =>
    new Promise<unknown[]>((resolve, reject) => {
      if (options?.signal?.aborted) return reject(abortError());
      if ('addEventListener' in emitter && !(emitter instanceof EventEmitter)) {
        emitter.addEventListener(name, (event) => resolve([event]), { once: true });
        return;
      }
      const e = emitter as Emitter;
      const onError = (error: unknown) => {
        e.removeListener(name, onEvent);
        reject(error);
      };
      const onEvent = (...args: unknown[]) => {
        if (name !== 'error') e.removeListener('error', onError);
        resolve(args);
      };
      e.once(name, onEvent);
      if (name !== 'error') e.once('error', onError);
      options?.signal?.addEventListener('abort', () => {
        e.removeListener(name, onEvent);
        e.removeListener('error', onError);
        reject(abortError());
      });
    });
  const on = (emitter: Emitter, name: string, options?: { signal?: AbortSignal }) => {
    const queue: unknown[][] = [];
    const waiting: { resolve: (r: IteratorResult<unknown[]>) => void; reject: (e: unknown) => void }[] = [];
    let failure: unknown = null;
    let finished = false;
    const onEvent = (...args: unknown[]) => {
      const next = waiting.shift();
      if (next) next.resolve({ value: args, done: false });
      else queue.push(args);
    };
    const onError = (error: unknown) => {
      const next = waiting.shift();
      if (next) next.reject(error);
      else failure = error;
      stop();
    };
    const stop = () => {
      finished = true;
      emitter.removeListener(name, onEvent);
      emitter.removeListener('error', onError);
      for (const w of waiting.splice(0)) w.resolve({ value: undefined as never, done: true });
    };
    emitter.on(name, onEvent);
    if (name !== 'error') emitter.on('error', onError);
    options?.signal?.addEventListener('abort', () => onError(abortError()));
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      next(): Promise<IteratorResult<unknown[]>> {
        if (queue.length) return Promise.resolve({ value: queue.shift()!, done: false });
        if (failure) {
          const error = failure;
          failure = null;
          return Promise.reject(error);
        }
        if (finished) return Promise.resolve({ value: undefined as never, done: true });
        return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
      },
      return(): Promise<IteratorResult<unknown[]>> {
        stop();
        return Promise.resolve({ value: undefined as never, done: true });
      },
    };
  };
  Object.assign(EventEmitter, { EventEmitter, once, on, errorMonitor });
  return { default: EventEmitter, EventEmitter, once, on, errorMonitor, defaultMaxListeners: 10, setMaxListeners: () => undefined };
}
