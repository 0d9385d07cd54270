import { test, expect, expectAccessible, useTheme, type Theme } from './support';
import { builtHtml, builtPages, dist } from './site-pages';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const pages = builtPages();
const themes: Theme[] = ['light', 'dark'];

function idsIn(html: string): Set<string> {
  return new Set([...html.matchAll(/\s(?:id|name)="([^"]+)"/g)].map((m) => m[1]));
}

function internalLinks(html: string, from: string): URL[] {
  const base = new URL(from, 'http://site.local');
  return [...html.matchAll(/<a\s[^>]*href="([^"]*)"/g)]
    .map((m) => m[1].replaceAll('&amp;', '&'))
    .filter((href) => !/^(mailto:|tel:|javascript:|data:)/.test(href))
    .map((href) => new URL(href, base))
    .filter((url) => url.host === 'site.local');
}

function fileFor(pathname: string): string | null {
  const path = decodeURIComponent(pathname);
  const candidates = path.endsWith('/') ? [join(dist, path, 'index.html')] : [join(dist, path), join(dist, path, 'index.html')];
  return candidates.find((file) => existsSync(file)) ?? null;
}

test('the site has pages to check', () => {
  expect(pages).toContain('/');
  expect(pages.length).toBeGreaterThan(10);
});

test('every internal link and anchor resolves', () => {
  const broken: string[] = [];
  const idCache = new Map<string, Set<string>>();
  for (const page of pages) {
    for (const url of internalLinks(builtHtml(page), page)) {
      const file = fileFor(url.pathname);
      if (!file) {
        broken.push(`${page} → ${url.pathname}${url.hash} (no such page)`);
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

for (const path of pages) {
  for (const theme of themes) {
    test(`${path} loads clean and accessible (${theme})`, async ({ page }) => {
      await useTheme(page, theme);
      await page.goto(path, { waitUntil: 'networkidle' });
      expect(await page.evaluate(() => crossOriginIsolated), 'crossOriginIsolated').toBe(true);
      expect(await page.evaluate(() => document.documentElement.dataset.theme ?? 'dark')).toBe(theme);
      await expectAccessible(page);
    });
  }
}

test('search finds a study guide page by a term from it', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Search' }).first().click();
  const input = page.getByRole('searchbox').or(page.locator('input.pagefind-ui__search-input')).first();
  await input.fill('flipped classroom');
  await expect(page.locator('.pagefind-ui__result-link[href*="/guide/methods/"]').first()).toBeVisible();
});
