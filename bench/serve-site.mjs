// Starts the built site's static server (scripts/serve.mjs) on a free port for a benchmark.
import { spawn } from 'node:child_process';

/** Resolves to { origin, stop } once the server listens; rejects if it exits first. */
export function serveSite() {
  const server = spawn(process.execPath, ['scripts/serve.mjs', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    server.on('exit', (code) => reject(new Error(`the site server exited (code ${code}); run npm run build first`)));
    server.stdout.on('data', (chunk) => {
      const origin = String(chunk).match(/http:\/\/127\.0\.0\.1:\d+/)?.[0];
      if (origin) resolve({ origin, stop: () => server.kill() });
    });
  });
}
