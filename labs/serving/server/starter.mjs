// Your model server on the Open Inference Protocol (V2). It uses Web-standard Request and Response only, so the same
// file runs in the lab's Web Worker and under Node. `env.model.metadata` describes the model (name, versions, inputs,
// outputs) and `env.model.predict(values, batch)` runs it: values is a Float32Array of batch × 784 pixels, the answer
// a Float32Array of batch × 10 probabilities.
//
// Health, readiness and metadata are done. Finish `infer`: every request that does not fit the model must get HTTP
// 400 with a JSON body { "error": "<what is wrong>" } instead of a crash or a wrong answer. Run the contract test to
// see which cases still fail.

const json = (body, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const error = (message, status = 400) => json({ error: message }, status);

async function infer(request, model) {
  // TODO: a body that is not JSON must answer 400, not throw.
  const body = await request.json();
  // TODO: check "inputs" (one tensor), its name, datatype ("FP32") and shape ([batch, 784]), and that "data" holds
  // exactly batch × 784 finite numbers (flat, or nested row by row).
  const input = body.inputs[0];
  const batch = input.shape[0];
  const values = Float32Array.from(input.data.flat(Infinity));
  const output = await model.predict(values, batch);
  const declared = model.metadata.outputs[0];
  return json({
    model_name: model.metadata.name,
    model_version: model.metadata.versions[0],
    ...(body.id !== undefined ? { id: body.id } : {}),
    outputs: [{ name: declared.name, datatype: declared.datatype, shape: [batch, output.length / batch], data: Array.from(output) }],
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
