/**
 * The sandbox relay, with Node's MessageChannel standing in for the port between the service worker and the lab's
 * worker: requests and answers keep their method, path, headers, status and body; a missing port is asked for and
 * waited on; no port, or no answer, becomes an HTTP error that says why instead of a request that hangs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Relay, serveRelay, type PortLike } from './relay.ts';

const opened: MessagePort[] = [];
afterEach(() => {
  for (const port of opened.splice(0)) port.close();
});

function channel() {
  const { port1, port2 } = new MessageChannel();
  opened.push(port1, port2);
  return { serviceWorkerEnd: port1 as unknown as PortLike, workerEnd: port2 as unknown as PortLike };
}

const echo = async (request: Request) =>
  new Response(JSON.stringify({ method: request.method, url: request.url, type: request.headers.get('content-type'), body: request.method === 'GET' ? null : await request.text() }), {
    status: 201,
    headers: { 'content-type': 'application/json', 'x-echo': 'yes' },
  });

const relayWith = (options: Partial<ConstructorParameters<typeof Relay>[0]> = {}) => new Relay({ askForPort: () => undefined, portWaitMs: 200, answerWaitMs: 500, ...options });

describe('the sandbox relay', () => {
  it('carries a request to the server and its answer back, path and query below the API root', async () => {
    const { serviceWorkerEnd, workerEnd } = channel();
    serveRelay(workerEnd, echo);
    const relay = relayWith();
    relay.attach(serviceWorkerEnd);
    const request = new Request('https://site.example/labs/serving/sandbox/api/v2/models/m/infer?x=1', { method: 'POST', body: '{"inputs":[]}', headers: { 'content-type': 'application/json' } });
    const response = await relay.fetch(request, '/v2/models/m/infer?x=1');
    expect(response.status).toBe(201);
    expect(response.headers.get('x-echo')).toBe('yes');
    expect(await response.json()).toEqual({ method: 'POST', url: 'http://sandbox.lab/v2/models/m/infer?x=1', type: 'application/json', body: '{"inputs":[]}' });
  });

  it('answers requests in flight together, each with its own answer', async () => {
    const { serviceWorkerEnd, workerEnd } = channel();
    serveRelay(workerEnd, async (request) => {
      const n = Number(new URL(request.url).searchParams.get('n'));
      await new Promise((resolve) => setTimeout(resolve, (5 - n) * 5));
      return new Response(String(n * n));
    });
    const relay = relayWith();
    relay.attach(serviceWorkerEnd);
    const answers = await Promise.all([1, 2, 3, 4].map(async (n) => (await relay.fetch(new Request(`https://s/api/sq?n=${n}`), `/sq?n=${n}`)).text()));
    expect(answers).toEqual(['1', '4', '9', '16']);
  });

  it('asks for a port when it has none and goes on when one arrives', async () => {
    const { serviceWorkerEnd, workerEnd } = channel();
    serveRelay(workerEnd, echo);
    let asked = 0;
    const relay: Relay = relayWith({
      portWaitMs: 2_000,
      askForPort: () => {
        asked++;
        setTimeout(() => relay.attach(serviceWorkerEnd), 10);
      },
    });
    const response = await relay.fetch(new Request('https://s/api/v2/health/live'), '/v2/health/live');
    expect(asked).toBe(1);
    expect(response.status).toBe(201);
    expect(relay.connected).toBe(true);
  });

  it('answers 503 with what to do when no lab page hands over a port', async () => {
    const relay = relayWith({ portWaitMs: 30 });
    const response = await relay.fetch(new Request('https://s/api/v2/health/live'), '/v2/health/live');
    expect(response.status).toBe(503);
    expect((await response.json()).error).toMatch(/open the lab page and start your server/);
  });

  it('answers 504 when the worker never answers, and later requests still work once a new port arrives', async () => {
    const silent = channel();
    silent.workerEnd.start?.();
    const relay = relayWith({ answerWaitMs: 30 });
    relay.attach(silent.serviceWorkerEnd);
    const late = await relay.fetch(new Request('https://s/api/v2/health/live'), '/v2/health/live');
    expect(late.status).toBe(504);
    expect((await late.json()).error).toMatch(/did not answer within 30 ms/);
    const fresh = channel();
    serveRelay(fresh.workerEnd, echo);
    relay.attach(fresh.serviceWorkerEnd);
    expect((await relay.fetch(new Request('https://s/api/v2/health/live'), '/v2/health/live')).status).toBe(201);
  });

  it('turns a handler that fails into a 500 that says so', async () => {
    const { serviceWorkerEnd, workerEnd } = channel();
    serveRelay(workerEnd, () => Promise.reject(new Error('model not loaded')));
    const relay = relayWith();
    relay.attach(serviceWorkerEnd);
    const response = await relay.fetch(new Request('https://s/api/x'), '/x');
    expect(response.status).toBe(500);
    expect((await response.json()).error).toBe('the lab could not answer: model not loaded');
  });

  it('keeps an empty answer empty (204)', async () => {
    const { serviceWorkerEnd, workerEnd } = channel();
    serveRelay(workerEnd, async () => new Response(null, { status: 204 }));
    const relay = relayWith();
    relay.attach(serviceWorkerEnd);
    const response = await relay.fetch(new Request('https://s/api/x', { method: 'DELETE' }), '/x');
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
  });
});
