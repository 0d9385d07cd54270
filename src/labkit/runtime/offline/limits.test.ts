/**
 * What a program cannot do to the page, whatever it does: flood the output, append to a log line by line, reach the
 * network. Each runs in the offline runtime's real worker code, in a Node worker thread, and the assertions are on
 * the work done (messages, characters, bytes), never on how long it took.
 */
import { describe, expect, it } from 'vitest';
import { createNodeOfflineRuntime, nodeWorker } from '../offline-node.ts';
import { OfflineRuntime, type WorkerLike } from '../offline.ts';
import { DEFAULT_OUTPUT_LIMIT } from '../output.ts';

/** A worker that counts the messages and characters it hands to the page. */
function countingRuntime() {
  const seen = { messages: 0, outputChars: 0, fsBytes: 0 };
  const runtime = new OfflineRuntime(() => {
    const inner = nodeWorker();
    const counted: WorkerLike = {
      postMessage: (m) => inner.postMessage(m),
      terminate: () => inner.terminate(),
      onmessage: null,
      onerror: null,
    };
    inner.onmessage = (event) => {
      const data = event.data as { output?: string; fs?: { data?: Uint8Array }[] };
      seen.messages += 1;
      seen.outputChars += data.output?.length ?? 0;
      for (const change of data.fs ?? []) seen.fsBytes += change.data?.byteLength ?? 0;
      counted.onmessage?.(event);
    };
    inner.onerror = (event) => counted.onerror?.(event);
    return counted;
  });
  return { runtime, seen };
}

const PAD = 'x'.repeat(100);
/** The most common beginner's bug: printing in a loop that never ends (here with 100-character lines). */
const FLOOD = `let i = 0;\nwhile (true) console.log(i++ + ' ${PAD}');`;

describe('a print flood', () => {
  it('reaches the page in few, bounded messages, ends at the time limit, and says what it left out', async () => {
    const { runtime, seen } = countingRuntime();
    await runtime.mount({ 'flood.mjs': FLOOD });
    let shown = '';
    const result = await runtime.run({ entry: 'flood.mjs', timeoutMs: 2500, onOutput: (t) => void (shown += t) }).done;
    expect(result).toMatchObject({ code: null, reason: 'timeout' });
    // The head is shown up to the limit, then one notice, then the count and the tail at the end.
    expect(seen.outputChars).toBeLessThanOrEqual(DEFAULT_OUTPUT_LIMIT);
    expect(shown.startsWith(`0 ${PAD}\n1 ${PAD}\n`)).toBe(true);
    expect(shown).toMatch(/output truncated after 200,000 characters/);
    expect(result.truncation!.droppedChars).toBeGreaterThan(0);
    expect(shown).toMatch(/more characters \([\d,]+ line breaks\) were not shown\. The output ended with:/);
    const tail = shown.slice(shown.lastIndexOf('The output ended with:'));
    const numbers = [...tail.matchAll(/^(\d+) x+$/gm)].map((m) => Number(m[1]));
    // The tail is the end of the flood: consecutive lines far past the head's last one.
    const headLines = shown.slice(0, shown.indexOf('output truncated')).split('\n').length;
    expect(numbers.length).toBeGreaterThan(5);
    expect(numbers[1] - numbers[0]).toBe(1);
    expect(numbers[0]).toBeGreaterThan(headLines);
    expect(shown).toMatch(/Stopped: the program was still running after 2.5 s/);
    // Messages are paced by time (a few per 50 ms), not one per line: hundreds of thousands of lines, few messages.
    expect(seen.messages).toBeLessThan(1 + (2500 / 50) * 4 + 10);
  }, 30_000);

  it('with one long line per call still ends at the limit', async () => {
    const { runtime, seen } = countingRuntime();
    await runtime.mount({ 'long.mjs': `const line = 'x'.repeat(5_000_000);\nwhile (true) console.log(line);` });
    const result = await runtime.run({ entry: 'long.mjs', timeoutMs: 2000, onOutput: () => {} }).done;
    expect(result.reason).toBe('timeout');
    expect(seen.outputChars).toBeLessThanOrEqual(DEFAULT_OUTPUT_LIMIT);
  }, 30_000);

  it('stops on kill within a second, and a slow consumer paces delivery without losing order', async () => {
    const runtime = createNodeOfflineRuntime();
    await runtime.mount({ 'flood.mjs': FLOOD });
    const chunks: string[] = [];
    let writing = 0;
    let overlapped = false;
    const handle = runtime.run({
      entry: 'flood.mjs',
      timeoutMs: 60_000,
      onOutput: (chunk) => {
        if (writing) overlapped = true;
        writing += 1;
        chunks.push(chunk);
        return new Promise<void>((resolve) => setTimeout(() => ((writing -= 1), resolve()), 5));
      },
    });
    while (chunks.length < 3) await new Promise((resolve) => setTimeout(resolve, 50));
    const killedAt = performance.now();
    handle.kill();
    const result = await handle.done;
    expect(result.reason).toBe('killed');
    // The run ends once the queued output (bounded by the limit) has been written: well within a second here.
    expect(performance.now() - killedAt).toBeLessThan(1000);
    expect(overlapped).toBe(false);
    const numbers = [...chunks.join('').matchAll(/^(\d+) x+$/gm)].map((m) => Number(m[1]));
    expect(numbers.slice(0, 100)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(chunks.join('')).toContain('Stopped.');
  }, 30_000);
});

describe('appending to a file line by line', () => {
  it('sends the page each line once, not the whole file per line', async () => {
    const { runtime, seen } = countingRuntime();
    await runtime.mount({
      'log.mjs': `import fs from 'node:fs';\nfor (let i = 0; i < 4000; i++) fs.appendFileSync('log.txt', String(i).padStart(99, '.') + '\\n');\nconsole.log(fs.statSync('log.txt').size);`,
    });
    let output = '';
    const result = await runtime.run({ entry: 'log.mjs', onOutput: (t) => void (output += t) }).done;
    expect(result).toMatchObject({ code: 0, reason: 'exit' });
    expect(output).toBe('400000\n');
    // 4,000 appends of 100 bytes: the page receives 400,000 bytes in total (quadratic would be 800 MB).
    expect(seen.fsBytes).toBe(400_000);
    expect(seen.messages).toBeLessThan(100);
    const text = (await runtime.readFile('log.txt'))!;
    expect(text.length).toBe(400_000);
    expect(text.endsWith('3999\n')).toBe(true);
  }, 30_000);

  it('fails with ENOSPC when the files would pass the memory cap, and keeps what was written', async () => {
    const runtime = new OfflineRuntime(nodeWorker, { fileLimitBytes: 3.5 * 2 ** 20 });
    await runtime.mount({
      'big.mjs': `import fs from 'node:fs';\nfor (let i = 0; i < 10; i++) { fs.writeFileSync('part-' + i + '.bin', new Uint8Array(2 ** 20)); console.log('wrote', i); }`,
    });
    let output = '';
    const result = await runtime.run({ entry: 'big.mjs', onOutput: (t) => void (output += t) }).done;
    expect(result.code).toBe(1);
    expect(output).toContain('wrote 2\n');
    expect(output).not.toContain('wrote 3');
    expect(output).toMatch(/Error: ENOSPC: no space left on device, write \(the offline runtime keeps at most 4 MB of files in memory\)/);
    expect((await runtime.readdir('')).map((e) => e.name)).toEqual(['big.mjs', 'part-0.bin', 'part-1.bin', 'part-2.bin']);
  }, 30_000);
});

describe('the network', () => {
  it('is blocked for every way a program could reach it, and the program is told why', async () => {
    const runtime = createNodeOfflineRuntime();
    await runtime.mount({
      'net.mjs': [
        `const tries = {`,
        `  fetch: () => fetch('https://example.org/x'),`,
        `  websocket: () => new WebSocket('wss://example.org/ws'),`,
        `  broadcast: () => new BroadcastChannel('lab'),`,
        `  xhr: () => new XMLHttpRequest(),`,
        `  eventsource: () => new EventSource('https://example.org/events'),`,
        `  importScripts: () => importScripts('https://example.org/x.js'),`,
        `  indexedDB: () => indexedDB.open('x'),`,
        `  caches: () => caches.open('x'),`,
        `  postMessage: () => postMessage({ type: 'exit', code: 0 }),`,
        `  importLiteral: () => import('https://example.org/evil.mjs'),`,
        `  importVariable: () => { const where = 'https://example.org/' + 'evil.mjs'; return import(where); },`,
        `  importData: () => import('data:text/javascript,console.log(1)'),`,
        `};`,
        `for (const [name, attempt] of Object.entries(tries)) {`,
        `  try { await attempt(); console.log(name, 'REACHED'); }`,
        `  catch (error) { console.log(name, '->', error.message); }`,
        `}`,
      ].join('\n'),
    });
    let output = '';
    const result = await runtime.run({ entry: 'net.mjs', onOutput: (t) => void (output += t) }).done;
    expect(result.code).toBe(0);
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(12);
    expect(output).not.toContain('REACHED');
    for (const name of ['fetch', 'websocket', 'broadcast', 'importLiteral', 'importVariable', 'importData']) {
      expect(lines.find((l) => l.startsWith(`${name} ->`))).toMatch(/network access is not available in the lab runtime/);
    }
    for (const name of ['xhr', 'eventsource', 'importScripts', 'indexedDB', 'caches', 'postMessage']) {
      expect(lines.find((l) => l.startsWith(`${name} ->`))).toMatch(/is not defined: Node\.js has no \w+, and /);
    }
  }, 30_000);
});
