// @ts-check
// The lab's contract test for an Open Inference Protocol (V2) server: every case is an HTTP request and what a
// conforming answer must hold. It runs against anything that answers a `Request` with a `Response`: the student's
// server in the lab's worker, through the preview's service worker, or over HTTP under Node (check.mjs). Plain
// JavaScript on purpose, like host.mjs: the same file runs in the browser and under Node 18+ without TypeScript.

/** @typedef {import('../../../src/labkit/serving/oip.ts').ModelMetadata} ModelMetadata */
/**
 * @typedef {object} ContractCase
 * @property {string} name
 * @property {'GET' | 'POST'} method
 * @property {string} path
 * @property {unknown} [body] a JSON value
 * @property {string} [raw] raw text, for a malformed body
 * @property {(status: number, body: unknown) => string | null} check what is wrong with the answer, or null when it conforms
 */
/**
 * @typedef {object} CaseOutcome
 * @property {string} name
 * @property {boolean} passed
 * @property {string} [message] what was wrong, for the student
 * @property {number} [status]
 */
/** @typedef {(request: Request) => Response | Promise<Response>} Fetch */

/** @param {unknown} v @returns {v is Record<string, unknown>} */
const isObject = (v) => !!v && typeof v === 'object' && !Array.isArray(v);

/** @param {number} expected */
function wantError(expected) {
  /** @param {number} status @param {unknown} body */
  return (status, body) => {
    if (status !== expected) return `expected HTTP ${expected}, got ${status}`;
    if (!isObject(body) || typeof body.error !== 'string' || !body.error) return 'an error answer must be JSON { "error": "<what is wrong>" }';
    return null;
  };
}

/** @param {string} field */
function wantTrue(field) {
  /** @param {number} status @param {unknown} body */
  return (status, body) => (status !== 200 ? `expected HTTP 200, got ${status}` : isObject(body) && body[field] === true ? null : `expected { "${field}": true }`);
}

/** @param {number} batch @param {string} [id] */
function checkOutputs(batch, id) {
  /** @param {number} status @param {unknown} body @returns {string | null} */
  return (status, body) => {
    if (status !== 200) return `expected HTTP 200, got ${status}${isObject(body) && typeof body.error === 'string' ? ` (${body.error})` : ''}`;
    if (!isObject(body) || !Array.isArray(body.outputs) || body.outputs.length !== 1) return 'the answer must hold "outputs", an array of one tensor';
    if (id !== undefined && body.id !== id) return `the answer must echo the request's "id" (${id})`;
    if (typeof body.model_name !== 'string') return 'the answer must name the model in "model_name"';
    const out = /** @type {Record<string, unknown>} */ (body.outputs[0]);
    if (out.datatype !== 'FP32') return 'outputs[0].datatype must be "FP32"';
    if (JSON.stringify(out.shape) !== JSON.stringify([batch, 10])) return `outputs[0].shape must be [${batch}, 10], got ${JSON.stringify(out.shape)}`;
    const data = out.data;
    if (!Array.isArray(data) || data.length !== batch * 10 || !data.every((v) => typeof v === 'number')) return `outputs[0].data must hold ${batch * 10} numbers`;
    for (let r = 0; r < batch; r++) {
      const sum = data.slice(r * 10, r * 10 + 10).reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 1) > 1e-3) return `row ${r} of the probabilities sums to ${sum.toFixed(4)}, not 1`;
    }
    return null;
  };
}

/**
 * A 28 × 28 image, row-major: a vertical bar, roughly a "1".
 * @returns {number[]}
 */
export function sampleImage() {
  return Array.from({ length: 784 }, (_, i) => (i % 28 >= 13 && i % 28 <= 15 && i >= 4 * 28 && i < 24 * 28 ? 1 : 0));
}

/**
 * The V2 request body for `rows` images, flat.
 * @param {ModelMetadata} model @param {number[][]} rows @param {string} [id]
 * @returns {unknown}
 */
export function inferBody(model, rows, id) {
  const input = model.inputs[0];
  return { ...(id ? { id } : {}), inputs: [{ name: input.name, datatype: input.datatype, shape: [rows.length, rows[0].length], data: rows.flat() }] };
}

/**
 * @param {ModelMetadata} model
 * @returns {ContractCase[]}
 */
export function contractCases(model) {
  const infer = `/v2/models/${model.name}/infer`;
  const input = model.inputs[0];
  const image = sampleImage();
  /** @param {Record<string, unknown>} over */
  const tensor = (over) => ({ inputs: [{ name: input.name, datatype: input.datatype, shape: [1, 784], data: image, ...over }] });
  return [
    { name: 'GET /v2/health/live answers { live: true }', method: 'GET', path: '/v2/health/live', check: wantTrue('live') },
    { name: 'GET /v2/health/ready answers { ready: true }', method: 'GET', path: '/v2/health/ready', check: wantTrue('ready') },
    {
      name: `GET /v2/models/${model.name} describes the model's input and output`,
      method: 'GET',
      path: `/v2/models/${model.name}`,
      /** @param {number} status @param {unknown} body */
      check: (status, body) => {
        if (status !== 200) return `expected HTTP 200, got ${status}`;
        if (!isObject(body) || body.name !== model.name) return `"name" must be "${model.name}"`;
        const inputs = /** @type {{ name?: unknown, datatype?: unknown, shape?: unknown }[] | undefined} */ (body.inputs);
        if (!Array.isArray(inputs) || inputs[0]?.name !== input.name || inputs[0]?.datatype !== input.datatype || JSON.stringify(inputs[0]?.shape) !== JSON.stringify(input.shape)) {
          return `"inputs" must describe ${JSON.stringify(input)}`;
        }
        if (!Array.isArray(body.outputs) || body.outputs.length === 0) return '"outputs" must describe the output tensor';
        return null;
      },
    },
    { name: `GET /v2/models/${model.name}/ready answers { ready: true }`, method: 'GET', path: `/v2/models/${model.name}/ready`, check: wantTrue('ready') },
    { name: 'an unknown model answers 404 with an error', method: 'GET', path: '/v2/models/no-such-model', check: wantError(404) },
    { name: 'infer on one image answers probabilities of shape [1, 10] and echoes the id', method: 'POST', path: infer, body: inferBody(model, [image], 'req-1'), check: checkOutputs(1, 'req-1') },
    { name: 'infer on a batch of three images answers shape [3, 10]', method: 'POST', path: infer, body: inferBody(model, [image, image.map((v) => 1 - v), image]), check: checkOutputs(3) },
    { name: 'a body that is not JSON answers 400', method: 'POST', path: infer, raw: '{"inputs": [', check: wantError(400) },
    { name: 'a body without "inputs" answers 400', method: 'POST', path: infer, body: { id: 'x' }, check: wantError(400) },
    { name: 'a wrong datatype (INT32) answers 400', method: 'POST', path: infer, body: tensor({ datatype: 'INT32' }), check: wantError(400) },
    { name: 'a shape the model does not take ([1, 28, 28]) answers 400', method: 'POST', path: infer, body: tensor({ shape: [1, 28, 28] }), check: wantError(400) },
    { name: 'data that does not fill the shape (10 values for [1, 784]) answers 400', method: 'POST', path: infer, body: tensor({ data: image.slice(0, 10) }), check: wantError(400) },
    { name: 'a value that is not a number answers 400', method: 'POST', path: infer, body: tensor({ data: ['a', ...image.slice(1)] }), check: wantError(400) },
    { name: 'a wrong input name answers 400', method: 'POST', path: infer, body: tensor({ name: 'image' }), check: wantError(400) },
  ];
}

/** The origin the contract's requests name; servers route on the path. */
export const ORIGIN = 'http://serving.lab';

/**
 * The Request a case sends.
 * @param {ContractCase} c
 */
export function caseRequest(c) {
  const body = c.raw ?? (c.body === undefined ? undefined : JSON.stringify(c.body));
  return new Request(`${ORIGIN}${c.path}`, { method: c.method, ...(body !== undefined ? { body, headers: { 'content-type': 'application/json' } } : {}) });
}

/**
 * Runs every case; a server that throws, or answers something that is not JSON, fails that case with the reason.
 * @param {Fetch} fetch @param {ModelMetadata} model
 * @returns {Promise<CaseOutcome[]>}
 */
export async function runContract(fetch, model) {
  /** @type {CaseOutcome[]} */
  const outcomes = [];
  for (const c of contractCases(model)) {
    try {
      const response = await fetch(caseRequest(c));
      const text = await response.text();
      let body;
      try {
        body = JSON.parse(text);
      } catch {
        outcomes.push({ name: c.name, passed: false, status: response.status, message: `the body is not JSON: ${JSON.stringify(text.slice(0, 80))}` });
        continue;
      }
      const problem = c.check(response.status, body);
      outcomes.push({ name: c.name, passed: problem === null, status: response.status, ...(problem ? { message: problem } : {}) });
    } catch (error) {
      outcomes.push({ name: c.name, passed: false, message: `the server failed: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  return outcomes;
}
