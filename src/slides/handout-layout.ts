/** Handout layouts: paper, slides per page, where the notes go. Pure, so Vitest checks the arithmetic. */
export type Paper = 'A4' | 'Letter';
export type NotesPlace = 'under' | 'beside';

export interface HandoutLayout {
  paper: Paper;
  perPage: 1 | 2 | 3;
  notes: NotesPlace;
}

/** Paper sizes in millimetres (ISO 216 A4; US Letter is 8.5 × 11 inches). */
export const PAPER_MM: Record<Paper, { width: number; height: number }> = {
  A4: { width: 210, height: 297 },
  Letter: { width: 215.9, height: 279.4 },
};
export const MARGIN_MM = 12;

/** Reads a layout from the page's query string, falling back to the course's paper and to one slide per page. */
export function layoutFrom(query: URLSearchParams, paper: Paper): HandoutLayout {
  const perPage = Number(query.get('per-page'));
  const notes = query.get('notes');
  const chosenPaper = query.get('paper');
  return {
    paper: chosenPaper === 'A4' || chosenPaper === 'Letter' ? chosenPaper : paper,
    perPage: perPage === 2 || perPage === 3 ? perPage : 1,
    // One slide per page has room for its notes under it; with more, notes beside each slide keep the slide large.
    notes: notes === 'under' || notes === 'beside' ? notes : perPage === 2 || perPage === 3 ? 'beside' : 'under',
  };
}

/**
 * The box of one slide and its notes on the page, in millimetres. Slides keep 16:9; notes get the rest of the cell,
 * beside the slide (45 % of the width) or under it (at least 35 % of the height).
 */
export function cellSize(layout: HandoutLayout): { cellHeight: number; slideWidth: number; slideHeight: number } {
  const page = PAPER_MM[layout.paper];
  const width = page.width - 2 * MARGIN_MM;
  // A hair less than an exact share, so rounding never pushes the last cell of a page onto the next one.
  const cellHeight = (page.height - 2 * MARGIN_MM) / layout.perPage - 1;
  const slideWidth =
    layout.notes === 'beside' ? Math.min(width * 0.55, (cellHeight * 16) / 9) : Math.min(width, (cellHeight * 0.65 * 16) / 9);
  return { cellHeight, slideWidth, slideHeight: (slideWidth * 9) / 16 };
}

/** The query string that opens the handout in a layout. */
export function layoutQuery(layout: HandoutLayout): string {
  return `?per-page=${layout.perPage}&notes=${layout.notes}&paper=${layout.paper}`;
}
