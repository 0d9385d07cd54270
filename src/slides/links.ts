import { withBase } from '~/lib/base';

/** The URLs of a deck: presenting, the scroll view for students, the handout, and reveal.js's own print layout. */
export interface DeckLinks {
  present: string;
  read: string;
  /** 1 to 3 slides to an A4 or Letter page with their notes (./handout.ts). */
  handout: string;
  /** reveal.js's print layout, one landscape page per slide (`&showNotes=true` adds the notes). */
  print: string;
}

export function deckLinks(id: string): DeckLinks {
  const present = withBase(`/slides/${id}/`);
  return {
    present,
    read: `${present}read/`,
    handout: `${present}handout/`,
    print: `${present}?print-pdf`,
  };
}

/** "45 min", or undefined when the deck gives no length. */
export function formatMinutes(minutes: number | undefined): string | undefined {
  if (!minutes) return undefined;
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}
