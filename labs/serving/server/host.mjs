// @ts-check
// What hosts a student's server file: it loads the module, checks it exports a `fetch(request, env)` handler (the
// shape of a Hono app, Cloudflare Workers and Deno's `export default { fetch }`), gives it the model in `env`, and
// turns a handler that throws or takes too long into an HTTP answer that says so, so nothing hangs. Plain JavaScript
// on purpose: the lab's Web Worker and `serve.mjs` under Node (18 or later, no TypeScript) host the same file with it.

/** @typedef {import('../../../src/labkit/serving/oip.ts').ModelMetadata} ModelMetadata */
/**
 * @typedef {object} HostedModel
 * @property {ModelMetadata} metadata
 * @property {(values: Float32Array, batch: number) => Promise<Float32Array>} predict
 */
/** @typedef {{ model: HostedModel }} ServerEnv */
/**
 * @typedef {object} ServerModule
 * @property {(request: Request, env: ServerEnv) => Response | Promise<Response>} fetch
 */

/** How long the host waits for the handler before answering 504. */
export const HANDLER_TIMEOUT_MS = 5_000;

/**
 * @param {ModelMetadata} metadata
 * @param {HostedModel['predict']} predict
 * @returns {HostedModel}
 */
export function hostModel(metadata, predict) {
  return { metadata, predict };
}

/** @param {unknown} error */
const describe = (error) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/**
 * Loads a server module; the error says what is wrong with it.
 * @param {string} specifier what `importModule` imports: the module's source in the browser, its file URL in Node
 * @param {(specifier: string) => Promise<Record<string, unknown>>} importModule
 * @returns {Promise<ServerModule>}
 */
export async function loadServer(specifier, importModule) {
  let mod;
  try {
    mod = await importModule(specifier);
  } catch (error) {
    throw new Error(`your server does not load: ${describe(error)}`);
  }
  const handler = /** @type {{ fetch?: unknown } | undefined} */ (mod.default);
  const fetch = handler?.fetch;
  if (typeof fetch !== 'function') throw new Error('your server must end with `export default { fetch(request, env) { … } }` (or export a Hono app as default)');
  return { fetch: (request, env) => fetch.call(handler, request, env) };
}

/**
 * An answer of the host itself, not of the student's handler.
 * @param {number} status
 * @param {string} message
 */
export const problem = (status, message) => new Response(JSON.stringify({ error: message }), { status, headers: { 'content-type': 'application/json', 'x-served-by': 'lab-host' } });

/**
 * Answers one request with the server: a throw becomes 500 with the error's message, an answer that is not a
 * Response becomes 500, and no answer within `timeoutMs` becomes 504 (the handler keeps running, its answer is dropped).
 * @param {ServerModule} server
 * @param {ServerEnv} env
 * @param {Request} request
 * @param {number} [timeoutMs]
 * @returns {Promise<Response>}
 */
export async function answer(server, env, request, timeoutMs = HANDLER_TIMEOUT_MS) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @type {Promise<Response>} */
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve(problem(504, `the server did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const handled = Promise.resolve()
      .then(() => server.fetch(request, env))
      .then((r) => (r instanceof Response ? r : problem(500, `the handler returned ${r === undefined ? 'nothing' : typeof r}, not a Response`)))
      .catch((error) => problem(500, `the server threw ${describe(error)}`));
    return await Promise.race([handled, late]);
  } finally {
    clearTimeout(timer);
  }
}
