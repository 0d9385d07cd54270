// Site paths under a base path: a fork deployed as a GitHub Pages project site lives at https://user.github.io/course/,
// so `/labs/` must become `/course/labs/`. One function for Astro components (src/lib/base.ts), the Markdown plugin
// below and the build integrations.

/**
 * `/course/` from `/course`, `course/` or `/course/`; `/` for an empty or root base.
 * @param {string} [base]
 * @returns {string}
 */
export function normalizeBase(base = '/') {
  const trimmed = base.replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}/` : '/';
}

/**
 * Puts the base in front of a root-absolute path (`/labs/` → `/course/labs/`); other URLs pass through unchanged.
 * @param {string} base
 * @param {string} path
 * @returns {string}
 */
export function joinBase(base, path) {
  if (!path.startsWith('/') || path.startsWith('//')) return path;
  return normalizeBase(base) + path.slice(1);
}

const urlAttributes = { a: ['href'], area: ['href'], img: ['src'], source: ['src'], video: ['src', 'poster'], audio: ['src'], track: ['src'], iframe: ['src'] };

/**
 * rehype plugin: root-absolute links and sources written in Markdown and MDX (`[the labs](/labs/)`, `<a href="/x">`)
 * get the site's base path, so content works unchanged under one.
 */
export function rehypeBasePath({ base = '/' } = {}) {
  const prefix = normalizeBase(base);
  const visit = (node) => {
    if (node.type === 'element') {
      for (const name of urlAttributes[node.tagName] ?? []) {
        if (typeof node.properties?.[name] === 'string') node.properties[name] = joinBase(prefix, node.properties[name]);
      }
    } else if ((node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') && node.name) {
      for (const attribute of node.attributes ?? []) {
        if (attribute.type === 'mdxJsxAttribute' && (attribute.name === 'href' || attribute.name === 'src') && typeof attribute.value === 'string') {
          attribute.value = joinBase(prefix, attribute.value);
        }
      }
    }
    for (const child of node.children ?? []) visit(child);
  };
  return (tree) => {
    if (prefix !== '/') visit(tree);
  };
}
