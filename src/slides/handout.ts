/**
 * The handout page (/slides/<deck>/handout/): every slide of a deck, scaled down, one to three to a printed page, each
 * with its speaker notes beside or under it, on the course's paper (A4 or Letter). The layout is chosen on the page
 * and kept in the URL, so a lecturer can share "3 per page, notes beside" as a link.
 */
import { fitCode, fitDiagrams, SLIDE_WIDTH } from './fit';
import { cellSize, layoutFrom, layoutQuery, MARGIN_MM, PAPER_MM, type HandoutLayout, type Paper } from './handout-layout';

/** Notes start at a size that reads well on paper and shrink no further than this to fit their box. */
const NOTES_PT = { start: 10.5, floor: 7.5 };

/** Wraps each slide in a cell: the slide, scaled, and its notes moved out beside or under it. */
function buildCells(slides: HTMLElement): void {
  for (const section of slides.querySelectorAll<HTMLElement>(':scope > section')) {
    const cell = document.createElement('div');
    cell.className = 'handout-cell';
    const frame = document.createElement('div');
    frame.className = 'handout-slide';
    const notes = document.createElement('div');
    notes.className = 'handout-notes';
    const aside = section.querySelector(':scope > aside.notes');
    if (aside) notes.append(...aside.childNodes);
    else notes.classList.add('handout-notes-empty');
    aside?.remove();
    section.replaceWith(cell);
    frame.append(section);
    cell.append(frame, notes);
  }
}

function applyLayout(root: HTMLElement, layout: HandoutLayout): void {
  const { cellHeight, slideWidth } = cellSize(layout);
  const page = PAPER_MM[layout.paper];
  root.dataset.perPage = String(layout.perPage);
  root.dataset.notes = layout.notes;
  root.style.setProperty('--page-width', `${page.width - 2 * MARGIN_MM}mm`);
  root.style.setProperty('--cell-height', `${cellHeight}mm`);
  root.style.setProperty('--slide-width', `${slideWidth}mm`);
  let pageRule = document.getElementById('handout-page-size');
  if (!pageRule) {
    pageRule = document.createElement('style');
    pageRule.id = 'handout-page-size';
    document.head.append(pageRule);
  }
  pageRule.textContent = `@page { size: ${layout.paper} portrait; margin: ${MARGIN_MM}mm; }`;
  // The slide is laid out at 1280 px wide and zoomed to its box (CSS has 96 px to the inch), so it looks as presented.
  root.style.setProperty('--slide-zoom', String((slideWidth * 96) / 25.4 / SLIDE_WIDTH));
  for (const notes of root.querySelectorAll<HTMLElement>('.handout-notes')) {
    let size = NOTES_PT.start;
    notes.style.fontSize = `${size}pt`;
    while (notes.scrollHeight > notes.clientHeight + 1 && size > NOTES_PT.floor) {
      size -= 0.5;
      notes.style.fontSize = `${size}pt`;
    }
  }
}

export function startHandout(): void {
  const root = document.querySelector<HTMLElement>('.handout');
  const slides = root?.querySelector<HTMLElement>('.slides');
  const form = document.querySelector<HTMLFormElement>('.handout-controls form');
  if (!root || !slides || !form) return;
  // Slides are fitted at their presented size, before they are scaled down.
  fitDiagrams(slides);
  for (const img of slides.querySelectorAll('img')) img.loading = 'eager';
  fitCode(slides.querySelectorAll<HTMLElement>(':scope > section'));
  buildCells(slides);

  let layout = layoutFrom(new URLSearchParams(location.search), root.dataset.paper as Paper);
  const show = () => {
    for (const [name, value] of Object.entries({ 'per-page': layout.perPage, notes: layout.notes, paper: layout.paper })) {
      const input = form.querySelector<HTMLInputElement>(`input[name="${name}"][value="${value}"]`);
      if (input) input.checked = true;
    }
    applyLayout(root, layout);
  };
  form.addEventListener('change', (event) => {
    const data = new URLSearchParams([...new FormData(form).entries()].map(([k, v]) => [k, String(v)]));
    // A new number of slides a page brings the notes placement that suits it; the reader can change it after.
    if ((event.target as HTMLInputElement | null)?.name === 'per-page') data.delete('notes');
    layout = layoutFrom(data, layout.paper);
    history.replaceState(null, '', layoutQuery(layout));
    show();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    print();
  });
  show();
  document.documentElement.dataset.handoutReady = 'true';
}
