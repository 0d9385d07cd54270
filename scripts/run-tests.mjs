// `npm test`: type check, unit tests, production build, then the end-to-end tests against the built site.
// Each step must pass before the next one runs; the time of each step is printed at the end.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const steps = [
  ['type check', 'astro', ['check', '--minimumSeverity', 'warning']],
  ['unit tests', 'vitest', ['run']],
  ['build', 'astro', ['build']],
  ['end-to-end tests', 'playwright', ['test']],
];

const browser = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));
if (!browser) {
  console.error('No Chromium found for the end-to-end tests. Install it (Debian: apt-get install chromium) or set CHROMIUM_PATH.');
  process.exit(1);
}

const env = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' };
const timings = [];
for (const [name, command, args] of steps) {
  console.log(`\n▶ ${name}: ${command} ${args.join(' ')}`);
  const started = performance.now();
  const { status } = spawnSync(command, args, { stdio: 'inherit', env });
  timings.push(`${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (status !== 0) {
    console.error(`\n✗ ${name} failed (exit ${status}).`);
    console.log(timings.join('\n'));
    process.exit(status ?? 1);
  }
}
console.log(`\n✓ all steps passed\n${timings.join('\n')}`);
