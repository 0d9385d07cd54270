#!/usr/bin/env node
// @ts-check
// Runs the lab's contract test over HTTP against a running server (serve.mjs, or any server of your own):
//
//   node check.mjs [http://localhost:8080] [--json]
//
// Prints one line per case (or, with --json, the outcomes as JSON on one line) and exits 0 when every case passes,
// 1 when one fails, and 2 when nothing answers at the address. Each request may take 10 s at most, so a server that
// accepts connections but never answers fails its cases instead of hanging.

import { parseArgs } from 'node:util';
import { caseRequest, contractCases, runContract } from './contract.mjs';
import { DENSE_MNIST } from './mnist-dense.mjs';

const REQUEST_TIMEOUT_MS = 10_000;

/** @param {string[]} argv */
function options(argv) {
  const usage = 'usage: node check.mjs [http://localhost:8080] [--json]';
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' } } });
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message.split(/\.(?:\s|$)/)[0] : String(error)}; ${usage}`);
  }
  const [address = 'http://localhost:8080', ...extra] = parsed.positionals;
  if (extra.length) throw new Error(`one address only; ${usage}`);
  let base;
  try {
    base = new URL(address);
  } catch {
    throw new Error(`"${address}" is not a URL; ${usage}`);
  }
  return { base, json: parsed.values.json === true };
}

/**
 * The case's request sent to the server at `base` (the path below it).
 * @param {URL} base
 * @returns {(request: Request) => Promise<Response>}
 */
const over = (base) => async (request) => {
  const { pathname, search } = new URL(request.url);
  const body = request.method === 'GET' ? undefined : await request.text();
  return fetch(new URL(`${base.pathname.replace(/\/$/, '')}${pathname}${search}`, base), { method: request.method, headers: request.headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
};

/** @param {unknown} error */
function unreachable(error) {
  const cause = /** @type {{ cause?: { code?: string } }} */ (error).cause;
  return cause?.code === 'ECONNREFUSED' || cause?.code === 'ENOTFOUND' || cause?.code === 'EAI_AGAIN';
}

async function main() {
  let settings;
  try {
    settings = options(process.argv.slice(2));
  } catch (error) {
    console.error(`check.mjs: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const send = over(settings.base);
  try {
    await send(caseRequest(contractCases(DENSE_MNIST)[0]));
  } catch (error) {
    if (unreachable(error)) {
      console.error(`check.mjs: nothing answers at ${settings.base.href}: is your server running (node serve.mjs server.mjs)?`);
      return 2;
    }
  }
  const outcomes = await runContract(send, DENSE_MNIST);
  if (settings.json) console.log(JSON.stringify(outcomes));
  else {
    for (const o of outcomes) console.log(`${o.passed ? '✓' : '✗'} ${o.name}${o.passed ? '' : ` (${o.status !== undefined ? `HTTP ${o.status}: ` : ''}${o.message})`}`);
    console.log(`${outcomes.filter((o) => o.passed).length} of ${outcomes.length} cases pass`);
  }
  return outcomes.every((o) => o.passed) ? 0 : 1;
}

process.exitCode = await main();
