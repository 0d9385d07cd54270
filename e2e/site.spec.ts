// The crawl: every built page, at desktop and phone width, in both themes, must load with no console error, failed
// request or Content-Security-Policy violation (see ./support.ts), be cross-origin isolated, pass axe-core and not
// scroll sideways; every internal link and anchor must resolve. Run against a build under a base path too
// (BASE_PATH=/course/, as `npm test` does), where every link must stay inside the base path.
import { test, expect, expectAccessible, useTheme, type Theme } from './support';
import { base, builtHtml, builtPages, dist, sitePath } from './site-pages';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const pages = builtPages();
/**
 * The pages loaded in a browser. Under a base path, what can break is per template (a link helper, a fetch), so one
 * page of each kind is loaded, and every lab, whose code fetches its own files; the link check reads every page.
 */
const templateOf = (path: string) => (path.startsWith('/labs/') ? path : path.replace(/^(\/(?:guide|modules|slides)\/)[^/]+\//, '$1:page/'));
const loaded = base === '/' ? pages : pages.filter((path, i) => pages.findIndex((other) => templateOf(other) === templateOf(path)) === i);
const themes: Theme[] = ['light', 'dark'];
const widths = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
];
/** Under a base path the layouts are the root build's; one theme and width there checks what the base path changes. */
const variants = base === '/' ? widths.flatMap((size) => themes.map((theme) => ({ ...size, theme }))) : [{ ...widths[0]!, theme: themes[0]! }];

function idsIn(html: string): Set<string> {
  return new Set([...html.matchAll(/\s(?:id|name)="([^"]+)"/g)].map((m) => m[1]));
}

/** Links (`<a href>`) and what the page loads (`src`, `<link href>`), both on this site, as URLs. */
function internalLinks(html: string, from: string): URL[] {
  const page = new URL(sitePath(from), 'http://site.local');
  return [...html.matchAll(/<a\s[^>]*href="([^"]*)"|<(?:img|script|source|link)\s[^>]*(?:src|href)="([^"]*)"/g)]
    .map((m) => (m[1] ?? m[2]!).replaceAll('&amp;', '&'))
    .filter((href) => !/^(mailto:|tel:|javascript:|data:)/.test(href))
    .map((href) => new URL(href, page))
    .filter((url) => url.host === 'site.local');
}

function fileFor(pathname: string): string | null {
  if (!pathname.startsWith(base)) return null;
  const path = decodeURIComponent(pathname.slice(base.length - 1));
  const candidates = path.endsWith('/') ? [join(dist, path, 'index.html')] : [join(dist, path), join(dist, path, 'index.html')];
  return candidates.find((file) => existsSync(file)) ?? null;
}

test('the site has pages to check', () => {
  expect(pages).toContain('/');
  expect(pages.length).toBeGreaterThan(10);
});

test('every internal link, source and anchor resolves', () => {
  const broken: string[] = [];
  const idCache = new Map<string, Set<string>>();
  for (const page of pages) {
    for (const url of internalLinks(builtHtml(page), page)) {
      const file = fileFor(url.pathname);
      if (!file) {
        broken.push(`${page} → ${url.pathname}${url.hash} (${url.pathname.startsWith(base) ? 'no such page' : `outside the base path ${base}`})`);
        continue;
      }
      const anchor = decodeURIComponent(url.hash.slice(1));
      // reveal.js slide routes (#/3) are handled by the deck, not by element ids.
      if (!anchor || anchor.startsWith('/') || !file.endsWith('.html')) continue;
      if (!idCache.has(file)) idCache.set(file, idsIn(readFileSync(file, 'utf8')));
      if (!idCache.get(file)!.has(anchor)) broken.push(`${page} → ${url.pathname}${url.hash} (no such anchor)`);
    }
  }
  expect(broken).toEqual([]);
});

for (const path of loaded) {
  test(`${path} loads clean and accessible at phone and desktop width, in both themes`, async ({ page }) => {
    await page.setViewportSize(variants[0]!);
    await useTheme(page, variants[0]!.theme);
    await page.goto(sitePath(path), { waitUntil: 'networkidle' });
    expect(await page.evaluate(() => crossOriginIsolated), 'crossOriginIsolated').toBe(true);
    // One load, then each variant by resizing and switching the theme as the theme picker does. A page that keeps one
    // theme whatever the site's (a handout is printed on white paper) is checked in that theme.
    const fixedTheme = await page.evaluate(() => (document.documentElement.hasAttribute('data-theme-fixed') ? document.documentElement.dataset.theme : undefined));
    for (const variant of variants.filter((v) => !fixedTheme || v.theme === fixedTheme)) {
      await test.step(`${variant.name}, ${variant.theme}`, async () => {
        await page.setViewportSize(variant);
        await page.evaluate((theme) => (document.documentElement.dataset.theme = theme), variant.theme);
        expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(variant.theme);
        // A resize moves reveal.js's slides with a transition; colours are checked once it has finished.
        await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity));
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `the page scrolls sideways by ${overflow} px at ${variant.width} px`).toBeLessThanOrEqual(0);
        await expectAccessible(page);
      });
    }
  });
}

test('search finds a study guide page by a term from it', async ({ page }) => {
  await page.goto(sitePath('/'));
  await page.getByRole('button', { name: 'Search' }).first().click();
  const input = page.getByRole('searchbox').or(page.locator('input.pagefind-ui__search-input')).first();
  await input.fill('flipped classroom');
  await expect(page.locator(`.pagefind-ui__result-link[href*="${sitePath('/guide/methods/')}"]`).first()).toBeVisible();
});
