// The deploy headers' rules, one format for every place that serves the site: `public/_headers` (Netlify and Cloudflare
// Pages read it), the dev server, `scripts/serve.mjs` (preview, tests, benchmarks) and the service worker (hosts that
// cannot send headers). The build adds the Content-Security-Policy to the copy in dist/ (src/integrations/csp.mjs).
//
// Format: a path pattern on its own line, then indented `Name: value` lines; `# comments`. A pattern matches a request
// path exactly, `*` matches any run of characters (slashes included) and `:name` one path segment. Every rule whose
// pattern matches contributes its headers, in file order; a header set by two matching rules gets both values joined
// by ", " (for Content-Security-Policy that means both policies apply, so a later rule can only make a policy
// stricter), and an indented `! Name` line drops a header that an earlier rule set. These are Cloudflare Pages'
// documented semantics; Netlify also applies every matching rule, but a later rule's value replaces an earlier one,
// which for the policies here gives the same result (the stricter rule's policy).
//
// No Node built-ins here: the service worker bundles this file.

/**
 * @typedef {{ pattern: string, set: [string, string][], detach: string[] }} HeaderRule
 */

/** Parses the `_headers` format into rules, in file order. */
export function parseHeaders(text) {
  /** @type {HeaderRule[]} */
  const rules = [];
  let current = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trimEnd();
    if (!line.trim()) continue;
    if (!/^\s/.test(line)) {
      current = { pattern: line.trim(), set: [], detach: [] };
      rules.push(current);
      continue;
    }
    if (!current) throw new Error(`_headers: "${line.trim()}" comes before any path line`);
    const detached = line.trim().match(/^!\s*(\S+)$/);
    if (detached) {
      current.detach.push(detached[1]);
      continue;
    }
    const at = line.indexOf(':');
    if (at <= 0) throw new Error(`_headers: "${line.trim()}" under ${current.pattern} is not "Name: value"`);
    current.set.push([line.slice(0, at).trim(), line.slice(at + 1).trim()]);
  }
  return rules;
}

/** Writes rules back in the `_headers` format. */
export function formatHeaders(rules) {
  return rules
    .map((rule) => [rule.pattern, ...rule.detach.map((name) => `  ! ${name}`), ...rule.set.map(([name, value]) => `  ${name}: ${value}`)].join('\n'))
    .join('\n\n')
    .concat('\n');
}

const patternCache = new Map();

/** Whether a rule's pattern matches a request path (no query string). */
export function patternMatches(pattern, path) {
  let regex = patternCache.get(pattern);
  if (!regex) {
    const source = pattern
      .split(/(\*|:[A-Za-z]\w*)/)
      .map((part) => (part === '*' ? '.*' : part.startsWith(':') && part.length > 1 ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    regex = new RegExp(`^${source}$`);
    patternCache.set(pattern, regex);
  }
  return regex.test(path);
}

/** The headers for one request path: every matching rule in file order, as described at the top of this file. */
export function headersFor(rules, path) {
  /** @type {Map<string, { name: string, value: string }>} */
  const headers = new Map();
  for (const rule of rules) {
    if (!patternMatches(rule.pattern, path)) continue;
    for (const name of rule.detach) headers.delete(name.toLowerCase());
    for (const [name, value] of rule.set) {
      const key = name.toLowerCase();
      const earlier = headers.get(key);
      headers.set(key, { name: earlier?.name ?? name, value: earlier ? `${earlier.value}, ${value}` : value });
    }
  }
  return Object.fromEntries([...headers.values()].map(({ name, value }) => [name, value]));
}
