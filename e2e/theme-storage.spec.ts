// Starlight's theme script, overridden in src/components/theme/, must keep working when the browser's storage is
// blocked (a SecurityError on every access) or full (a QuotaExceededError on every write): no error on any page, and
// the theme picker still switches the theme for the page.
import type { Page } from '@playwright/test';
import { test, expect } from './support';
import { sitePath } from './site-pages';

async function pickTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.goto(sitePath('/guide/overview/'));
  const picker = page.locator('starlight-theme-select select').first();
  if (!(await picker.isVisible())) await page.getByRole('button', { name: 'Menu' }).click();
  await page.locator('starlight-theme-select select:visible').first().selectOption(theme);
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

test('with storage blocked, pages load without an error and the theme picker works', async ({ page }) => {
  await page.addInitScript(() => {
    for (const name of ['localStorage', 'sessionStorage']) {
      Object.defineProperty(window, name, {
        get() {
          throw new DOMException('The operation is insecure.', 'SecurityError');
        },
      });
    }
  });
  await pickTheme(page, 'light');
  await pickTheme(page, 'dark');
});

test('with storage full, pages load without an error and the theme picker works', async ({ page }) => {
  await page.addInitScript(() => {
    Storage.prototype.setItem = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await pickTheme(page, 'light');
  await pickTheme(page, 'dark');
});
