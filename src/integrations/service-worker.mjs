// Builds the service workers after every build, with what they need baked in:
// - the site's (src/service-worker/sw.ts) into dist/sw.js: the base path, the two precache tiers
//   (src/service-worker/plan.mjs) and the deploy header rules of dist/_headers;
// - a lab's sandbox (src/service-worker/sandbox.ts) into dist/labs/<lab>/sandbox/sw.js for every lab that has a
//   sandbox page there: the base path and the same header rules. `astro dev` builds it on request.
// Runs after ./csp.mjs, so the headers they add on header-less hosts include the Content-Security-Policy.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { parseHeaders } from '../../scripts/headers.mjs';
import { normalizeBase } from '../markdown/base-path.mjs';
import { precachePlan } from '../service-worker/plan.mjs';

const source = fileURLToPath(new URL('../service-worker/sw.ts', import.meta.url));
const sandboxSource = fileURLToPath(new URL('../service-worker/sandbox.ts', import.meta.url));

/** The file name the pages register (src/components/ServiceWorker.astro), and each sandbox's (src/labkit/sandbox/connect.ts). */
export const serviceWorkerFile = 'sw.js';

const bundle = (entry, define, output) =>
  build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    define: { ...define, 'process.env.NODE_ENV': '"production"' },
    ...output,
  });

const readRulesIn = (dir) => {
  const path = join(dir, '_headers');
  return existsSync(path) ? parseHeaders(readFileSync(path, 'utf8')) : [];
};

/** The labs with a sandbox page in the built site. */
const sandboxLabs = (root) => {
  const labs = join(root, 'labs');
  if (!existsSync(labs)) return [];
  return readdirSync(labs).filter((lab) => existsSync(join(labs, lab, 'sandbox', 'index.html')));
};

/** Builds the sandbox service worker; with `outfile` it writes it, else it returns its text. */
export async function buildSandboxWorker(base, rules, outfile) {
  const result = await bundle(sandboxSource, { __SANDBOX__: JSON.stringify({ base, rules }) }, outfile ? { outfile } : { write: false });
  return outfile ? undefined : result.outputFiles[0].text;
}

export async function writeServiceWorker(root, base) {
  const { core, labs } = precachePlan(root, base);
  const rules = readRulesIn(root);
  const labsVersion = createHash('sha256').update(JSON.stringify(labs)).digest('hex').slice(0, 12);
  await bundle(source, { __SITE__: JSON.stringify({ base, core, labs, labsVersion, rules }) }, { outfile: join(root, serviceWorkerFile) });
  const sandboxes = sandboxLabs(root);
  for (const lab of sandboxes) await buildSandboxWorker(base, rules, join(root, 'labs', lab, 'sandbox', serviceWorkerFile));
  return { core: core.length, labs: labs.length, sandboxes };
}

/** The Astro integration. */
export function serviceWorker() {
  let base = '/';
  return {
    name: 'course:service-worker',
    hooks: {
      'astro:config:done': ({ config }) => {
        base = normalizeBase(config.base);
      },
      'astro:server:setup': ({ server }) => {
        // In `astro dev` a sandbox's service worker is built when the lab page registers it.
        server.middlewares.use((req, res, next) => {
          const path = (req.url ?? '').split('?')[0];
          if (!new RegExp(`^${base}labs/[^/]+/sandbox/${serviceWorkerFile}$`).test(path)) return next();
          buildSandboxWorker(base, readRulesIn(fileURLToPath(new URL('../../public/', import.meta.url))))
            .then((text) => {
              res.setHeader('content-type', 'text/javascript; charset=utf-8');
              res.end(text);
            })
            .catch(next);
        });
      },
      'astro:build:done': async ({ dir, logger }) => {
        const { core, labs, sandboxes } = await writeServiceWorker(fileURLToPath(dir), base);
        logger.info(`${serviceWorkerFile}: ${core} files cached on the first visit, ${labs} more when a lab is first opened; sandboxes: ${sandboxes.join(', ') || 'none'}`);
      },
    },
  };
}
