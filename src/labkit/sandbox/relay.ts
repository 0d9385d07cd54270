/**
 * HTTP over a MessagePort, between a lab's sandbox service worker and the Web Worker that runs the student's server.
 *
 * A page in the sandbox (the lab's preview) sends an ordinary `fetch`; the service worker that controls it turns the
 * Request into a message on a port whose other end the lab page handed to its worker; the worker answers with a
 * Response, which goes back the same way. Request and Response objects cannot cross postMessage, so both travel as
 * method, path, headers and a text body (the lab APIs speak JSON).
 *
 * A service worker is stopped when idle and forgets its port; the relay then asks the lab's pages for a new one and
 * waits a little. No port, or no answer in time, becomes an HTTP error that says why, so no request hangs.
 */

export interface RelayedRequest {
  id: number;
  method: string;
  /** The path and query the server sees (`/v2/health/live`): the URL below the sandbox's API root. */
  path: string;
  headers: [string, string][];
  body: string | null;
}

export interface RelayedResponse {
  id: number;
  status: number;
  headers: [string, string][];
  body: string;
}

/** What a port needs: a browser MessagePort, or Node's. */
export interface PortLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  start?(): void;
  close?(): void;
}

/** The origin the server sees in `request.url` (it routes on the path). */
export const RELAY_ORIGIN = 'http://sandbox.lab';

const problem = (status: number, message: string): Response =>
  new Response(JSON.stringify({ error: message }), { status, headers: { 'content-type': 'application/json', 'x-served-by': 'lab-sandbox' } });

const hasBody = (method: string) => method !== 'GET' && method !== 'HEAD';

/** The answer when no lab page serves the preview's requests. */
export const noServer = (): Response => problem(503, 'no server answers here: open the lab page and start your server (this preview reaches it through the lab page)');

/** The worker's side: answers every request arriving on `port` with `handle` (which must not throw). */
export function serveRelay(port: PortLike, handle: (request: Request) => Promise<Response>): void {
  port.addEventListener('message', ({ data }) => {
    const r = data as RelayedRequest;
    const request = new Request(`${RELAY_ORIGIN}${r.path}`, { method: r.method, headers: r.headers, ...(r.body !== null && hasBody(r.method) ? { body: r.body } : {}) });
    void handle(request)
      .then(async (response) => ({ id: r.id, status: response.status, headers: [...response.headers], body: await response.text() }))
      .catch((error: unknown) => ({ id: r.id, status: 500, headers: [['content-type', 'application/json']] as [string, string][], body: JSON.stringify({ error: `the lab could not answer: ${error instanceof Error ? error.message : String(error)}` }) }))
      .then((reply) => port.postMessage(reply satisfies RelayedResponse));
  });
  port.start?.();
}

export interface RelayOptions {
  /** Asks the lab's pages for a fresh port (after the service worker was stopped and started again). */
  askForPort(): void | Promise<void>;
  /** How long a request waits for a port before it is answered 503. */
  portWaitMs: number;
  /** How long a request waits for its answer before it is answered 504. */
  answerWaitMs: number;
}

/** The service worker's side: sends each request over the latest port and resolves with the worker's answer. */
export class Relay {
  private port: PortLike | null = null;
  private next = 1;
  private readonly pending = new Map<number, (response: RelayedResponse) => void>();
  private readonly waiting = new Set<() => void>();

  constructor(private readonly options: RelayOptions) {}

  /** Uses `port` from now on; requests still waiting on the old one are answered by their timeout. */
  attach(port: PortLike): void {
    this.port?.close?.();
    this.port = port;
    port.addEventListener('message', ({ data }) => {
      const reply = data as RelayedResponse;
      this.pending.get(reply.id)?.(reply);
    });
    port.start?.();
    for (const wake of this.waiting) wake();
    this.waiting.clear();
  }

  get connected(): boolean {
    return this.port !== null;
  }

  /** Answers `request` with the server; `path` is the URL below the API root, with its query. */
  async fetch(request: Request, path: string): Promise<Response> {
    const port = this.port ?? (await this.waitForPort());
    if (!port) return noServer();
    const id = this.next++;
    const message: RelayedRequest = { id, method: request.method, path, headers: [...request.headers], body: hasBody(request.method) ? await request.text() : null };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reply = await new Promise<RelayedResponse | null>((resolve) => {
      this.pending.set(id, resolve);
      timer = setTimeout(() => resolve(null), this.options.answerWaitMs);
      port.postMessage(message);
    });
    clearTimeout(timer);
    this.pending.delete(id);
    if (!reply) return problem(504, `the lab did not answer within ${this.options.answerWaitMs} ms: is the lab page still open, and is a long job running?`);
    return new Response(reply.status === 204 || reply.status === 304 ? null : reply.body, { status: reply.status, headers: reply.headers });
  }

  private async waitForPort(): Promise<PortLike | null> {
    let wake = () => undefined as void;
    const attached = new Promise<void>((resolve) => (wake = resolve));
    this.waiting.add(wake);
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await this.options.askForPort();
      await Promise.race([attached, new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.portWaitMs)))]);
    } finally {
      clearTimeout(timer);
      this.waiting.delete(wake);
    }
    return this.port;
  }
}
