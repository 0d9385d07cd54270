/**
 * Starts reveal.js on a deck page. Loaded only by /slides/<deck>/, so reveal.js and (when a deck has diagrams)
 * Mermaid never reach the reading pages.
 */
import Reveal, { type RevealApi } from 'reveal.js';
import RevealNotes from 'reveal.js/plugin/notes';
import { renderDiagrams } from '~/lib/mermaid-loader';
import { fitCode, fitDiagrams, SLIDE_HEIGHT, SLIDE_WIDTH } from './fit';

/** Room for the notes under each slide in reveal.js's own print layout with notes (`?print-pdf&showNotes=true`). */
const NOTES_HEIGHT = 380;

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
    fitCode(root.querySelectorAll<HTMLElement>('.slides > section'));
  } finally {
    document.documentElement.classList.remove('measuring');
  }
}

/** The toolbar shows while the mouse moves or a control has focus, and fades after a few still seconds. */
function hideToolbarWhenIdle(idleMs = 2500): void {
  const root = document.documentElement;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const wake = () => {
    root.classList.remove('pointer-idle');
    clearTimeout(timer);
    timer = setTimeout(() => root.classList.add('pointer-idle'), idleMs);
  };
  root.classList.add('pointer-idle');
  for (const type of ['pointermove', 'pointerdown']) addEventListener(type, wake, { passive: true });
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
    // Content starts at the top of every slide, so titles stay in one place from slide to slide; title and section
    // slides place themselves (deck-theme.css).
    center: false,
    // On a phone the deck stays a deck (reveal's scroll view would drop the slide from the URL); the page offers the
    // read view instead, at the same slide.
    transition: 'slide',
    transitionSpeed: 'fast',
    backgroundTransition: 'none',
    // Handouts: one page per slide, whatever its fragments.
    pdfSeparateFragments: false,
    pdfMaxPagesPerSlide: 1,
    // Pacing in the speaker view comes from the talk length in the deck's frontmatter.
    ...(minutes > 0 ? { totalTime: minutes * 60 } : {}),
    scrollActivationWidth: 0,
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

  hideToolbarWhenIdle();
  const readHere = document.querySelector<HTMLAnchorElement>('[data-read-here]');
  if (readHere) {
    const follow = () => (readHere.hash = `slide-${deck.getIndices().h + 1}`);
    deck.on('slidechanged', follow);
    follow();
  }

  (window as unknown as { deck?: RevealApi }).deck = deck;
  document.documentElement.dataset.deckReady = 'true';
  return deck;
}
