// Reads the deploy headers from public/_headers so dev, preview, tests and deployment send the same ones.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const headersFile = fileURLToPath(new URL('../public/_headers', import.meta.url));

/** Parses the `_headers` format: a path line, then indented `Name: value` lines. Returns the headers for `/*`. */
export function parseHeaders(text) {
  const rules = new Map();
  let current = null;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trimEnd();
    if (!line.trim()) continue;
    if (!/^\s/.test(line)) {
      current = {};
      rules.set(line.trim(), current);
    } else if (current) {
      const at = line.indexOf(':');
      if (at > 0) current[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
  }
  return rules;
}

export function siteHeaders() {
  return parseHeaders(readFileSync(headersFile, 'utf8')).get('/*') ?? {};
}
