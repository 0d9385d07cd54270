import { existsSync } from 'node:fs';

/** The machine's Chromium for benchmarks: $CHROMIUM_PATH or Debian's. */
export function chromiumPath() {
  const found = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));
  if (!found) throw new Error('No Chromium found: install it (apt-get install chromium) or set CHROMIUM_PATH.');
  return found;
}
