import { withBase } from '~/lib/base';

/** The URLs of a deck: presenting, the scroll view for students, and the two print layouts. */
export interface DeckLinks {
  present: string;
  read: string;
  print: string;
  printWithNotes: string;
}

export function deckLinks(id: string): DeckLinks {
  const present = withBase(`/slides/${id}/`);
  return {
    present,
    read: `${present}read/`,
    print: `${present}?print-pdf`,
    printWithNotes: `${present}?print-pdf&showNotes=true`,
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
