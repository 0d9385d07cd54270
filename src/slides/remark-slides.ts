/**
 * remark plugin: turns every deck in `content/slides/` into reveal.js `<section>` slides (see ./deck.ts) and hands the
 * list of slides to the page as `remarkPluginFrontmatter.slides`. Other files pass through untouched.
 */
import type { Root } from 'mdast';
import { transformDeck } from './deck';

interface VFileLike {
  path?: string;
  value?: unknown;
  data: { astro?: { frontmatter?: Record<string, unknown> } };
}

export function isDeckPath(path: string | undefined): boolean {
  if (!path) return false;
  const normalized = path.replaceAll('\\', '/');
  return /\/content\/slides\/[^/]+\.mdx?$/.test(normalized) && !/\/README\.mdx?$/i.test(normalized);
}

export function remarkSlides() {
  return (tree: Root, file: VFileLike) => {
    if (!isDeckPath(file.path)) return;
    const source = typeof file.value === 'string' ? file.value : file.value instanceof Uint8Array ? new TextDecoder().decode(file.value) : undefined;
    const info = transformDeck(tree, { path: file.path, source });
    file.data.astro ??= {};
    file.data.astro.frontmatter ??= {};
    file.data.astro.frontmatter.slides = info.slides;
  };
}
