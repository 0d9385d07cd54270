#!/usr/bin/env node
// @ts-check
// Serves a serving-lab server file over real HTTP under Node 18 or later:
//
//   node serve.mjs <server-file> [--port 8080] [--model <folder with model.json>]
//
// The same file the lab runs in its Web Worker, hosted by the same host.mjs (the same 500 and 504 answers), with the
// same model: the dense MNIST classifier on TensorFlow.js, here on its pure-JavaScript CPU backend (no native add-on,
// no wasm), read from model.json and its weight files on disk. node:http carries the requests: each Node request
// becomes a Web-standard Request (method, headers, body; the URL is the request's path on http://localhost:<port>),
// and the handler's Response goes back as status, headers and body. Nothing else is needed but `@tensorflow/tfjs`.

import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { answer, loadServer, problem } from './host.mjs';
import { DENSE_MNIST, hostDenseMnist } from './mnist-dense.mjs';

/** The course's own copy of the model, when this file runs from a clone of the course repository. */
const COURSE_MODEL = fileURLToPath(new URL('../../../public/models/dense/', import.meta.url));
const USAGE = 'usage: node serve.mjs <server-file> [--port 8080] [--model <folder with model.json>]';

/** Something the person at the terminal must fix: printed as one line, without a stack. */
class Refusal extends Error {}

/** @param {unknown} error */
const reason = (error) => (error instanceof Error ? error.message : String(error));

/** @param {string[]} argv */
function options(argv) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { port: { type: 'string' }, model: { type: 'string' } } });
  } catch (error) {
    throw new Refusal(`${reason(error).split(/\.(?:\s|$)/)[0]}; ${USAGE}`);
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length) throw new Refusal(USAGE);
  // Defaults set here, not in parseArgs: its `default` needs Node 18.11.
  const { port: portText = '8080', model = COURSE_MODEL } = parsed.values;
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new Refusal(`--port must be a whole number from 0 to 65535, got ${JSON.stringify(portText)}`);
  return { file: resolve(file), port, modelDir: resolve(model) };
}

/** @param {string} file */
async function server(file) {
  if (!existsSync(file)) throw new Refusal(`no server file at ${file}`);
  try {
    return await loadServer(pathToFileURL(file).href, (url) => import(url));
  } catch (error) {
    throw new Refusal(`${file}: ${reason(error)}`);
  }
}

async function tfjs() {
  let tf;
  try {
    tf = await import('@tensorflow/tfjs');
  } catch (error) {
    const missing = error instanceof Error && 'code' in error && error.code === 'ERR_MODULE_NOT_FOUND';
    throw missing ? new Refusal('TensorFlow.js is not installed here: run `npm i @tensorflow/tfjs` next to serve.mjs') : error;
  }
  // Production mode only silences the CPU backend's advice, on its first tensor, to install tfjs-node instead.
  tf.enableProdMode();
  await tf.setBackend('cpu');
  return tf;
}

/** @param {Buffer} bytes */
const arrayBuffer = (bytes) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);

/**
 * A tfjs layers model from a folder: model.json and the weight files its manifest names, in the manifest's order.
 * @param {typeof import('@tensorflow/tfjs')} tf
 * @param {string} dir
 */
async function loadModel(tf, dir) {
  const path = join(dir, 'model.json');
  if (!existsSync(path)) throw new Refusal(`no model at ${path}: pass --model <folder with model.json and its weight files>`);
  let json;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Refusal(`${path} is not JSON: ${reason(error)}`);
  }
  /** @type {import('@tensorflow/tfjs').io.WeightsManifestConfig} */
  const manifest = json?.weightsManifest;
  if (!json?.modelTopology || !Array.isArray(manifest)) throw new Refusal(`${path} is not a TensorFlow.js layers model (it needs "modelTopology" and "weightsManifest")`);
  const files = manifest.flatMap((group) => group.paths);
  const missing = files.find((file) => !existsSync(join(dir, file)));
  if (missing) throw new Refusal(`the weight file ${missing} that ${path} names is not in ${dir}`);
  const weightData = (await Promise.all(files.map((file) => readFile(join(dir, file))))).map(arrayBuffer);
  let model;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: manifest.flatMap((group) => group.weights), weightData }));
  } catch (error) {
    throw new Refusal(`the model in ${dir} does not load: ${reason(error)}`);
  }
  const shapes = `${JSON.stringify(model.inputs[0]?.shape)} → ${JSON.stringify(model.outputs[0]?.shape)}`;
  if (shapes !== '[null,784] → [null,10]') throw new Refusal(`the model in ${dir} maps ${shapes}; ${DENSE_MNIST.name} takes [batch, 784] pixels to [batch, 10] classes`);
  return model;
}

/**
 * Node's request as a Web-standard Request.
 * @param {import('node:http').IncomingMessage} req
 * @param {string} origin
 */
async function toRequest(req, origin) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(/** @type {string} */ (req.rawHeaders[i]), /** @type {string} */ (req.rawHeaders[i + 1]));
  const method = req.method ?? 'GET';
  const body = method === 'GET' || method === 'HEAD' || !chunks.length ? undefined : Buffer.concat(chunks);
  return new Request(new URL(req.url ?? '/', origin), { method, headers, body });
}

/**
 * A Response onto Node's response.
 * @param {Response} response
 * @param {import('node:http').ServerResponse} res
 */
async function send(response, res) {
  const body = Buffer.from(await response.arrayBuffer());
  /** @type {Record<string, string[]>} */
  const headers = {};
  response.headers.forEach((value, name) => (headers[name] ??= []).push(value));
  if (!headers['content-length'] && response.status !== 204 && response.status !== 304) headers['content-length'] = [String(body.length)];
  res.writeHead(response.status, headers);
  res.end(body);
}

/**
 * Listens on the port, or refuses with what holds it.
 * @param {import('node:http').Server} http
 * @param {number} port
 * @returns {Promise<number>} the port it listens on
 */
function listen(http, port) {
  return new Promise((resolve, reject) => {
    /** @param {NodeJS.ErrnoException} error */
    const refuse = (error) => {
      if (error.code === 'EADDRINUSE') reject(new Refusal(`port ${port} is already in use: stop what listens there, or pick another port with --port`));
      else if (error.code === 'EACCES') reject(new Refusal(`port ${port} needs privileges on this machine: pick one above 1023 with --port`));
      else reject(error);
    };
    http.once('error', refuse);
    http.listen(port, () => {
      http.off('error', refuse);
      resolve(/** @type {import('node:net').AddressInfo} */ (http.address()).port);
    });
  });
}

/** @param {string[]} argv */
async function main(argv) {
  const { file, port, modelDir } = options(argv);
  const handler = await server(file);
  const tf = await tfjs();
  const env = { model: hostDenseMnist(tf, await loadModel(tf, modelDir)) };
  let origin = '';
  const http = createServer((req, res) => {
    toRequest(req, origin)
      .then(
        (request) => answer(handler, env, request),
        (error) => problem(400, `the request could not be read: ${reason(error)}`),
      )
      .then((response) => send(response, res))
      // The handler's Response itself failed (a body stream that errors): say so, as the host does for a throw.
      .catch((error) => send(problem(500, `the response could not be sent: ${reason(error)}`), res))
      .catch(() => res.destroy());
  });
  const actual = await listen(http, port);
  origin = `http://localhost:${actual}`;
  console.log(`listening on ${origin}`);
  const stop = () => {
    http.close(() => process.exit(0));
    http.closeAllConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((error) => {
  if (!(error instanceof Refusal)) throw error;
  console.error(`serve.mjs: ${error.message}`);
  process.exit(1);
});
