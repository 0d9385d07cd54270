// A model server on the Open Inference Protocol (V2), written against Web-standard Request and Response only, so the
// same file runs wherever a `fetch(request, env)` handler runs: the lab's Web Worker, Node 18+ (the lab's unit test),
// Deno, Bun or Cloudflare Workers. `env.model` is the model the host loaded: `env.model.metadata` describes it and
// `env.model.predict(values, batch)` returns the output tensor's values (a Float32Array of batch × 10).

const json = (body, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const error = (message, status = 400) => json({ error: message }, status);

/** Flattens nested arrays in row-major order. */
function flatten(data, out = []) {
  if (Array.isArray(data)) for (const d of data) flatten(d, out);
  else out.push(data);
  return out;
}

/** Checks a V2 inference request against the model's one input; returns { id, batch, values } or an error message. */
function parseInfer(body, metadata) {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { problem: 'the body must be a JSON object with "inputs"' };
  if (body.id !== undefined && typeof body.id !== 'string') return { problem: '"id" must be a string' };
  const { inputs } = body;
  if (!Array.isArray(inputs) || inputs.length !== 1) return { problem: '"inputs" must be an array of exactly one tensor' };
  const declared = metadata.inputs[0];
  const input = inputs[0];
  if (!input || typeof input !== 'object') return { problem: 'inputs[0] must be an object' };
  if (input.name !== declared.name) return { problem: `inputs[0].name must be "${declared.name}"` };
  if (input.datatype !== declared.datatype) return { problem: `inputs[0].datatype must be "${declared.datatype}", got ${JSON.stringify(input.datatype)}` };
  const shape = input.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 1)) return { problem: 'inputs[0].shape must be an array of whole numbers ≥ 1' };
  const fits = shape.length === declared.shape.length && shape.every((d, i) => declared.shape[i] === -1 || declared.shape[i] === d);
  if (!fits) return { problem: `inputs[0].shape ${JSON.stringify(shape)} does not fit the model's ${JSON.stringify(declared.shape)}` };
  const size = shape.reduce((a, b) => a * b, 1);
  const flat = flatten(input.data);
  if (flat.length !== size) return { problem: `inputs[0].data has ${flat.length} elements, shape ${JSON.stringify(shape)} needs ${size}` };
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    if (typeof flat[i] !== 'number' || !Number.isFinite(flat[i])) return { problem: `inputs[0].data[${i}] must be a finite number` };
    values[i] = flat[i];
  }
  return { id: body.id, batch: shape[0], values };
}

async function infer(request, model) {
  let body;
  try {
    body = await request.json();
  } catch {
    return error('the body is not valid JSON');
  }
  const parsed = parseInfer(body, model.metadata);
  if (parsed.problem) return error(parsed.problem);
  const output = await model.predict(parsed.values, parsed.batch);
  const declared = model.metadata.outputs[0];
  return json({
    model_name: model.metadata.name,
    model_version: model.metadata.versions[0],
    ...(parsed.id !== undefined ? { id: parsed.id } : {}),
    outputs: [{ name: declared.name, datatype: declared.datatype, shape: [parsed.batch, output.length / parsed.batch], data: Array.from(output) }],
  });
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    const model = env.model;
    if (request.method === 'GET' && pathname === '/v2/health/live') return json({ live: true });
    if (request.method === 'GET' && pathname === '/v2/health/ready') return json({ ready: true });
    const route = pathname.match(/^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/ready|\/infer)?$/);
    if (!route) return error(`no route for ${request.method} ${pathname}`, 404);
    const [, name, version, action] = route;
    if (name !== model.metadata.name || (version && !model.metadata.versions.includes(version))) return error(`model "${name}" is not served here`, 404);
    if (request.method === 'GET' && !action) return json(model.metadata);
    if (request.method === 'GET' && action === '/ready') return json({ name, ready: true });
    if (request.method === 'POST' && action === '/infer') return infer(request, model);
    return error(`${request.method} is not allowed on ${pathname}`, 405);
  },
};
