/**
 * Starts reveal.js on a deck page. Loaded only by /slides/<deck>/, so reveal.js and (when a deck has diagrams)
 * Mermaid never reach the reading pages.
 */
import Reveal, { type RevealApi } from 'reveal.js';
import RevealNotes from 'reveal.js/plugin/notes';
import { renderDiagrams } from '~/lib/mermaid-loader';

/** The logical slide size; reveal.js scales it to the screen, so 1280×720 and 1920×1080 show the same layout. */
export const SLIDE_WIDTH = 1280;
export const SLIDE_HEIGHT = 720;
/** Room for the notes under each slide in handouts with notes. */
const NOTES_HEIGHT = 380;

/** Largest box a diagram may take on a slide, and how much a small diagram may be enlarged to fill it. */
const DIAGRAM_MAX = { width: 1120, height: 470, upscale: 1.8 };

/** Sizes each diagram from its own proportions so that it fits the slide, whatever its natural size. */
export function fitDiagrams(root: ParentNode): void {
  const scaleFor = (width: number, height: number, limit?: string) =>
    Math.min(DIAGRAM_MAX.width / width, (limit ? Number(limit) : DIAGRAM_MAX.height) / height, DIAGRAM_MAX.upscale);
  // Diagrams drawn ahead of time (src/markdown/remark-mermaid.mjs): one image per theme, with its size in attributes.
  for (const img of root.querySelectorAll<HTMLImageElement>('figure.diagram img')) {
    const width = Number(img.getAttribute('width'));
    const height = Number(img.getAttribute('height'));
    img.loading = 'eager';
    if (!width || !height || img.dataset.fitted) continue;
    const scale = scaleFor(width, height, img.closest<HTMLElement>('figure')?.dataset.maxHeight);
    img.width = Math.round(width * scale);
    img.height = Math.round(height * scale);
    img.dataset.fitted = 'true';
  }
  // Diagrams drawn in the browser by Mermaid.
  for (const svg of root.querySelectorAll<SVGSVGElement>('pre.mermaid svg')) {
    const box = svg.viewBox?.baseVal;
    if (!box || box.width === 0 || box.height === 0) continue;
    const scale = scaleFor(box.width, box.height, svg.closest<HTMLElement>('pre.mermaid')?.dataset.maxHeight);
    svg.style.maxWidth = 'none';
    svg.setAttribute('width', String(Math.round(box.width * scale)));
    svg.setAttribute('height', String(Math.round(box.height * scale)));
  }
}

/**
 * Shrinks code blocks that would scroll: a block wider than the slide, or a slide taller than the slide height,
 * gets a smaller font, down to a floor that stays readable. Runs while every slide is laid out at its logical size.
 */
export function fitCode(root: ParentNode, slideHeight = SLIDE_HEIGHT): void {
  const minScale = 0.6;
  for (const section of root.querySelectorAll<HTMLElement>('.slides > section')) {
    const blocks = [...section.querySelectorAll<HTMLElement>('.expressive-code')];
    if (blocks.length === 0) continue;
    const base = blocks.map((block) => parseFloat(getComputedStyle(block).fontSize));
    const overflowing = () =>
      section.scrollHeight > slideHeight || blocks.some((block) => {
        const pre = block.querySelector('pre');
        return pre !== null && (pre.scrollWidth > pre.clientWidth + 1 || pre.scrollHeight > pre.clientHeight + 1);
      });
    for (let scale = 0.95; scale >= minScale && overflowing(); scale -= 0.05) {
      blocks.forEach((block, i) => (block.style.fontSize = `${(base[i] * scale).toFixed(1)}px`));
    }
  }
}

/**
 * Draws the Mermaid diagrams on an unscaled, off-screen stage and puts them back on their slides. Mermaid measures
 * text as it draws, which goes wrong inside a hidden slide or inside reveal.js's scaled slide area.
 */
async function drawDiagrams(root: HTMLElement): Promise<void> {
  const blocks = [...root.querySelectorAll<HTMLElement>('pre.mermaid[data-diagram]')];
  if (blocks.length === 0) return;
  const stage = document.createElement('div');
  stage.className = 'diagram-stage';
  stage.setAttribute('aria-hidden', 'true');
  document.body.append(stage);
  const places = blocks.map((block) => {
    const place = document.createComment('diagram');
    block.replaceWith(place);
    stage.append(block);
    return place;
  });
  try {
    // A diagram that does not parse must not stop the talk: report it and present the rest.
    await renderDiagrams(stage).catch((error) => console.error('A Mermaid diagram in this deck could not be drawn:', error));
    fitDiagrams(stage);
  } finally {
    places.forEach((place, i) => place.replaceWith(blocks[i]));
    stage.remove();
  }
}

/** Shrinks code that would overflow; every slide is laid out (invisibly) while it measures. */
function fitSlides(root: HTMLElement): void {
  document.documentElement.classList.add('measuring');
  try {
    fitCode(root);
  } finally {
    document.documentElement.classList.remove('measuring');
  }
}

export async function startDeck(): Promise<RevealApi | undefined> {
  const root = document.querySelector<HTMLElement>('.reveal');
  if (!root) return undefined;
  const minutes = Number(root.dataset.minutes) || 0;
  const query = new URLSearchParams(location.search);
  // Handouts with notes: a taller page, the slide on top and its notes below it.
  const notesInPrint = query.has('print-pdf') && /^(true|inline)$/.test(query.get('showNotes') ?? '');
  if (notesInPrint) document.documentElement.classList.add('print-notes');

  // Handouts are laid out once, page by page, so there the diagrams are drawn before reveal.js starts. A presentation
  // starts at once (the first slide shows without waiting for Mermaid) and draws them right after.
  const printing = query.has('print-pdf');
  fitDiagrams(root);
  fitSlides(root);
  if (printing) await drawDiagrams(root);

  const deck = new Reveal(root, {
    width: SLIDE_WIDTH,
    height: notesInPrint ? SLIDE_HEIGHT + NOTES_HEIGHT : SLIDE_HEIGHT,
    margin: 0.04,
    minScale: 0.2,
    maxScale: 2.5,
    hash: true,
    history: false,
    respondToHashChanges: true,
    fragmentInURL: true,
    controls: true,
    controlsTutorial: false,
    progress: true,
    slideNumber: 'c/t',
    center: !notesInPrint,
    transition: 'slide',
    transitionSpeed: 'fast',
    backgroundTransition: 'none',
    // Handouts: one page per slide, whatever its fragments.
    pdfSeparateFragments: false,
    pdfMaxPagesPerSlide: 1,
    // Pacing in the speaker view comes from the talk length in the deck's frontmatter.
    ...(minutes > 0 ? { totalTime: minutes * 60 } : {}),
    plugins: [RevealNotes],
  });
  await deck.initialize();
  if (!printing) {
    await drawDiagrams(root);
    deck.layout();
  }

  const notes = deck.getPlugin('notes') as unknown as { open?: () => void } | undefined;
  document.querySelector('[data-action="speaker"]')?.addEventListener('click', () => notes?.open?.());
  document.querySelector('[data-action="overview"]')?.addEventListener('click', () => deck.toggleOverview());

  (window as unknown as { deck?: RevealApi }).deck = deck;
  document.documentElement.dataset.deckReady = 'true';
  return deck;
}
