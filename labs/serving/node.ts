/**
 * The student's server file under a real Node.js in the page (WebContainers): the project the lab mounts (the server
 * file beside serve.mjs, host.mjs, mnist-dense.mjs, contract.mjs and check.mjs, the model's files, and a package.json
 * that asks for @tensorflow/tfjs), then `npm install`, `node serve.mjs server.mjs`, and `node check.mjs`, which runs
 * the contract test over HTTP inside the container. These are the commands a student types on their own machine.
 *
 * Framework-free: the lab view calls it with a booted WebContainer; the tests call it with a stand-in that runs the
 * same commands with this machine's Node.
 */
import { toTree, type ProcessLike, type WebContainerLike } from '../../src/labkit/runtime/webcontainer.ts';
import type { CaseOutcome } from './server/contract.mjs';
import { dependencies } from '../../package.json';

/** The port the server listens on inside the container. */
export const NODE_PORT = 3000;
/** How long `npm install` and the server's start may take (npm fetches tfjs from the registry). */
export const INSTALL_LIMIT_MS = 180_000;
export const LISTEN_LIMIT_MS = 60_000;
export const CHECK_LIMIT_MS = 60_000;

/** The files of the server folder the project needs, as text (Vite reads them; Vitest too). */
const LIBRARY = import.meta.glob<string>(['./server/serve.mjs', './server/host.mjs', './server/mnist-dense.mjs', './server/contract.mjs', './server/check.mjs'], { query: '?raw', import: 'default' });

/** tfjs, and Hono for a server written with it, as the course's package.json has them: the libraries the lab runs. */
export const NODE_DEPENDENCIES = { '@tensorflow/tfjs': dependencies['@tensorflow/tfjs'], hono: dependencies.hono };

/**
 * The project to mount: `readAsset(path)` reads a file of the site (`models/dense/model.json`) as bytes.
 */
export async function nodeProject(serverSource: string, readAsset: (path: string) => Promise<Uint8Array>): Promise<Record<string, string | Uint8Array>> {
  const files: Record<string, string | Uint8Array> = {
    'package.json': JSON.stringify({ name: 'serving-lab', private: true, type: 'module', dependencies: NODE_DEPENDENCIES }, null, 2),
    'server.mjs': serverSource,
  };
  for (const [path, load] of Object.entries(LIBRARY)) files[path.slice('./server/'.length)] = await load();
  const modelJson = await readAsset('models/dense/model.json');
  files['model/model.json'] = modelJson;
  const manifest = JSON.parse(new TextDecoder().decode(modelJson)) as { weightsManifest: { paths: string[] }[] };
  for (const path of manifest.weightsManifest.flatMap((group) => group.paths)) files[`model/${path}`] = await readAsset(`models/dense/${path}`);
  return files;
}

/** Terminal colours and cursor moves out of a process's output. */
// eslint-disable-next-line no-control-regex -- ANSI escapes start with ESC
const plain = (text: string) => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r(?!\n)/g, '\n');

/** Reads a process's output, passing each chunk on; resolves with all of it when the output ends. */
function collect(process: ProcessLike, onText: (text: string) => void): Promise<string> {
  let all = '';
  return process.output
    .pipeTo(
      new WritableStream({
        write(chunk) {
          const text = plain(chunk);
          all += text;
          onText(text);
        },
      }),
    )
    .then(
      () => all,
      () => all,
    );
}

const lastLine = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter((line) => line.trim())
    .at(-1) ?? '';

function limit<T>(work: Promise<T>, ms: number, what: string, onLate: () => void): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onLate();
      reject(new Error(`${what} did not finish within ${ms / 1000} s`));
    }, ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

export interface NodeServer {
  /** Where the page can reach the server (WebContainers' preview URL), when the container says. */
  url: string | null;
  outcomes: CaseOutcome[];
  /** Stops the server. */
  stop(): void;
}

/**
 * Mounts the project, installs it, starts the server and runs the contract test against it. `log` receives the
 * commands and their output as they come. Every step has a time limit and every failure says which step and why.
 */
export async function runInNode(wc: WebContainerLike, files: Record<string, string | Uint8Array>, log: (text: string) => void, port = NODE_PORT): Promise<NodeServer> {
  await wc.mount(toTree(files));

  log('$ npm install\n');
  const install = await wc.spawn('npm', ['install', '--no-audit', '--no-fund']);
  const installed = collect(install, log);
  const installCode = await limit(install.exit, INSTALL_LIMIT_MS, 'npm install', () => install.kill());
  if (installCode !== 0) throw new Error(`npm install failed with exit code ${installCode}: ${lastLine(await installed) || 'see the log'}. WebContainers fetch packages from the npm registry, so it needs the internet.`);

  log(`$ node serve.mjs server.mjs --port ${port} --model model\n`);
  let url: string | null = null;
  const ready = new Promise<void>((resolve) => {
    const off = wc.on?.('server-ready', (readyPort, at) => {
      if (readyPort !== port) return;
      url = at;
      off?.();
      resolve();
    });
    if (!off) resolve();
  });
  const server = await wc.spawn('node', ['serve.mjs', 'server.mjs', '--port', String(port), '--model', 'model']);
  let heard = '';
  const listening = new Promise<void>((resolve) => {
    void collect(server, (text) => {
      log(text);
      heard += text;
      if (/^listening on /m.test(heard)) resolve();
    });
  });
  const ended = server.exit.then((code) => {
    throw new Error(`the server stopped before it listened (exit code ${code}): ${lastLine(heard) || 'it printed nothing'}`);
  });
  ended.catch(() => undefined);
  try {
    await limit(Promise.race([Promise.all([listening, ready]), ended]), LISTEN_LIMIT_MS, 'the server’s start', () => server.kill());
  } catch (error) {
    server.kill();
    throw error;
  }

  log(`$ node check.mjs http://localhost:${port} --json\n`);
  const check = await wc.spawn('node', ['check.mjs', `http://localhost:${port}`, '--json']);
  const checked = collect(check, () => undefined);
  const checkCode = await limit(check.exit, CHECK_LIMIT_MS, 'the contract test', () => check.kill());
  const output = await checked;
  if (checkCode === 2) {
    server.kill();
    throw new Error(`the contract test could not reach the server: ${lastLine(output)}`);
  }
  let outcomes: CaseOutcome[];
  try {
    outcomes = JSON.parse(lastLine(output)) as CaseOutcome[];
  } catch {
    server.kill();
    throw new Error(`the contract test printed no results: ${lastLine(output) || 'nothing'}`);
  }
  const passed = outcomes.filter((o) => o.passed).length;
  log(`${passed} of ${outcomes.length} contract cases pass\n`);
  return { url, outcomes, stop: () => server.kill() };
}
