// Runs the Astro CLI with its telemetry off, for every project script (dev, build, preview, check):
// `node scripts/astro.mjs build`. Astro reads ASTRO_TELEMETRY_DISABLED from the environment; setting it here works on
// every operating system, where `VAR=1 astro build` in package.json would not.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const astro = join(dirname(createRequire(import.meta.url).resolve('astro/package.json')), 'bin/astro.mjs');
const child = spawn(process.execPath, [astro, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
