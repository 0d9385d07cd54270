/**
 * Turns the Markdown tree of a lecture deck into reveal.js slides, and checks the deck while doing so.
 *
 * Authoring format (see content/slides/README.md):
 * - `# Heading` starts a section title slide, `## Heading` starts a slide;
 * - a paragraph that is only `. . .` is a pause: what follows it on the slide appears as the next fragment;
 * - a `:::notes` … `:::` block holds the speaker notes of the slide it is on;
 * - a `:::incremental` … `:::` block shows each item of the lists inside it one by one.
 *
 * The transform works on plain mdast (plus the directive nodes of remark-directive), so it runs the same in Astro's
 * Markdown/MDX pipeline and in unit tests. Problems are thrown as a DeckError naming the file and the slide.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { Heading, Image, List, ListItem, Nodes, Root, RootContent } from 'mdast';

export interface SlideInfo {
  /** 1-based position in the deck, counting the title slide the page adds as slide 1. */
  number: number;
  kind: 'section' | 'slide';
  title: string;
  notes: boolean;
  fragments: number;
}

export interface DeckInfo {
  slides: SlideInfo[];
}

export interface DeckOptions {
  /** Path of the deck file, used in messages and to resolve relative image paths. */
  path?: string;
  /** The source text the tree was parsed from (used to tell whether a `:::` block was closed). */
  source?: string;
  /** Folder that holds `public/`, for images with an absolute path. Defaults to the working directory. */
  publicDir?: string;
  /** Check that images exist (on by default). */
  checkImages?: boolean;
}

/** The number the page gives the first slide written in the deck (slide 1 is the title slide). */
export const FIRST_SLIDE_NUMBER = 2;

export class DeckError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly slide?: { number: number; title: string },
  ) {
    const where = slide ? `${file}, slide ${slide.number} "${slide.title}"` : file;
    super(`Deck ${where}: ${message}`);
    this.name = 'DeckError';
  }
}

type AnyNode = Nodes | { type: string; [key: string]: unknown };
interface DirectiveNode {
  type: 'containerDirective' | 'leafDirective' | 'textDirective';
  name: string;
  children: RootContent[];
  position?: { start: { line: number; offset?: number }; end: { line: number; offset?: number } };
  data?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A node that mdast-util-to-hast turns into the element named in `hName`. */
function element(tagName: string, properties: Record<string, unknown>, children: RootContent[]): RootContent {
  return { type: 'slideElement', data: { hName: tagName, hProperties: properties }, children } as unknown as RootContent;
}

function textOf(node: AnyNode): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  if ('alt' in node && typeof node.alt === 'string') return node.alt;
  if ('children' in node && Array.isArray(node.children)) return (node.children as AnyNode[]).map(textOf).join('');
  return '';
}

function isDirective(node: AnyNode, name?: string): node is DirectiveNode {
  return node.type === 'containerDirective' && (name === undefined || (node as DirectiveNode).name === name);
}

/** Imports, exports and `{/* comments *\/}` are not slide content. */
function isInvisible(node: AnyNode): boolean {
  if (node.type === 'mdxjsEsm' || node.type === 'definition' || node.type === 'yaml' || node.type === 'toml') return true;
  if (node.type === 'mdxFlowExpression') return /^\s*\/\*[\s\S]*\*\/\s*$/.test(String((node as { value?: string }).value ?? ''));
  if (node.type === 'html') return /^\s*<!--[\s\S]*-->\s*$/.test(String((node as { value?: string }).value ?? ''));
  return false;
}

/** `. . .` on its own (or `…`, which is what SmartyPants makes of it). */
export function isPause(node: AnyNode): boolean {
  if (node.type !== 'paragraph') return false;
  return /^(\.\s?\.\s?\.|…)$/.test(textOf(node).trim());
}

/** A paragraph that starts with `:::` is a directive fence remark-directive did not understand. */
function isStrayFence(node: AnyNode): boolean {
  return node.type === 'paragraph' && /^\s*:{3,}/.test(textOf(node));
}

function containsHeading(node: AnyNode): boolean {
  if (node.type === 'heading') return true;
  return 'children' in node && Array.isArray(node.children) && (node.children as AnyNode[]).some(containsHeading);
}

/** A container directive is closed when the last line of its source is a `:::` fence. */
function isClosed(node: DirectiveNode, source: string | undefined): boolean {
  if (containsHeading(node)) return false;
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (source === undefined || start === undefined || end === undefined) return true;
  const lines = source.slice(start, end).trimEnd().split('\n');
  return lines.length > 1 && /^\s*:{3,}\s*$/.test(lines[lines.length - 1]);
}

function walk(node: AnyNode, visit: (node: AnyNode) => void): void {
  visit(node);
  if ('children' in node && Array.isArray(node.children)) for (const child of node.children as AnyNode[]) walk(child, visit);
}

function imageUrls(node: AnyNode): string[] {
  const urls: string[] = [];
  walk(node, (n) => {
    if (n.type === 'image') urls.push((n as Image).url);
    if ((n.type === 'mdxJsxFlowElement' || n.type === 'mdxJsxTextElement') && (n as { name?: string }).name === 'img') {
      const src = ((n as { attributes?: { name?: string; value?: unknown }[] }).attributes ?? []).find((a) => a.name === 'src');
      if (src && typeof src.value === 'string') urls.push(src.value);
    }
  });
  return urls;
}

function isLocal(url: string): boolean {
  return !/^([a-z][a-z0-9+.-]*:|\/\/|#)/i.test(url);
}

interface Draft {
  kind: 'section' | 'slide';
  heading: Heading;
  title: string;
  number: number;
  body: RootContent[];
  notes: DirectiveNode[];
}

/**
 * Splits `tree` into `<section>` slides in place and returns what the deck holds. Throws a DeckError for an unclosed
 * notes block, a missing image, an empty slide, content before the first heading, or a `:::` line that is not a block.
 */
export function transformDeck(tree: Root, options: DeckOptions = {}): DeckInfo {
  const file = options.path ? displayPath(options.path) : 'deck';
  const kept: RootContent[] = [];
  const drafts: Draft[] = [];
  let current: Draft | undefined;

  const fail = (message: string, draft?: Draft): never => {
    throw new DeckError(message, file, draft ? { number: draft.number, title: draft.title || '(no title)' } : undefined);
  };

  for (const node of tree.children) {
    if (node.type === 'heading' && (node.depth === 1 || node.depth === 2)) {
      current = {
        kind: node.depth === 1 ? 'section' : 'slide',
        heading: node,
        title: textOf(node).trim(),
        number: FIRST_SLIDE_NUMBER + drafts.length,
        body: [],
        notes: [],
      };
      drafts.push(current);
      if (!current.title) fail('the heading has no text.', current);
      continue;
    }
    if (isInvisible(node)) {
      kept.push(node);
      continue;
    }
    if (!current) {
      if (isDirective(node, 'notes')) fail('a notes block comes before the first heading; put it after the heading of the slide it belongs to.');
      fail(`content before the first heading (line ${node.position?.start.line ?? '?'}) is on no slide; start the deck with "# Section" or "## Slide".`);
    }
    const draft = current as Draft;
    if (isDirective(node, 'notes')) {
      if (!isClosed(node, options.source)) {
        fail('the notes block is not closed; end it with a line that holds only ":::".', draft);
      }
      draft.notes.push(node);
      continue;
    }
    draft.body.push(node);
  }

  const slides: SlideInfo[] = [];
  const sections: RootContent[] = [];
  for (const draft of drafts) {
    // Nested checks: unclosed or stray blocks inside the body, and images.
    for (const node of draft.body) {
      walk(node, (n) => {
        if (isDirective(n as AnyNode) && !isClosed(n as DirectiveNode, options.source)) {
          fail(`the ":::${(n as DirectiveNode).name}" block is not closed; end it with a line that holds only ":::".`, draft);
        }
        if (isDirective(n as AnyNode, 'notes') && n !== node) fail('a notes block must not be nested inside another block.', draft);
        if (isStrayFence(n)) {
          fail(`the line "${textOf(n).split('\n')[0].trim()}" is not a block this deck format knows; write ":::notes" or ":::incremental" (no space after the colons) and close it with ":::".`, draft);
        }
      });
      if (options.checkImages !== false) {
        for (const url of imageUrls(node)) {
          if (!isLocal(url)) continue;
          const path = decodeURI(url.split(/[?#]/)[0]);
          const full = path.startsWith('/')
            ? resolve(options.publicDir ?? resolve(process.cwd(), 'public'), `.${path}`)
            : resolve(dirname(options.path ?? resolve(process.cwd(), 'deck.md')), path);
          if (!existsSync(full)) fail(`the image "${url}" does not exist (looked for ${displayPath(full)}).`, draft);
        }
      }
    }
    const visible = draft.body.filter((n) => !isPause(n) && !isInvisible(n));
    if (draft.kind === 'slide' && visible.length === 0) {
      fail('the slide is empty; give it some content, or make it a section title with a single "#".', draft);
    }
    if (draft.body.length > 0 && isPause(draft.body[draft.body.length - 1])) {
      fail('the slide ends with a pause (". . ."); nothing follows it.', draft);
    }

    // Incremental lists: every item of every list inside becomes a fragment.
    let fragments = 0;
    const body: RootContent[] = [];
    for (const node of draft.body) {
      if (isDirective(node, 'incremental')) {
        for (const child of node.children) {
          walk(child, (n) => {
            if (n.type === 'list') {
              for (const item of (n as List).children as ListItem[]) {
                item.data = { ...item.data, hProperties: { ...(item.data?.hProperties ?? {}), className: ['fragment'] } };
                fragments += 1;
              }
            }
          });
        }
        body.push(element('div', { className: ['incremental'] }, node.children));
      } else {
        body.push(node);
      }
    }

    // Pauses: what follows each `. . .` is wrapped in a fragment.
    const parts: RootContent[][] = [[]];
    for (const node of body) {
      if (isPause(node)) parts.push([]);
      else parts[parts.length - 1].push(node);
    }
    const content: RootContent[] = [...parts[0]];
    for (const part of parts.slice(1)) {
      content.push(element('div', { className: ['fragment'] }, part));
      fragments += 1;
    }

    const notes = draft.notes.flatMap((n) => n.children);
    // `#slide-N` finds the slide in the read view (a phone's deck page links there); an id on the section itself would
    // change reveal.js's slide URLs.
    const anchor = element('span', { id: `slide-${draft.number}`, className: ['slide-anchor'] }, []);
    const children: RootContent[] = [anchor, draft.heading, ...content];
    if (notes.length > 0) children.push(element('aside', { className: ['notes'] }, notes));
    const className = draft.kind === 'section' ? ['slide-section'] : ['slide'];
    sections.push(
      element('section', { className, dataSlideNumber: String(draft.number), dataSlideKind: draft.kind }, children),
    );
    slides.push({ number: draft.number, kind: draft.kind, title: draft.title, notes: notes.length > 0, fragments });
  }

  tree.children = [...kept, ...sections];
  return { slides };
}

function displayPath(path: string): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}
