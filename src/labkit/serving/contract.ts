/**
 * The lab's contract test for an Open Inference Protocol (V2) server: every case is an HTTP request and what a
 * conforming answer must hold. It runs against anything that answers a `Request` with a `Response`: the student's
 * server in the lab's worker, or the same file under Node (labs/serving/server.test.ts).
 */
import type { ModelMetadata } from './oip.ts';

export interface ContractCase {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  /** A JSON value, or raw text for a malformed body. */
  body?: unknown;
  raw?: string;
  /** What is wrong with the answer, or null when it conforms. */
  check(status: number, body: unknown): string | null;
}

export interface CaseOutcome {
  name: string;
  passed: boolean;
  /** What was wrong, for the student. */
  message?: string;
  status?: number;
}

type Fetch = (request: Request) => Response | Promise<Response>;

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function wantError(expected: number) {
  return (status: number, body: unknown) => {
    if (status !== expected) return `expected HTTP ${expected}, got ${status}`;
    if (!isObject(body) || typeof body.error !== 'string' || !body.error) return 'an error answer must be JSON { "error": "<what is wrong>" }';
    return null;
  };
}

function wantTrue(field: string) {
  return (status: number, body: unknown) => (status !== 200 ? `expected HTTP 200, got ${status}` : isObject(body) && body[field] === true ? null : `expected { "${field}": true }`);
}

function checkOutputs(batch: number, id?: string) {
  return (status: number, body: unknown): string | null => {
    if (status !== 200) return `expected HTTP 200, got ${status}${isObject(body) && typeof body.error === 'string' ? ` (${body.error})` : ''}`;
    if (!isObject(body) || !Array.isArray(body.outputs) || body.outputs.length !== 1) return 'the answer must hold "outputs", an array of one tensor';
    if (id !== undefined && body.id !== id) return `the answer must echo the request's "id" (${id})`;
    if (typeof body.model_name !== 'string') return 'the answer must name the model in "model_name"';
    const out = body.outputs[0] as Record<string, unknown>;
    if (out.datatype !== 'FP32') return 'outputs[0].datatype must be "FP32"';
    if (JSON.stringify(out.shape) !== JSON.stringify([batch, 10])) return `outputs[0].shape must be [${batch}, 10], got ${JSON.stringify(out.shape)}`;
    const data = out.data;
    if (!Array.isArray(data) || data.length !== batch * 10 || !data.every((v) => typeof v === 'number')) return `outputs[0].data must hold ${batch * 10} numbers`;
    for (let r = 0; r < batch; r++) {
      const sum = (data as number[]).slice(r * 10, r * 10 + 10).reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 1) > 1e-3) return `row ${r} of the probabilities sums to ${sum.toFixed(4)}, not 1`;
    }
    return null;
  };
}

/** A 28 × 28 image, row-major: a vertical bar, roughly a "1". */
export function sampleImage(): number[] {
  return Array.from({ length: 784 }, (_, i) => (i % 28 >= 13 && i % 28 <= 15 && i >= 4 * 28 && i < 24 * 28 ? 1 : 0));
}

/** The V2 request body for `rows` images, flat. */
export function inferBody(model: ModelMetadata, rows: number[][], id?: string): unknown {
  const input = model.inputs[0]!;
  return { ...(id ? { id } : {}), inputs: [{ name: input.name, datatype: input.datatype, shape: [rows.length, rows[0]!.length], data: rows.flat() }] };
}

export function contractCases(model: ModelMetadata): ContractCase[] {
  const infer = `/v2/models/${model.name}/infer`;
  const input = model.inputs[0]!;
  const image = sampleImage();
  const tensor = (over: Record<string, unknown>) => ({ inputs: [{ name: input.name, datatype: input.datatype, shape: [1, 784], data: image, ...over }] });
  return [
    { name: 'GET /v2/health/live answers { live: true }', method: 'GET', path: '/v2/health/live', check: wantTrue('live') },
    { name: 'GET /v2/health/ready answers { ready: true }', method: 'GET', path: '/v2/health/ready', check: wantTrue('ready') },
    {
      name: `GET /v2/models/${model.name} describes the model's input and output`,
      method: 'GET',
      path: `/v2/models/${model.name}`,
      check: (status, body) => {
        if (status !== 200) return `expected HTTP 200, got ${status}`;
        if (!isObject(body) || body.name !== model.name) return `"name" must be "${model.name}"`;
        const inputs = body.inputs as TensorLike[] | undefined;
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

interface TensorLike {
  name?: unknown;
  datatype?: unknown;
  shape?: unknown;
}

export const ORIGIN = 'http://serving.lab';

/** The Request a case sends. */
export function caseRequest(c: ContractCase): Request {
  const body = c.raw ?? (c.body === undefined ? undefined : JSON.stringify(c.body));
  return new Request(`${ORIGIN}${c.path}`, { method: c.method, ...(body !== undefined ? { body, headers: { 'content-type': 'application/json' } } : {}) });
}

/** Runs every case; a server that throws, or answers something that is not JSON, fails that case with the reason. */
export async function runContract(fetch: Fetch, model: ModelMetadata): Promise<CaseOutcome[]> {
  const outcomes: CaseOutcome[] = [];
  for (const c of contractCases(model)) {
    try {
      const response = await fetch(caseRequest(c));
      const text = await response.text();
      let body: unknown;
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
