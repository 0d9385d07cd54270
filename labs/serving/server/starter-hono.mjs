// Your model server on the Open Inference Protocol (V2), written with Hono, a web framework on Web-standard Request
// and Response: a Hono app is itself a `fetch(request, env)` handler, so the same file runs in the lab's Web Worker
// (which bundles Hono) and under Node (`npm i hono`). The model is `c.env.model`: `metadata` describes it and
// `predict(values, batch)` runs it (values: a Float32Array of batch × 784 pixels; the answer: batch × 10
// probabilities).
//
// Health, readiness and metadata are done. Finish the infer route: every request that does not fit the model must get
// HTTP 400 with a JSON body { "error": "<what is wrong>" } instead of a crash or a wrong answer. Run the contract test
// to see which cases still fail.
import { Hono } from 'hono';

const app = new Hono();

app.get('/v2/health/live', (c) => c.json({ live: true }));
app.get('/v2/health/ready', (c) => c.json({ ready: true }));

// Every /v2/models/<name>/… route first checks that it names the model served here.
app.use('/v2/models/:name/*', async (c, next) => {
  const { metadata } = c.env.model;
  if (c.req.param('name') !== metadata.name) return c.json({ error: `model "${c.req.param('name')}" is not served here` }, 404);
  await next();
});
app.get('/v2/models/:name', (c) => (c.req.param('name') === c.env.model.metadata.name ? c.json(c.env.model.metadata) : c.json({ error: `model "${c.req.param('name')}" is not served here` }, 404)));
app.get('/v2/models/:name/ready', (c) => c.json({ name: c.req.param('name'), ready: true }));

app.post('/v2/models/:name/infer', async (c) => {
  const model = c.env.model;
  // TODO: a body that is not JSON must answer 400, not throw.
  const body = await c.req.json();
  // TODO: check "inputs" (one tensor), its name, datatype ("FP32") and shape ([batch, 784]), and that "data" holds
  // exactly batch × 784 finite numbers (flat, or nested row by row).
  const input = body.inputs[0];
  const batch = input.shape[0];
  const values = Float32Array.from(input.data.flat(Infinity));
  const output = await model.predict(values, batch);
  const declared = model.metadata.outputs[0];
  return c.json({
    model_name: model.metadata.name,
    model_version: model.metadata.versions[0],
    ...(body.id !== undefined ? { id: body.id } : {}),
    outputs: [{ name: declared.name, datatype: declared.datatype, shape: [batch, output.length / batch], data: Array.from(output) }],
  });
});

app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404));
// Hono answers a handler that throws with a plain-text 500; this says what was thrown, as JSON.
app.onError((err, c) => c.json({ error: `the server threw ${err.name}: ${err.message}` }, 500));

export default app;
