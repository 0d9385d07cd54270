/**
 * What hosts a student's server file: it loads the module, checks it exports a `fetch(request, env)` handler (the
 * shape of a Hono app, Cloudflare Workers and Deno's `export default { fetch }`), gives it the model in `env`, and
 * turns a handler that throws or takes too long into an HTTP answer that says so, so nothing hangs.
 */
import type { ModelMetadata } from '../../src/labkit/serving/oip.ts';

export interface HostedModel {
  metadata: ModelMetadata;
  predict(values: Float32Array, batch: number): Promise<Float32Array>;
}

export interface ServerModule {
  fetch(request: Request, env: { model: HostedModel }): Response | Promise<Response>;
}

export function hostModel(metadata: ModelMetadata, predict: HostedModel['predict']): HostedModel {
  return { metadata, predict };
}

/** Loads a server module from its source; the error says what is wrong with it. */
export async function loadServer(source: string, importSource: (source: string) => Promise<Record<string, unknown>>): Promise<ServerModule> {
  let mod: Record<string, unknown>;
  try {
    mod = await importSource(source);
  } catch (error) {
    throw new Error(`your server does not load: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
  const handler = mod.default as { fetch?: unknown } | undefined;
  if (!handler || typeof handler.fetch !== 'function') throw new Error('your server must end with `export default { fetch(request, env) { … } }` (or export a Hono app as default)');
  return { fetch: (request, env) => (handler.fetch as ServerModule['fetch']).call(handler, request, env) };
}

const problem = (status: number, message: string) => new Response(JSON.stringify({ error: message }), { status, headers: { 'content-type': 'application/json', 'x-served-by': 'lab-host' } });

/**
 * Answers one request with the server: a throw becomes 500 with the error's message, an answer that is not a
 * Response becomes 500, and no answer within `timeoutMs` becomes 504 (the handler keeps running, its answer is dropped).
 */
export async function answer(server: ServerModule, env: { model: HostedModel }, request: Request, timeoutMs: number): Promise<Response> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<Response>((resolve) => {
    timer = setTimeout(() => resolve(problem(504, `the server did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const handled = Promise.resolve()
      .then(() => server.fetch(request, env))
      .then((r) => (r instanceof Response ? r : problem(500, `the handler returned ${r === undefined ? 'nothing' : typeof r}, not a Response`)))
      .catch((error: unknown) => problem(500, `the server threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`));
    return await Promise.race([handled, late]);
  } finally {
    clearTimeout(timer);
  }
}
