// Reads the deploy headers (public/_headers); the rules and how they combine are in ./header-rules.mjs.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { headersFor, parseHeaders } from './header-rules.mjs';

export { formatHeaders, headersFor, parseHeaders, patternMatches } from './header-rules.mjs';

export const headersFile = fileURLToPath(new URL('../public/_headers', import.meta.url));

export function readRules(file = headersFile) {
  return parseHeaders(readFileSync(file, 'utf8'));
}

/** The headers every page gets, for the dev server (which cannot match per path). */
export function siteHeaders() {
  return headersFor(readRules(), '/');
}
