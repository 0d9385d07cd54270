// `npm test`: type check, unit tests, production build, the end-to-end tests against the built site, then a second
// build under a base path (as a GitHub Pages project site serves a fork, https://user.github.io/course/) crawled by
// the same checks. Each step must pass before the next one runs; the time of each step is printed at the end.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The base path of the second build, and where it goes. */
const basePath = '/course/';
const baseDist = 'dist-base';

const astro = ['node', 'scripts/astro.mjs'];
const steps = [
  ['type check', [...astro, 'check', '--minimumSeverity', 'warning']],
  ['unit tests', ['vitest', 'run']],
  ['build', [...astro, 'build']],
  ['end-to-end tests', ['playwright', 'test']],
  ['build under a base path', [...astro, 'build', '--outDir', baseDist], { BASE_PATH: basePath }],
  [
    'end-to-end tests under the base path',
    ['playwright', 'test', 'e2e/site.spec.ts', 'e2e/service-worker.spec.ts'],
    { BASE_PATH: basePath, SITE_DIST: baseDist, E2E_PORT: String(Number(process.env.E2E_PORT ?? 4322) + 1) },
  ],
];

const browser = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));
if (!browser) {
  console.error('No Chromium found for the end-to-end tests. Install it (Debian: apt-get install chromium) or set CHROMIUM_PATH.');
  process.exit(1);
}

const timings = [];
for (const [name, [command, ...args], env = {}] of steps) {
  console.log(`\n▶ ${name}: ${Object.entries(env).map(([k, v]) => `${k}=${v} `).join('')}${command} ${args.join(' ')}`);
  const started = performance.now();
  const { status } = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  timings.push(`${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (status !== 0) {
    console.error(`\n✗ ${name} failed (exit ${status}).`);
    console.log(timings.join('\n'));
    process.exit(status ?? 1);
  }
}
console.log(`\n✓ all steps passed\n${timings.join('\n')}`);
