import { readdirSync, readFileSync } from 'node:fs';
import { test, expect, expectAccessible, useTheme, type Theme } from './support';
import type { Page } from '@playwright/test';

/** Every deck in content/slides/, with the number of slides its source should give (title slide included). */
const decks = readdirSync('content/slides')
  .filter((name) => /\.mdx?$/.test(name) && !/^README\./i.test(name))
  .map((name) => ({ id: name.replace(/\.mdx?$/, ''), expected: expectedSlides(readFileSync(`content/slides/${name}`, 'utf8')) }));

/** `#` and `##` headings outside code fences and frontmatter, plus the title slide. */
function expectedSlides(source: string): number {
  const body = source.replace(/^---\n[\s\S]*?\n---\n/, '');
  let fence: string | null = null;
  let count = 1;
  for (const line of body.split('\n')) {
    const marker = line.match(/^\s*(`{3,}|~{3,})/)?.[1];
    if (marker && (fence === null || marker.startsWith(fence))) {
      fence = fence === null ? marker : null;
      continue;
    }
    if (fence === null && /^#{1,2}\s+\S/.test(line)) count += 1;
  }
  return count;
}

async function openDeck(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.waitForSelector('html[data-deck-ready="true"]');
}

/** Waits until every image in the page has loaded (diagrams are images), so a print is complete. */
async function imagesLoaded(page: Page): Promise<void> {
  await page.waitForFunction(() => [...document.images].every((img) => img.complete));
}

/** The number of pages in a PDF: the page objects, not the page-tree nodes. */
function pdfPageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
}

test('there are decks, and the intro deck is one of them', () => {
  expect(decks.map((d) => d.id)).toContain('intro');
  const intro = decks.find((d) => d.id === 'intro')!;
  expect(intro.expected).toBeGreaterThanOrEqual(25);
  expect(intro.expected).toBeLessThanOrEqual(40);
});

test.describe('deck index', () => {
  test('lists every deck with links that work', async ({ page, request }) => {
    await page.goto('/slides/');
    for (const deck of decks) {
      const item = page.locator('.deck-list > li').filter({ has: page.locator(`a.deck-title[href="/slides/${deck.id}/"]`) });
      await expect(item).toHaveCount(1);
      await expect(item.locator('.deck-facts')).toContainText(`${deck.expected} slides`);
      const hrefs = await item.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
      expect(hrefs).toEqual(expect.arrayContaining([`/slides/${deck.id}/`, `/slides/${deck.id}/read/`, `/slides/${deck.id}/?print-pdf`]));
      for (const href of new Set(hrefs)) {
        const response = await request.get(href);
        expect(response.status(), href).toBe(200);
      }
    }
    await expectAccessible(page);
  });
});

for (const deck of decks) {
  test.describe(`deck ${deck.id}`, () => {
    test('renders all its slides, and each fits the slide without scrolling', async ({ page }) => {
      await page.setViewportSize({ width: 1280, height: 720 });
      await openDeck(page, `/slides/${deck.id}/`);
      const total = await page.evaluate(() => (window as any).deck.getTotalSlides());
      expect(total).toBe(deck.expected);
      await expect(page.locator('.reveal .slides > section')).toHaveCount(deck.expected);
      const problems = await page.evaluate(async (count) => {
        const api = (window as any).deck;
        const found: string[] = [];
        for (let i = 0; i < count; i += 1) {
          api.slide(i, 0, 999);
          const section = api.getCurrentSlide() as HTMLElement;
          const title = section.querySelector('h1, h2')?.textContent?.trim() ?? '';
          if (section.scrollHeight > 720 + 2) found.push(`slide ${i + 1} "${title}" is ${section.scrollHeight}px high`);
          for (const pre of section.querySelectorAll<HTMLElement>('pre')) {
            if (pre.scrollWidth > pre.clientWidth + 1) found.push(`slide ${i + 1} "${title}": a code block scrolls sideways`);
            if (pre.scrollHeight > pre.clientHeight + 1) found.push(`slide ${i + 1} "${title}": a code block scrolls down`);
          }
          for (const diagram of section.querySelectorAll<HTMLElement>('pre.mermaid')) {
            const svg = diagram.querySelector('svg');
            const box = svg?.getBoundingClientRect();
            if (!box || box.width < 20 || box.height < 20) found.push(`slide ${i + 1} "${title}": a diagram was not drawn`);
          }
          for (const figure of section.querySelectorAll<HTMLElement>('figure.diagram')) {
            const shown = [...figure.querySelectorAll('img')].filter((img) => img.offsetParent !== null);
            if (shown.length !== 1) found.push(`slide ${i + 1} "${title}": ${shown.length} diagram images shown instead of 1`);
            if (shown.some((img) => img.offsetWidth > 1280 || img.offsetHeight > 560)) found.push(`slide ${i + 1} "${title}": a diagram is too big`);
          }
        }
        return found;
      }, deck.expected);
      expect(problems).toEqual([]);
    });

    test('prints one page per slide', async ({ page }) => {
      await openDeck(page, `/slides/${deck.id}/?print-pdf`);
      await expect(page.locator('.pdf-page')).toHaveCount(deck.expected);
      await imagesLoaded(page);
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      expect(pdfPageCount(pdf)).toBe(deck.expected);
    });
  });
}

test('handouts with notes still have one page per slide, with the notes on the page, and print light', async ({ page }) => {
  const intro = decks.find((d) => d.id === 'intro')!;
  await useTheme(page, 'dark');
  await openDeck(page, '/slides/intro/?print-pdf&showNotes=true');
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
  await expect(page.locator('.pdf-page')).toHaveCount(intro.expected);
  await expect(page.locator('.pdf-page .speaker-notes-pdf').first()).toBeVisible();
  await imagesLoaded(page);
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  expect(pdfPageCount(pdf)).toBe(intro.expected);
});

test('keyboard navigation moves through slides and fragments, and the URL follows', async ({ page }) => {
  await openDeck(page, '/slides/intro/');
  await expect(page).toHaveURL(/#\/$|\/intro\/$/);
  await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(/#\/1$/);
  await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(/#\/2$/);
  // Slide 3 has a pause: space shows the fragment first, then moves on.
  await page.keyboard.press('Space');
  await expect(page).toHaveURL(/#\/2\/0\/0$/);
  await page.keyboard.press('Space');
  await expect(page).toHaveURL(/#\/3$/);
  await page.keyboard.press('ArrowLeft');
  await expect(page).toHaveURL(/#\/2\/0\/0$/);
  // A reload stays on the slide.
  await page.reload();
  await page.waitForSelector('html[data-deck-ready="true"]');
  expect(await page.evaluate(() => (window as any).deck.getIndices().h)).toBe(2);
});

test('Esc and O open the overview', async ({ page }) => {
  await openDeck(page, '/slides/intro/#/4');
  await page.keyboard.press('o');
  await expect(page.locator('.reveal')).toHaveClass(/overview/);
  await page.keyboard.press('o');
  await expect(page.locator('.reveal')).not.toHaveClass(/overview/);
  await page.keyboard.press('Escape');
  await expect(page.locator('.reveal')).toHaveClass(/overview/);
  await page.keyboard.press('Escape');
  await expect(page.locator('.reveal')).not.toHaveClass(/overview/);
  await page.getByRole('button', { name: 'Overview' }).click();
  await expect(page.locator('.reveal')).toHaveClass(/overview/);
});

test('the speaker view shows the notes, the clock and the pacing timer, and follows the deck', async ({ page, context }) => {
  await openDeck(page, '/slides/intro/#/2');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  const [speaker] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: 'Speaker view' }).click()]);
  // Cross-origin isolation (COOP same-origin) keeps the opener for a same-origin pop-up.
  expect(await speaker.evaluate(() => window.opener !== null && window.opener.location.origin === location.origin)).toBe(true);
  const notes = speaker.locator('.speaker-controls-notes .value');
  await expect(notes).toContainText('Start with a situation most students will recognise');
  await expect(speaker.locator('.speaker-controls-time .clock-value')).not.toHaveText('0:00 AM');
  await expect(speaker.locator('.speaker-controls-time .pacing')).toBeVisible();
  await expect(speaker.locator('#current-slide iframe')).toHaveCount(1);
  await expect(speaker.locator('#upcoming-slide iframe')).toHaveCount(1);
  // The speaker view follows the presentation.
  await page.bringToFront();
  await page.evaluate(() => (window as any).deck.slide(3));
  await expect(notes).toContainText('Let the audience guess first');
  // ... and the presentation follows the speaker view's keyboard.
  await speaker.bringToFront();
  await speaker.keyboard.press('ArrowRight');
  await expect.poll(() => page.evaluate(() => (window as any).deck.getIndices().h)).toBe(4);
});

test('the S key opens the speaker view', async ({ page, context }) => {
  await openDeck(page, '/slides/intro/#/2');
  const [speaker] = await Promise.all([context.waitForEvent('page'), page.keyboard.press('s')]);
  await expect(speaker.locator('.speaker-controls-notes .value')).toContainText('Start with a situation');
});

test('the live widget on the intro deck reveals the answer without moving the deck on', async ({ page }) => {
  await openDeck(page, '/slides/intro/#/3');
  const widget = page.locator('section.present ml-code-share');
  await widget.locator('input[type="range"]').focus();
  await page.keyboard.press('ArrowLeft');
  await expect(widget.locator('output')).toHaveText('49 %');
  await widget.getByRole('button', { name: 'Show the system' }).click();
  await expect(widget.locator('.mcs-answer')).toBeVisible();
  await expect(widget.locator('.mcs-verdict')).toContainText('too high');
  expect(await page.evaluate(() => (window as any).deck.getIndices().h)).toBe(3);
});

const themes: Theme[] = ['light', 'dark'];
for (const theme of themes) {
  for (const deck of decks) {
    test(`deck ${deck.id}: the deck page and its scroll view have no axe violations (${theme})`, async ({ page }) => {
      test.setTimeout(120_000);
      await useTheme(page, theme);
      await openDeck(page, `/slides/${deck.id}/`);
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
      await expectAccessible(page);
      await page.evaluate(() => (window as any).deck.slide(4));
      await expectAccessible(page);
      await page.goto(`/slides/${deck.id}/read/`);
      await expect(page.locator('.deck-read-slides section[data-slide-number]')).toHaveCount(deck.expected - 1);
      await expectAccessible(page);
    });
  }
}

test('the scroll view keeps slide numbers and notes, and links back', async ({ page }) => {
  await page.goto('/slides/intro/read/');
  const slides = page.locator('.deck-read-slides section[data-slide-number]');
  await expect(slides.first()).toHaveAttribute('data-slide-number', '2');
  await expect(page.locator('.deck-read-slides aside.notes').first()).toBeVisible();
  await expect(page.locator('.deck-read-links a[href="/slides/intro/"]')).toHaveCount(1);
  await expect(page.locator('.deck-read-links a[href="/slides/"]')).toHaveCount(1);
});
