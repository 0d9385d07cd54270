/**
 * The pages that make the site a course (home, schedule, module outline, a module, labs, progress) at phone and
 * desktop widths in both themes, and what they compute from content/course.yaml: this week at a glance for dates
 * before, during and after the term, the current week in the schedule, demo windows, the labs index and the calendar
 * file. Expected values come from the same schedule functions as the pages, never from fixed dates.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { courseSchema } from '../src/schemas';
import { demoWindows, scheduleRows, teachingWeeks, addDays } from '../src/lib/schedule';
import { test, expect, expectAccessible, useTheme } from './support';
import { builtPages } from './site-pages';

const course = courseSchema.parse(parse(readFileSync('content/course.yaml', 'utf8')));
const rows = scheduleRows(course);
const weeks = teachingWeeks(course);
const windows = demoWindows(course);
const firstModule = builtPages().find((path) => /^\/modules\/[a-z0-9-]+\/$/.test(path))!;
const coursePages = ['/', '/guide/schedule/', '/modules/', firstModule, '/labs/', '/progress/'];
/** Noon in the course's time zone on an ISO date is that date there, whatever the machine's zone. */
const noonOn = (iso: string) => new Date(`${iso}T11:00:00Z`);
const frontmatter = (file: string) => parse(readFileSync(file, 'utf8').match(/^---\r?\n([\s\S]*?)\r?\n---/)![1]);

for (const width of [390, 1440]) {
  for (const theme of ['light', 'dark'] as const) {
    test.describe(`${width} px, ${theme}`, () => {
      test.use({ viewport: { width, height: width < 500 ? 844 : 900 }, isMobile: width < 500, hasTouch: width < 500 });
      for (const path of coursePages) {
        test(`${path} is clean, accessible and does not scroll sideways`, async ({ page }) => {
          await useTheme(page, theme);
          await page.goto(path, { waitUntil: 'networkidle' });
          await expectAccessible(page);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          expect(overflow, 'sideways scroll in px').toBeLessThanOrEqual(0);
        });
      }
    });
  }
}

test.describe('this week, at a glance', () => {
  const teachingWithLab = weeks.find((w) => w.lab && windows.some((x) => x.lab === w.lab && x.startWeek === w.number))!;
  const breakRow = rows.find((r) => r.kind === 'break');
  const moved = weeks.find((w) => w.holiday?.moved);

  test('before the term it says when the term starts and what to read first', async ({ page }) => {
    await page.clock.setFixedTime(noonOn(addDays(weeks[0].monday, -10)));
    await page.goto('/');
    const box = page.locator('.this-week');
    await expect(box).toContainText(`${course.term} starts on`);
    await expect(box.locator(`a[href$="/modules/${weeks[0].module}/"]`).filter({ visible: true })).toHaveCount(1);
    await expect(box.locator('[data-fallback]')).toBeHidden();
  });

  test('in a teaching week it names the reading, the slides, the lab and the next deadline', async ({ page }) => {
    await page.clock.setFixedTime(noonOn(addDays(teachingWithLab.monday, 2)));
    await page.goto('/');
    const box = page.locator('.this-week');
    await expect(box).toContainText(`Week ${teachingWithLab.number} of ${weeks.length}`);
    const shown = (selector: string) => box.locator(selector).filter({ visible: true });
    await expect(shown(`a[href$="/modules/${teachingWithLab.module}/"]`)).toHaveCount(1);
    await expect(shown(`a[href$="/slides/${teachingWithLab.module}/read/"]`)).toHaveCount(1);
    await expect(shown(`dd:has(a[href$="/labs/${teachingWithLab.lab}/"])`)).toContainText('starts this week');
    const deadline = windows.filter((w) => w.closes >= addDays(teachingWithLab.monday, 2)).sort((a, b) => a.closes.localeCompare(b.closes))[0];
    await expect(box.locator('.this-week-deadline:visible')).toContainText(`week ${deadline.closesWeek}`);
    await expect(box.locator('.this-week-deadline:visible a')).toHaveAttribute('href', new RegExp(`/labs/${deadline.lab}/$`));
  });

  test('during a break it says so and when teaching resumes', async ({ page }) => {
    expect(breakRow, 'content/course.yaml has no break, so this test has nothing to show').toBeDefined();
    await page.clock.setFixedTime(noonOn(addDays(breakRow!.monday, 1)));
    await page.goto('/progress/');
    const box = page.locator('.this-week');
    await expect(box).toContainText(`${breakRow!.kind === 'break' && breakRow!.label}: no classes this week.`);
    await expect(box).toContainText('Teaching resumes on');
  });

  test('a session moved by a holiday shows its new day', async ({ page }) => {
    expect(moved, 'content/course.yaml moves no session for a holiday, so this test has nothing to show').toBeDefined();
    await page.clock.setFixedTime(noonOn(moved!.monday));
    await page.goto('/');
    await expect(page.locator('.this-week')).toContainText(`(moved from`);
    await expect(page.locator('.this-week')).toContainText(moved!.holiday!.label);
  });

  test('after the term it says the term has ended', async ({ page }) => {
    await page.clock.setFixedTime(noonOn(addDays(weeks.at(-1)!.monday, 10)));
    await page.goto('/');
    await expect(page.locator('.this-week')).toContainText(`${course.term} ended`);
    await expect(page.locator('.this-week')).toContainText('No demo deadlines are left this term.');
  });

  test('the schedule marks the current week', async ({ page }) => {
    await page.clock.setFixedTime(noonOn(addDays(teachingWithLab.monday, 3)));
    await page.goto('/guide/schedule/');
    await expect(page.locator('tr[aria-current="date"]')).toHaveCount(1);
    await expect(page.locator('tr[aria-current="date"]')).toHaveAttribute('id', `week-${teachingWithLab.number}`);
    await expect(page.locator('tr[aria-current="date"] .now-tag')).toBeVisible();
  });
});

test.describe('demo windows and the labs', () => {
  test('the schedule shows the last demo session of every lab in its closing week', async ({ page }) => {
    await page.goto('/guide/schedule/');
    for (const w of windows) await expect(page.locator(`#week-${w.closesWeek} .deadline a[href$="/labs/${w.lab}/"]`)).toBeVisible();
  });

  test('the labs index lists every lab once, with its modules and demo window', async ({ page }) => {
    await page.goto('/labs/');
    const main = page.locator('main');
    await expect(main).toContainText('Your progress page');
    const ids = await page.locator('[id]').evaluateAll((els) => els.map((el) => el.id));
    expect(ids.length).toBe(new Set(ids).size);
    for (const w of windows) {
      const card = page.locator('.lab-card', { has: page.locator(`h2 a[href$="/labs/${w.lab}/"]`) });
      await expect(card).toHaveCount(1);
      await expect(card.locator('.lab-window')).toContainText(`week ${w.startWeek}`);
      await expect(card.locator('.lab-window')).toContainText(`week ${w.closesWeek}`);
      const moduleIds = new Set(course.weeks.filter((x) => x.lab === w.lab && x.module).map((x) => x.module!));
      for (const id of moduleIds) await expect(card.locator(`.meta a[href$="/modules/${id}/"]`)).toBeVisible();
    }
  });

  test('a lab page shows its demo window', async ({ page }) => {
    const w = windows[0];
    await page.goto(`/labs/${w.lab}/`);
    await expect(page.locator('.lab-window')).toContainText(`week ${w.startWeek}`);
  });

  test('the progress page shows criteria in words, not the quantities the labs measure', async ({ page }) => {
    await page.goto('/progress/');
    const text = await page.locator('main').innerText();
    const labs = builtPages().filter((path) => /^\/labs\/[a-z0-9-]+\/$/.test(path) && existsSync(`labs/${path.split('/')[2]}/index.mdx`));
    for (const path of labs) {
      const data = frontmatter(`labs/${path.split('/')[2]}/index.mdx`) as { criteria: { label: string; quantity: string }[] };
      for (const c of data.criteria) {
        expect(text).not.toContain(c.quantity);
        expect(text.toLowerCase()).toContain(c.label.toLowerCase());
      }
    }
  });
});

test.describe('phones', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('the home page has the menu, and in it the theme switch', async ({ page }) => {
    await useTheme(page, 'dark');
    await page.goto('/');
    await page.getByRole('button', { name: 'Menu' }).click();
    const select = page.locator('starlight-theme-select select').last();
    await expect(select).toBeVisible();
    await select.selectOption('light');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
  });
});

test('the module outline shows every learning outcome once', async ({ page }) => {
  await page.goto('/modules/');
  const text = await page.locator('main').textContent();
  for (const path of builtPages().filter((p) => /^\/modules\/[a-z0-9-]+\/$/.test(p))) {
    const { outcomes } = frontmatter(`content/modules/${path.split('/')[2]}.mdx`) as { outcomes: { text: string }[] };
    for (const o of outcomes) expect(text!.split(o.text).length - 1, o.text).toBe(1);
  }
});

test('the calendar file holds sessions and demo windows with titles, stamps and the configured URL', async ({ request }) => {
  const response = await request.get('/schedule.ics');
  expect(response.headers()['content-type']).toContain('text/calendar');
  const ics = (await response.text()).replace(/\r\n /g, '');
  expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(course.weeks.length + 2 * windows.length);
  expect(ics).toMatch(/^SEQUENCE:\d+$/m);
  expect(ics).toMatch(/^LAST-MODIFIED:\d{8}T\d{6}Z$/m);
  expect(ics).toContain(`Reading: ${new URL(`modules/${weeks[0].module}/`, course.url).href}`);
  for (const w of windows) expect(ics).not.toContain(`Lab: ${w.lab}\\n`);
});
