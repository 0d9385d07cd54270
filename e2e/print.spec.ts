// Printing: deck handouts on A4 or Letter with 1, 2 or 3 slides a page and their notes (src/slides/handout.ts), and
// readings that print light with light diagrams whatever the screen's theme.
import type { Page } from '@playwright/test';
import { test, expect, useTheme } from './support';
import { sitePath } from './site-pages';

/** Page objects in a PDF, and the size of each page in points. */
function pdfPages(pdf: Buffer): { count: number; sizes: [number, number][] } {
  const text = pdf.toString('latin1');
  const count = text.match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
  const sizes = [...text.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => [Number(m[1]), Number(m[2])] as [number, number]);
  return { count, sizes };
}

/** Paper sizes in points (1/72 inch). */
const PAPER_PT = { A4: [595.28, 841.89], Letter: [612, 792] } as const;

async function openHandout(page: Page, query: string): Promise<number> {
  await page.goto(`${sitePath('/slides/intro/handout/')}${query}`);
  await page.waitForSelector('html[data-handout-ready="true"]');
  await page.waitForFunction(() => [...document.images].every((img) => img.complete));
  return Number(await page.locator('.handout').getAttribute('data-slide-count'));
}

for (const [paper, perPage, notes] of [
  ['A4', 1, 'under'],
  ['A4', 3, 'beside'],
  ['Letter', 2, 'beside'],
] as const) {
  test(`the intro handout prints ${perPage} slide(s) a page with notes ${notes}, on ${paper}`, async ({ page }) => {
    const slides = await openHandout(page, `?per-page=${perPage}&notes=${notes}&paper=${paper}`);
    expect(slides).toBeGreaterThan(10);
    await expect(page.locator('.handout-cell')).toHaveCount(slides);
    // Every note is shown whole, at a size that reads on paper.
    const notesBoxes = await page.locator('.handout-notes').evaluateAll((boxes) =>
      boxes.map((box, i) => ({ slide: i + 1, overflow: box.scrollHeight - box.clientHeight, pt: (parseFloat(getComputedStyle(box).fontSize) * 72) / 96 })),
    );
    expect(notesBoxes.filter((box) => box.overflow > 1), 'notes cut off').toEqual([]);
    expect(Math.min(...notesBoxes.map((box) => box.pt))).toBeGreaterThanOrEqual(7.5);
    const pdf = pdfPages(await page.pdf({ preferCSSPageSize: true, printBackground: true }));
    expect(pdf.count).toBe(Math.ceil(slides / perPage));
    for (const [width, height] of pdf.sizes) {
      expect(Math.abs(width - PAPER_PT[paper][0])).toBeLessThan(2);
      expect(Math.abs(height - PAPER_PT[paper][1])).toBeLessThan(2);
    }
  });
}

test('the course file’s paper is the default, and the layout chosen on the page goes into the URL', async ({ page }) => {
  await openHandout(page, '');
  await expect(page.getByRole('radio', { name: 'A4' })).toBeChecked();
  await page.getByRole('radio', { name: '3' }).check();
  await expect(page).toHaveURL(/per-page=3&notes=beside&paper=A4$/);
  await expect(page.locator('.handout')).toHaveAttribute('data-per-page', '3');
});

test('a live widget prints its explanation, not a result for a guess nobody made', async ({ page }) => {
  await openHandout(page, '?per-page=2');
  const widget = page.locator('ml-code-share');
  await expect(widget.locator('.mcs-verdict')).toBeVisible();
  await expect(widget.locator('.mcs-verdict')).not.toContainText('your guess');
  await expect(widget.locator('input[type="range"]')).toBeHidden();
});

test('a reading printed in the dark theme prints light, with the light drawing of each diagram', async ({ page }) => {
  await useTheme(page, 'dark');
  await page.goto(sitePath('/modules/intro/'));
  await page.emulateMedia({ media: 'print' });
  const figure = page.locator('figure.diagram').first();
  await expect(figure.locator('img.diagram-light')).toBeVisible();
  await expect(figure.locator('img.diagram-dark')).toBeHidden();
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).toBe('rgb(255, 255, 255)');
});
