/**
 * The preview page's script (src/pages/labs/serving/sandbox/index.astro): a drawing pad whose digit is sent to the
 * student's API with an ordinary `fetch` to `./api/v2/…`, which the sandbox's service worker routes to the server in
 * the lab's worker. Every request is listed with its status, its time and the handler's time (Server-Timing).
 */
import { DENSE_MNIST } from './server/mnist-dense.mjs';
import { inferBody } from './server/contract.mjs';
import { SIDE, toMnist, topClass } from './digit.ts';

/** What the lab page posts to the preview after the student's server started: check its health again. */
export const SERVER_STARTED = 'serving-server-started';

/** The handler's time from a `Server-Timing: handler;dur=1.234` header, or null. */
export function handlerMs(header: string | null): number | null {
  const match = header?.match(/(?:^|,)\s*handler\s*;(?:[^,]*;)?\s*dur=([\d.]+)/);
  return match ? Number(match[1]) : null;
}

export function startPreview(doc: Document): void {
  const $ = <T extends HTMLElement>(id: string) => doc.getElementById(id) as T;
  const pad = $<HTMLCanvasElement>('pad');
  const health = $('health');
  const prediction = $('prediction');
  const bars = $('bars');
  const log = $('log');
  const context = pad.getContext('2d', { willReadFrequently: true })!;

  const call = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const t0 = performance.now();
    const entry = doc.createElement('li');
    log.prepend(entry);
    while (log.children.length > 6) log.lastElementChild!.remove();
    try {
      const response = await fetch(`api${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}) });
      const handler = handlerMs(response.headers.get('server-timing'));
      entry.textContent = `${method} ${path} → ${response.status} in ${(performance.now() - t0).toFixed(1)} ms${handler !== null ? ` (handler ${handler.toFixed(1)} ms)` : ''}`;
      const text = await response.text();
      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch {
        // Not JSON: shown as text below.
      }
      return { status: response.status, json, text };
    } catch (error) {
      entry.textContent = `${method} ${path} → failed: ${error instanceof Error ? error.message : String(error)}`;
      throw error;
    }
  };

  const checkHealth = async () => {
    try {
      const r = await call('GET', '/v2/health/ready');
      const ready = r.status === 200 && (r.json as { ready?: unknown } | null)?.ready === true;
      health.dataset.state = ready ? 'ok' : 'bad';
      health.textContent = ready ? 'server ready' : `not ready (HTTP ${r.status}${(r.json as { error?: string } | null)?.error ? `: ${(r.json as { error: string }).error}` : ''})`;
    } catch {
      health.dataset.state = 'bad';
      health.textContent = 'no answer';
    }
  };

  const clear = () => {
    context.fillStyle = '#000';
    context.fillRect(0, 0, pad.width, pad.height);
  };
  clear();
  let last: { x: number; y: number } | null = null;
  const at = (event: PointerEvent) => {
    const box = pad.getBoundingClientRect();
    return { x: ((event.clientX - box.left) * pad.width) / box.width, y: ((event.clientY - box.top) * pad.height) / box.height };
  };
  pad.addEventListener('pointerdown', (event) => {
    pad.setPointerCapture(event.pointerId);
    last = at(event);
  });
  pad.addEventListener('pointermove', (event) => {
    if (!last) return;
    const next = at(event);
    context.strokeStyle = '#fff';
    context.lineWidth = pad.width / 12;
    context.lineCap = 'round';
    context.lineJoin = 'round';
    context.beginPath();
    context.moveTo(last.x, last.y);
    context.lineTo(next.x, next.y);
    context.stroke();
    last = next;
  });
  const stop = () => (last = null);
  pad.addEventListener('pointerup', stop);
  pad.addEventListener('pointercancel', stop);

  const show = (probabilities: number[], digit: number) => {
    prediction.textContent = `Your server says ${digit} (${(probabilities[digit]! * 100).toFixed(1)}%).`;
    bars.replaceChildren(
      ...probabilities.map((p, d) => {
        const li = doc.createElement('li');
        if (d === digit) li.dataset.top = '';
        const bar = doc.createElement('span');
        bar.className = 'bar';
        bar.style.width = `${Math.max(1, p * 100)}%`;
        const label = doc.createElement('span');
        label.textContent = String(d);
        const share = doc.createElement('span');
        share.textContent = `${(p * 100).toFixed(1)}%`;
        li.append(label, bar, share);
        return li;
      }),
    );
  };

  const classify = async () => {
    const { data } = context.getImageData(0, 0, pad.width, pad.height);
    const ink = new Float32Array(pad.width * pad.height).map((_, i) => data[i * 4]! / 255);
    const pixels = toMnist(ink, pad.width, pad.height);
    if (!pixels) {
      prediction.textContent = 'Draw a digit first.';
      return;
    }
    try {
      const r = await call('POST', `/v2/models/${DENSE_MNIST.name}/infer`, inferBody(DENSE_MNIST, [Array.from(pixels)], 'preview'));
      if (r.status !== 200) {
        prediction.textContent = `Your server answered HTTP ${r.status}: ${(r.json as { error?: string } | null)?.error ?? r.text.slice(0, 200)}`;
        bars.replaceChildren();
        return;
      }
      const { digit, probabilities } = topClass(r.json);
      show(probabilities, digit);
    } catch (error) {
      prediction.textContent = `The answer could not be read: ${error instanceof Error ? error.message : String(error)}`;
      bars.replaceChildren();
    }
  };

  $('classify').addEventListener('click', () => void classify());
  $('clear').addEventListener('click', () => {
    clear();
    bars.replaceChildren();
    prediction.textContent = `Draw a digit from 0 to 9 (it becomes ${SIDE} × ${SIDE} pixels), then press Classify.`;
  });
  $('recheck').addEventListener('click', () => void checkHealth());
  // Framed by the lab page, it waits until the lab says the server runs; opened on its own, it asks at once. Without
  // the lab's service worker (opened before the lab, or where service workers are off) nothing would answer.
  addEventListener('message', (event) => {
    if (event.origin === location.origin && (event.data as { type?: string } | null)?.type === SERVER_STARTED) void checkHealth();
  });
  if (!navigator.serviceWorker?.controller) {
    health.dataset.state = 'bad';
    health.textContent = 'not connected: open this page from the serving lab';
  } else if (window.parent === window) void checkHealth();
  else health.textContent = 'waiting for your server';
}
