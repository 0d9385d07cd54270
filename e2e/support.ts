import { test as base, expect, type Locator, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

export { expect };

export type Theme = 'light' | 'dark';

type Fixtures = {
  /**
   * Console errors and HTTP errors (`HTTP 400: <url>`) matching one of these are expected by the test (a deliberately
   * blocked host, an API answering a bad request).
   */
  allowedConsoleErrors: RegExp[];
  /** Collected problems; the fixture fails the test when any remain at its end. */
  pageProblems: string[];
};

/**
 * Playwright's `test`, plus a guard on every page the test opens: a console error, an uncaught exception, a failed
 * same-origin request or a Content-Security-Policy violation fails the test.
 */
export const test = base.extend<Fixtures>({
  allowedConsoleErrors: [[], { option: true }],
  pageProblems: [
    async ({ context, allowedConsoleErrors, baseURL }, use) => {
      const problems: string[] = [];
      const origin = new URL(baseURL ?? 'http://127.0.0.1').origin;
      const allowed = (text: string) => allowedConsoleErrors.some((pattern) => pattern.test(text));
      const watch = (page: Page) => {
        page.on('console', (message) => {
          if (message.type() === 'error' && !allowed(message.text())) problems.push(`console error on ${page.url()}: ${message.text()}`);
        });
        page.on('pageerror', (error) => {
          if (!allowed(error.message)) problems.push(`uncaught exception on ${page.url()}: ${error.message}`);
        });
        page.on('requestfailed', (request) => {
          const failure = request.failure()?.errorText ?? '';
          // A navigation that the test itself interrupts is not a failure of the site.
          if (request.url().startsWith(origin) && !/ERR_ABORTED/.test(failure)) problems.push(`request failed: ${request.url()} (${failure})`);
        });
        page.on('response', (response) => {
          const problem = `HTTP ${response.status()}: ${response.url()}`;
          if (response.url().startsWith(origin) && response.status() >= 400 && !allowed(problem)) problems.push(problem);
        });
      };
      // The browser logs a violation as a console error too; this names the directive and what it blocked.
      await context.addInitScript(() =>
        document.addEventListener('securitypolicyviolation', (event) =>
          console.error(`Content-Security-Policy violation: ${event.effectiveDirective} blocked ${event.blockedURI || 'an inline script or style'} (${event.sourceFile}:${event.lineNumber})`),
        ),
      );
      context.pages().forEach(watch);
      context.on('page', watch);
      await use(problems);
      expect(problems, 'problems seen while the test ran').toEqual([]);
    },
    { auto: true },
  ],
});

/** Opens pages in the given Starlight theme: the theme is stored where Starlight reads it, before any script runs. */
export async function useTheme(page: Page, theme: Theme): Promise<void> {
  await page.addInitScript((value) => localStorage.setItem('starlight-theme', value), theme);
}

/** Fails with a readable list when axe-core finds a WCAG 2.1 A/AA violation. */
export async function expectAccessible(page: Page, options: { exclude?: string[] } = {}): Promise<void> {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
  const { violations } = await builder.analyze();
  const summary = violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n` + v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.split('\n').join(' ')}`).join('\n'),
  );
  expect(summary, `axe violations on ${page.url()}`).toEqual([]);
}

/**
 * A lab's code editor shows its file as text until the student starts to edit; then Monaco loads. Clicks the first
 * not-yet-started editor inside `scope` and waits until Monaco shows its lines; returns that editor.
 */
export async function startEditing(scope: Page | Locator): Promise<Locator> {
  await expect(scope.getByTestId('editor-preview').first()).toBeVisible({ timeout: 30_000 });
  const editors = scope.locator('.lab-editor');
  const index = await editors.evaluateAll((boxes) => boxes.findIndex((b) => b.querySelector(':scope > [data-testid="editor-preview"]')));
  expect(index, 'an editor that has not started yet').toBeGreaterThanOrEqual(0);
  const box = editors.nth(index);
  await box.getByTestId('editor-preview').click();
  const lines = box.locator('.lab-monaco .view-lines');
  await expect(lines).toBeVisible({ timeout: 30_000 });
  return lines;
}

/**
 * Replaces the text of the focused Monaco editor by select-all and a paste, as a student pastes code. (Monaco treats
 * `keyboard.insertText` as typing: it indents each new line and closes brackets, which changes multi-line code.)
 */
export async function pasteIntoEditor(page: Page, text: string): Promise<void> {
  await page.keyboard.press('ControlOrMeta+a');
  await page.evaluate((pasted) => {
    const data = new DataTransfer();
    data.setData('text/plain', pasted);
    document.activeElement?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}
