/** Decks with what their pages need: the rendered content, the list of slides and their links. */
import { existsSync } from 'node:fs';
import { getCollection, render, type CollectionEntry } from 'astro:content';
import type { SlideInfo } from './deck';
import { withBase } from '~/lib/base';
import { deckLinks, type DeckLinks } from './links';

export interface LoadedDeck {
  entry: CollectionEntry<'slides'>;
  Content: Awaited<ReturnType<typeof render>>['Content'];
  headings: Awaited<ReturnType<typeof render>>['headings'];
  /** The slides written in the deck (the title slide comes on top of these). */
  slides: SlideInfo[];
  /** All slides, the title slide included. */
  slideCount: number;
  links: DeckLinks;
  /** The module reading's URL when the reading exists. */
  moduleUrl?: string;
}

export async function loadDeck(entry: CollectionEntry<'slides'>): Promise<LoadedDeck> {
  const { Content, headings, remarkPluginFrontmatter } = await render(entry);
  const slides = (remarkPluginFrontmatter.slides ?? []) as SlideInfo[];
  const module = entry.data.module;
  return {
    entry,
    Content,
    headings,
    slides,
    slideCount: slides.length + 1,
    links: deckLinks(entry.id),
    moduleUrl: existsSync(`content/modules/${module}.mdx`) ? withBase(`/modules/${module}/`) : undefined,
  };
}

/** The routes of a deck (/slides/<deck>/, …/read/, …/handout/) have one page per deck: `getStaticPaths = deckPaths`. */
export async function deckPaths() {
  const decks = await getCollection('slides');
  return decks.map((deck) => ({ params: { deck: deck.id }, props: { deck } }));
}

export interface DeckPageProps {
  deck: CollectionEntry<'slides'>;
}

export async function loadDecks(): Promise<LoadedDeck[]> {
  const entries = await getCollection('slides');
  entries.sort((a, b) => a.id.localeCompare(b.id));
  return Promise.all(entries.map(loadDeck));
}
