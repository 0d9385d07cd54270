import { existsSync } from 'node:fs';

/** The machine's Chromium: $CHROMIUM_PATH, or Debian's. Tests never download a browser. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(`No Chromium found (tried ${candidates.join(', ')}). Install it (Debian: apt-get install chromium) or set CHROMIUM_PATH.`);
  }
  return found;
}
