import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkDirective from 'remark-directive';
import remarkMdx from 'remark-mdx';
import remarkGfm from 'remark-gfm';
import remarkRehype from 'remark-rehype';
import type { Root } from 'mdast';
import { DeckError, transformDeck, type DeckOptions } from './deck';
import { isDeckPath, remarkSlides } from './remark-slides';

const dir = mkdtempSync(join(tmpdir(), 'deck-test-'));
writeFileSync(join(dir, 'chart.png'), 'not really a png');
const path = join(dir, 'demo.mdx');

function parse(source: string, mdx = true): Root {
  const processor = unified().use(remarkParse).use(remarkGfm).use(remarkDirective);
  if (mdx) processor.use(remarkMdx);
  return processor.runSync(processor.parse(source)) as Root;
}

function deck(source: string, options: DeckOptions = {}) {
  const tree = parse(source);
  const info = transformDeck(tree, { path, source, ...options });
  return { tree, info };
}

/** The deck as HTML-ish: tag names and classes of the hast tree. */
function hast(source: string) {
  const { tree } = deck(source);
  const processor = unified().use(remarkRehype);
  return processor.runSync(tree as never) as unknown as { children: { tagName?: string; properties?: Record<string, unknown>; children: unknown[] }[] };
}

function errorOf(source: string): DeckError {
  try {
    deck(source);
  } catch (error) {
    if (error instanceof DeckError) return error;
    throw error;
  }
  throw new Error('expected the deck to fail');
}

const good = `import Widget from './widget.astro';

# Why MLOps

## A slide

Some text.

- one
- two

:::notes
Say this out loud.
:::

## Fragments

First.

. . .

Second.

. . .

Third.

## Incremental

:::incremental
- a
- b
- c
:::

:::notes
Notes at the end.
:::

## With an image

![A chart](./chart.png)

<Widget />
`;

describe('transformDeck', () => {
  it('splits a deck into section title slides and slides, numbered after the title slide', () => {
    const { info } = deck(good);
    expect(info.slides.map((s) => [s.number, s.kind, s.title])).toEqual([
      [2, 'section', 'Why MLOps'],
      [3, 'slide', 'A slide'],
      [4, 'slide', 'Fragments'],
      [5, 'slide', 'Incremental'],
      [6, 'slide', 'With an image'],
    ]);
  });

  it('keeps imports at the top level and wraps every slide in a section', () => {
    const { tree } = deck(good);
    expect(tree.children[0].type).toBe('mdxjsEsm');
    const sections = tree.children.slice(1);
    expect(sections).toHaveLength(5);
    for (const section of sections) expect((section.data as { hName?: string }).hName).toBe('section');
  });

  it('turns notes into an aside.notes at the end of the slide', () => {
    const root = hast(good);
    const sections = root.children.filter((c) => c.tagName === 'section');
    const second = sections[1];
    const last = second.children[second.children.length - 1] as { tagName: string; properties: { className: string[] } };
    expect(last.tagName).toBe('aside');
    expect(last.properties.className).toEqual(['notes']);
    expect(deck(good).info.slides.map((s) => s.notes)).toEqual([false, true, false, true, false]);
  });

  it('wraps what follows each pause in a fragment', () => {
    const { info } = deck(good);
    expect(info.slides[2].fragments).toBe(2);
    const sections = hast(good).children.filter((c) => c.tagName === 'section');
    const fragments = (sections[2].children as { tagName?: string; properties?: { className?: string[] } }[]).filter(
      (c) => c.tagName === 'div' && c.properties?.className?.includes('fragment'),
    );
    expect(fragments).toHaveLength(2);
  });

  it('accepts the ellipsis SmartyPants makes of a pause', () => {
    expect(deck('## A\n\nOne\n\n…\n\nTwo\n').info.slides[0].fragments).toBe(1);
  });

  it('makes every item of an incremental list a fragment', () => {
    expect(deck(good).info.slides[3].fragments).toBe(3);
    const html = JSON.stringify(hast(good));
    expect(html.match(/"className":\["fragment"\]/g)?.length).toBe(5);
  });

  it('fails on an unclosed notes block, naming the file and the slide', () => {
    const error = errorOf('## First\n\nText\n\n## Second\n\nMore\n\n:::notes\nNever closed.\n');
    expect(error.message).toContain('demo.mdx');
    expect(error.message).toContain('slide 3 "Second"');
    expect(error.message).toMatch(/notes block is not closed/);
  });

  it('fails on a notes block that swallows the next slide', () => {
    const error = errorOf('## First\n\nText\n\n:::notes\nOops\n\n## Second\n\nMore\n');
    expect(error.message).toContain('slide 2 "First"');
    expect(error.message).toMatch(/not closed/);
  });

  it('fails on a missing image, naming the slide', () => {
    const error = errorOf('## Fine\n\nText\n\n## Pictures\n\n![Lost](./nowhere.png)\n');
    expect(error.message).toContain('slide 3 "Pictures"');
    expect(error.message).toContain('"./nowhere.png" does not exist');
  });

  it('checks absolute image paths against public/ and ignores remote images', () => {
    expect(() => deck('## A\n\n![x](https://example.org/x.png)\n')).not.toThrow();
    const error = errorOf('## A\n\n![x](/images/none.png)\n');
    expect(error.message).toMatch(/does not exist/);
  });

  it('fails on an empty slide', () => {
    const error = errorOf('## One\n\nText\n\n## Two\n\n## Three\n\nText\n');
    expect(error.message).toContain('slide 3 "Two"');
    expect(error.message).toMatch(/empty/);
  });

  it('counts a slide with only notes as empty', () => {
    expect(errorOf('## Only notes\n\n:::notes\nhello\n:::\n').message).toMatch(/empty/);
  });

  it('allows a section title slide without content', () => {
    expect(deck('# Part one\n\n## Slide\n\nText\n').info.slides).toHaveLength(2);
  });

  it('fails on content before the first heading', () => {
    expect(errorOf('Loose text\n\n## Slide\n\nText\n').message).toMatch(/before the first heading/);
  });

  it('fails on a pandoc-style "::: notes" fence it cannot read', () => {
    const error = errorOf('## Slide\n\nText\n\n::: notes\nSomething\n:::\n');
    expect(error.message).toContain('slide 2 "Slide"');
    expect(error.message).toMatch(/not a block this deck format knows/);
  });

  it('fails on a slide that ends with a pause', () => {
    expect(errorOf('## Slide\n\nText\n\n. . .\n').message).toMatch(/ends with a pause/);
  });

  it('gives every slide an anchor for the read view, not an id on the section (reveal.js would use it in URLs)', () => {
    const sections = hast(good).children.filter((c) => c.tagName === 'section');
    for (const [i, section] of sections.entries()) {
      expect(section.properties?.id).toBeUndefined();
      expect((section.children[0] as { properties: { id: string } }).properties.id).toBe(`slide-${i + 2}`);
    }
  });

  it('keeps code, tables and Mermaid blocks inside their slide, after its anchor', () => {
    const source = '## Code\n\n```python\nprint(1)\n```\n\n## Table\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n## Diagram\n\n```mermaid\ngraph LR\nA-->B\n```\n';
    const { tree } = deck(source);
    const kinds = tree.children.map((s) => (s as { children: { type: string }[] }).children.map((c) => c.type));
    expect(kinds).toEqual([
      ['slideElement', 'heading', 'code'],
      ['slideElement', 'heading', 'table'],
      ['slideElement', 'heading', 'code'],
    ]);
  });
});

describe('remarkSlides', () => {
  it('applies only to decks in content/slides, not to their README', () => {
    expect(isDeckPath('/repo/content/slides/intro.mdx')).toBe(true);
    expect(isDeckPath('/repo/content/slides/README.md')).toBe(false);
    expect(isDeckPath('/repo/content/modules/intro.mdx')).toBe(false);
    expect(isDeckPath(undefined)).toBe(false);
  });

  it('hands the slide list to the page as frontmatter', () => {
    const source = '## Hello\n\nWorld\n';
    const tree = parse(source);
    const file = { path: '/repo/content/slides/x.mdx', value: source, data: {} as { astro?: { frontmatter?: Record<string, unknown> } } };
    remarkSlides()(tree, file);
    expect(file.data.astro?.frontmatter?.slides).toEqual([{ number: 2, kind: 'slide', title: 'Hello', notes: false, fragments: 0 }]);
  });
});
