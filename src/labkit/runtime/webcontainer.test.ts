/** The WebContainer adapter and the runtime chooser, against a fake of the @webcontainer/api subset they use. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bootCount, bootWebContainer, resetWebContainerForTests, teardownWebContainer, toTree, WebContainerRuntime, type FileTree, type ProcessLike, type WebContainerApi, type WebContainerLike } from './webcontainer.ts';
import { chooseRuntime, probeStackBlitz, sessionChoiceMemory, STACKBLITZ_PROBE_URL, type BrowserSupport, type ChoiceMemory } from './choose.ts';
import type { LabRuntime } from './types.ts';

/** A fake WebContainer: files in a map; `node <file>` runs a script given by the test. */
class FakeContainer implements WebContainerLike {
  files = new Map<string, string | Uint8Array>();
  spawned: { command: string; args: string[] }[] = [];
  killed = 0;
  tornDown = false;
  constructor(private script: (args: string[], out: (s: string) => void, exit: (code: number) => void, onKill: (fn: () => void) => void) => void) {}
  async mount(tree: FileTree, prefix = '') {
    for (const [name, node] of Object.entries(tree)) {
      if ('file' in node) this.files.set(prefix + name, node.file.contents);
      else await this.mount(node.directory, `${prefix}${name}/`);
    }
  }
  async spawn(command: string, args: string[]): Promise<ProcessLike> {
    this.spawned.push({ command, args });
    let controller!: ReadableStreamDefaultController<string>;
    const output = new ReadableStream<string>({ start: (c) => void (controller = c) });
    let exitWith!: (code: number) => void;
    const exit = new Promise<number>((resolve) => (exitWith = resolve));
    let killHandler = () => {};
    const ended = (code: number) => {
      try { controller.close(); } catch { /* closed */ }
      exitWith(code);
    };
    this.script(args, (s) => controller.enqueue(s), ended, (fn) => (killHandler = fn));
    return { output, exit, kill: () => { this.killed += 1; killHandler(); ended(143); } };
  }
  fs = {
    readFile: async (path: string) => {
      const contents = this.files.get(path);
      if (contents === undefined) throw new Error('ENOENT');
      return typeof contents === 'string' ? contents : new TextDecoder().decode(contents);
    },
    writeFile: async (path: string, data: string) => void this.files.set(path, data),
    readdir: async (path: string) => {
      const prefix = path === '.' ? '' : `${path}/`;
      const names = new Map<string, boolean>();
      for (const f of this.files.keys()) if (f.startsWith(prefix)) { const rest = f.slice(prefix.length).split('/'); names.set(rest[0], rest.length > 1); }
      return [...names].map(([name, dir]) => ({ name, isDirectory: () => dir }));
    },
    mkdir: async () => undefined,
    rm: async (path: string) => { for (const f of [...this.files.keys()]) if (f === path || f.startsWith(`${path}/`)) this.files.delete(f); },
  };
  teardown() { this.tornDown = true; }
}

const hello = (args: string[], out: (s: string) => void, exit: (c: number) => void) => {
  setTimeout(() => { out(`\x1b[32mhello ${args.join(' ')}\x1b[0m\n`); exit(0); }, 5);
};
const api = (wc: WebContainerLike, delayMs = 0): WebContainerApi & { calls: number } => {
  const a = { calls: 0, boot: async () => { a.calls += 1; if (delayMs) await new Promise((r) => setTimeout(r, delayMs)); return wc; } };
  return a;
};
const never: WebContainerApi = { boot: () => new Promise(() => {}) };
const supported: BrowserSupport = { crossOriginIsolated: true, sharedArrayBuffer: true, online: true };
const fakeOffline = () => ({ kind: 'offline' }) as unknown as LabRuntime;

afterEach(() => {
  resetWebContainerForTests();
  vi.useRealTimers();
});

describe('booting WebContainers', () => {
  it('boots once per page, however many runtimes ask', async () => {
    const wc = new FakeContainer(hello);
    const a = api(wc);
    const [x, y] = await Promise.all([bootWebContainer(a, 1000), bootWebContainer(a, 1000)]);
    expect(await bootWebContainer(a, 1000)).toBe(x);
    expect(y).toBe(x);
    expect(a.calls).toBe(1);
    expect(bootCount()).toBe(1);
  });

  it('gives up waiting after the time limit, and a retry waits on the same boot', async () => {
    const wc = new FakeContainer(hello);
    const slow = api(wc, 300);
    await expect(bootWebContainer(slow, 50)).rejects.toThrow(/did not start within/);
    expect(await bootWebContainer(slow, 1000)).toBe(wc);
    expect(slow.calls).toBe(1);
  });

  it('boots again after a failed boot, and after teardown', async () => {
    let fail = true;
    const wc = new FakeContainer(hello);
    const flaky: WebContainerApi = { boot: async () => { if (fail) throw new Error('blocked'); return wc; } };
    await expect(bootWebContainer(flaky, 100)).rejects.toThrow('blocked');
    fail = false;
    expect(await bootWebContainer(flaky, 100)).toBe(wc);
    teardownWebContainer();
    expect(wc.tornDown).toBe(true);
    expect(await bootWebContainer(flaky, 100)).toBe(wc);
    expect(bootCount()).toBe(3);
  });
});

describe('WebContainerRuntime', () => {
  it('mounts files as a tree, spawns node, streams output and reports the exit code', async () => {
    expect(toTree({ 'a.mjs': 'x', 'lib/b.mjs': 'y' })).toEqual({ 'a.mjs': { file: { contents: 'x' } }, lib: { directory: { 'b.mjs': { file: { contents: 'y' } } } } });
    const wc = new FakeContainer(hello);
    const runtime = new WebContainerRuntime(wc);
    await runtime.mount({ 'pipeline.mjs': 'code', 'lib/flow.mjs': 'lib' });
    let output = '';
    const result = await runtime.run({ entry: 'pipeline.mjs', args: ['--epochs=5'], onOutput: (s) => (output += s) }).done;
    expect(wc.spawned).toEqual([{ command: 'node', args: ['pipeline.mjs', '--epochs=5'] }]);
    expect(result).toMatchObject({ code: 0, reason: 'exit' });
    expect(output).toBe('\x1b[32mhello pipeline.mjs --epochs=5\x1b[0m\n');
    expect(await runtime.readFile('lib/flow.mjs')).toBe('lib');
    expect(await runtime.readFile('missing')).toBeNull();
    await runtime.writeFile('runs/x.json', '{}');
    expect(await runtime.readdir('runs')).toEqual([{ name: 'x.json', directory: false }]);
    await runtime.remove('runs');
    expect(await runtime.readdir('runs')).toEqual([]);
  });

  it('kills a program on Stop and at the time limit', async () => {
    const forever = new FakeContainer((_args, out) => out('started\n'));
    const runtime = new WebContainerRuntime(forever);
    let output = '';
    const handle = runtime.run({ entry: 'loop.mjs', onOutput: (s) => (output += s) });
    await new Promise((r) => setTimeout(r, 20));
    handle.kill();
    expect(await handle.done).toMatchObject({ code: null, reason: 'killed' });
    expect(forever.killed).toBe(1);
    expect(output).toContain('started');
    expect(output).toContain('Stopped.');

    output = '';
    const timed = await runtime.run({ entry: 'loop.mjs', timeoutMs: 50, onOutput: (s) => (output += s) }).done;
    expect(timed).toMatchObject({ code: null, reason: 'timeout' });
    expect(forever.killed).toBe(2);
    expect(output).toMatch(/still running after 0.1 s|still running after 0.05 s|time limit/);
  });
});

describe('WebContainerRuntime output', () => {
  it('shows the head of a flood up to the limit, then the count and the tail, paced by the consumer', async () => {
    const flood = new FakeContainer((_args, out, exit) => {
      for (let i = 0; i < 1000; i += 1) out(`${i} ${'x'.repeat(95)}\n`);
      setTimeout(() => exit(0), 5);
    });
    const runtime = new WebContainerRuntime(flood);
    let shown = '';
    let writes = 0;
    const result = await runtime.run({
      entry: 'flood.mjs',
      outputLimit: 10_000,
      onOutput: (chunk) => {
        shown += chunk;
        writes += 1;
        return Promise.resolve();
      },
    }).done;
    expect(result).toMatchObject({ code: 0, reason: 'exit', truncation: { shownChars: 10_000, droppedChars: 89_890, droppedLines: 899 } });
    expect(shown.startsWith('0 xxx')).toBe(true);
    expect(shown).toMatch(/output truncated after 10,000 characters/);
    expect(shown).toMatch(/89,890 more characters \(899 line breaks\) were not shown\. The output ended with:\x1b\[0m\r\n[\s\S]*999 x+\n$/);
    expect(writes).toBeLessThan(1000);
  });
});

describe('chooseRuntime', () => {
  it('uses WebContainers when supported and booted in time', async () => {
    const choice = await chooseRuntime({ probe: null, support: supported, loadApi: async () => api(new FakeContainer(hello)), createOffline: fakeOffline });
    expect(choice).toMatchObject({ kind: 'webcontainer', code: 'booted' });
    expect(choice.runtime).toBeInstanceOf(WebContainerRuntime);
  });

  it('falls back with a reason when the page is not cross-origin isolated, without booting', async () => {
    const loadApi = vi.fn(async () => never);
    const choice = await chooseRuntime({ probe: null, support: { ...supported, crossOriginIsolated: false }, loadApi, createOffline: fakeOffline });
    expect(choice).toMatchObject({ kind: 'offline', code: 'unsupported' });
    expect(choice.reason).toMatch(/cross-origin isolated/);
    expect(loadApi).not.toHaveBeenCalled();
  });

  it('falls back when offline, or when boot never settles (StackBlitz blocked), and Retry waits on the same boot', async () => {
    expect(await chooseRuntime({ probe: null, support: { ...supported, online: false }, loadApi: async () => never, createOffline: fakeOffline })).toMatchObject({ code: 'offline' });
    vi.useFakeTimers();
    const boot = vi.fn(() => new Promise<WebContainerLike>(() => {}));
    const pending = chooseRuntime({ probe: null, support: supported, loadApi: async () => ({ boot }), createOffline: fakeOffline, bootTimeoutMs: 20_000 });
    await vi.advanceTimersByTimeAsync(20_001);
    const choice = await pending;
    expect(choice).toMatchObject({ kind: 'offline', code: 'timeout' });
    expect(choice.reason).toMatch(/did not start within 20 s.*blocked/);
    const retry = chooseRuntime({ probe: null, support: supported, loadApi: async () => ({ boot }), createOffline: fakeOffline, bootTimeoutMs: 20_000 });
    await vi.advanceTimersByTimeAsync(20_001);
    expect(await retry).toMatchObject({ code: 'timeout' });
    expect(boot).toHaveBeenCalledTimes(1);
  });

  it('falls back when the boot fails, and when the student forces the offline runtime', async () => {
    const broken: WebContainerApi = { boot: async () => { throw new Error('Unable to create more instances'); } };
    const choice = await chooseRuntime({ probe: null, support: supported, loadApi: async () => broken, createOffline: fakeOffline });
    expect(choice).toMatchObject({ kind: 'offline', code: 'error' });
    expect(choice.reason).toContain('Unable to create more instances');
    expect(await chooseRuntime({ probe: null, support: supported, loadApi: async () => broken, createOffline: fakeOffline, forceOffline: true })).toMatchObject({ code: 'forced' });
  });
});

/** A memory like sessionStorage's, in a map. */
const mapMemory = (): ChoiceMemory & { value: string | null } => {
  const m = { value: null as string | null, read: () => m.value as 'offline' | null, write: (k: string) => void (m.value = k), clear: () => void (m.value = null) };
  return m;
};

describe('chooseRuntime when StackBlitz is slow or unreachable', () => {
  it('falls back at once when the probe fails at once (DNS), remembers it for the tab, and keeps the boot for Retry', async () => {
    vi.useFakeTimers();
    const wc = new FakeContainer(hello);
    let finishBoot!: (w: WebContainerLike) => void;
    const boot = vi.fn(() => new Promise<WebContainerLike>((resolve) => (finishBoot = resolve)));
    const memory = mapMemory();
    let settled = false;
    const pending = chooseRuntime({
      support: supported,
      loadApi: async () => ({ boot }),
      createOffline: fakeOffline,
      probe: async () => {
        throw new TypeError('Failed to fetch');
      },
      memory,
    }).finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(true);
    const choice = await pending;
    expect(choice).toMatchObject({ kind: 'offline', code: 'unreachable' });
    expect(choice.reason).toMatch(/StackBlitz, where WebContainers come from, could not be reached \(Failed to fetch\)/);
    expect(memory.value).toBe('offline');
    // The next page load in this tab skips the wait, without loading the API.
    const loadApi = vi.fn(async () => ({ boot }));
    expect(await chooseRuntime({ support: supported, loadApi, createOffline: fakeOffline, probe: null, memory })).toMatchObject({ code: 'remembered' });
    expect(loadApi).not.toHaveBeenCalled();
    // Retry (memory cleared) waits on the boot that was started, which has come through meanwhile.
    memory.clear();
    finishBoot(wc);
    const retry = await chooseRuntime({ support: supported, loadApi: async () => ({ boot }), createOffline: fakeOffline, probe: null, memory });
    expect(retry).toMatchObject({ kind: 'webcontainer', code: 'booted' });
    expect(boot).toHaveBeenCalledTimes(1);
  });

  it('ignores a probe that takes longer than its limit, and waits for the boot with a countdown', async () => {
    vi.useFakeTimers();
    const wc = new FakeContainer(hello);
    const boot = vi.fn(() => new Promise<WebContainerLike>((resolve) => setTimeout(() => resolve(wc), 5_500)));
    const left: number[] = [];
    let probeSignal: AbortSignal | null = null;
    const pending = chooseRuntime({
      support: supported,
      loadApi: async () => ({ boot }),
      createOffline: fakeOffline,
      probe: (signal) => {
        probeSignal = signal;
        return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
      },
      probeTimeoutMs: 3_000,
      onWaiting: (s) => left.push(s),
    });
    await vi.advanceTimersByTimeAsync(6_000);
    expect(await pending).toMatchObject({ kind: 'webcontainer', code: 'booted' });
    expect(probeSignal!.aborted).toBe(true);
    expect(left.slice(0, 6)).toEqual([20, 19, 18, 17, 16, 15]);
  });

  it('stops waiting when the student chooses "run offline now", and when the boot times out', async () => {
    vi.useFakeTimers();
    const boot = vi.fn(() => new Promise<WebContainerLike>(() => {}));
    const controller = new AbortController();
    const memory = mapMemory();
    const left: number[] = [];
    const pending = chooseRuntime({ support: supported, loadApi: async () => ({ boot }), createOffline: fakeOffline, probe: async () => 'answered', signal: controller.signal, memory, onWaiting: (s) => left.push(s) });
    await vi.advanceTimersByTimeAsync(2_500);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(await pending).toMatchObject({ kind: 'offline', code: 'abandoned' });
    expect(memory.value).toBe('offline');
    const ticks = left.length;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(left).toHaveLength(ticks);

    const timedOut = chooseRuntime({ support: supported, loadApi: async () => ({ boot }), createOffline: fakeOffline, probe: async () => 'answered', bootTimeoutMs: 20_000 });
    await vi.advanceTimersByTimeAsync(20_001);
    expect(await timedOut).toMatchObject({ code: 'timeout' });
  });

  it('remembers the choice in sessionStorage, and survives storage that is missing or throws', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v), removeItem: (k: string) => void store.delete(k) } as unknown as Storage;
    const memory = sessionChoiceMemory(() => storage);
    expect(memory.read()).toBeNull();
    memory.write('offline');
    expect(memory.read()).toBe('offline');
    memory.clear();
    expect(memory.read()).toBeNull();
    const blocked = sessionChoiceMemory(() => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    });
    expect(() => blocked.write('offline')).not.toThrow();
    expect(blocked.read()).toBeNull();
    expect(sessionChoiceMemory(() => undefined).read()).toBeNull();
  });

  it('probes StackBlitz with one no-cors request that the caller can abort', async () => {
    const calls: [string, RequestInit][] = [];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      calls.push([url, init]);
      return new Response(null);
    }) as unknown as typeof fetch;
    const controller = new AbortController();
    await probeStackBlitz(controller.signal, fakeFetch);
    expect(calls).toEqual([[STACKBLITZ_PROBE_URL, { mode: 'no-cors', credentials: 'omit', cache: 'no-store', signal: controller.signal }]]);
  });
});
