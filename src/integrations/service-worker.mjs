// Builds the service worker (src/service-worker/sw.ts) into dist/sw.js after every build, with what it needs baked
// in: the base path, the two precache tiers (src/service-worker/plan.mjs) and the deploy header rules of dist/_headers.
// Runs after ./csp.mjs, so the headers it adds on header-less hosts include the Content-Security-Policy.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { parseHeaders } from '../../scripts/headers.mjs';
import { normalizeBase } from '../markdown/base-path.mjs';
import { precachePlan } from '../service-worker/plan.mjs';

const source = fileURLToPath(new URL('../service-worker/sw.ts', import.meta.url));

/** The file name the pages register (src/components/ServiceWorker.astro). */
export const serviceWorkerFile = 'sw.js';

export async function writeServiceWorker(root, base) {
  const { core, labs } = precachePlan(root, base);
  const headersPath = join(root, '_headers');
  const rules = existsSync(headersPath) ? parseHeaders(readFileSync(headersPath, 'utf8')) : [];
  const labsVersion = createHash('sha256').update(JSON.stringify(labs)).digest('hex').slice(0, 12);
  await build({
    entryPoints: [source],
    outfile: join(root, serviceWorkerFile),
    bundle: true,
    format: 'iife',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    define: {
      __SITE__: JSON.stringify({ base, core, labs, labsVersion, rules }),
      'process.env.NODE_ENV': '"production"',
    },
  });
  return { core: core.length, labs: labs.length };
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
      'astro:build:done': async ({ dir, logger }) => {
        const { core, labs } = await writeServiceWorker(fileURLToPath(dir), base);
        logger.info(`${serviceWorkerFile}: ${core} files cached on the first visit, ${labs} more when a lab is first opened`);
      },
    },
  };
}
