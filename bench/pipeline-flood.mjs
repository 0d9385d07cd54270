// A print flood in the pipeline lab's page, in headless Chromium, with the offline runtime (?runtime=offline).
//
//   npm run build && node_modules/.bin/node bench/pipeline-flood.mjs [seconds=10] [program=short|long]
//
// The lab's pipeline.mjs is replaced (through the lab's saved edits) by `let i = 0; while (true) console.log(i++)`
// ("long": 150-character lines), the time limit is set to 10 s, and Run is pressed. While it runs, it measures:
//   - the longest main-thread stall: the largest gap between ticks of a 10 ms interval timer in the page;
//   - input latency: the longest round trip of page.evaluate() calls made every 100 ms;
//   - memory: the resident memory (RSS) of the browser's processes, sampled every 250 ms (peak of the renderer
//     process alone, and peak of all processes together);
//   - when the run ends (the terminal's "[node pipeline.mjs was stopped ...]" line), measured from the click.
// It prints the figures and writes bench/results/pipeline-flood.json. No network is used.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chromiumPath } from './chromium.mjs';
import { serveSite } from './serve-site.mjs';

const limitSeconds = Number(process.argv[2] ?? 10);
const kind = process.argv[3] ?? 'short';
const PROGRAM =
  kind === 'long'
    ? `let i = 0;\nconst pad = 'x'.repeat(140);\nwhile (true) console.log(i++, pad);\n`
    : `let i = 0;\nwhile (true) console.log(i++);\n`;

/** RSS in MB of a process and its descendants, by process type. */
function memory(rootPid) {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,rss=,args='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => {
      const [pid, ppid, rss, ...args] = line.trim().split(/\s+/);
      return { pid: Number(pid), ppid: Number(ppid), rss: Number(rss) / 1024, args: args.join(' ') };
    });
  const family = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of rows) if (!family.has(r.pid) && family.has(r.ppid)) family.add(r.pid), (grew = true);
  }
  const mine = rows.filter((r) => family.has(r.pid));
  const renderers = mine.filter((r) => r.args.includes('--type=renderer'));
  return { total: mine.reduce((s, r) => s + r.rss, 0), renderer: Math.max(0, ...renderers.map((r) => r.rss)) };
}

const { origin, stop } = await serveSite();
const browser = await chromium.launch({
  executablePath: chromiumPath(),
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.route((url) => !url.href.startsWith(origin), (route) => route.abort());
  await context.addInitScript((program) => {
    localStorage.setItem('mlops-course.lab.pipeline.v1', JSON.stringify({ edits: { 'pipeline.mjs': program }, state: {}, open: 'pipeline.mjs' }));
  }, PROGRAM);
  const page = await context.newPage();
  await page.goto(`${origin}/labs/pipeline/?runtime=offline`);
  await page.getByLabel('Time limit').selectOption(String(limitSeconds));
  await page.evaluate(() => {
    const w = window;
    w.__stall = 0;
    w.__stalls = [];
    let last = performance.now();
    w.__tick = setInterval(() => {
      const now = performance.now();
      if (now - last > 200) w.__stalls.push([Math.round(last - w.__clicked), Math.round(now - last)]);
      w.__stall = Math.max(w.__stall, now - last);
      last = now;
    }, 10);
  });
  const rootPid = browser.process?.()?.pid ?? Number(execFileSync('pgrep', ['-o', '-f', 'chromium.*--remote-debugging-pipe'], { encoding: 'utf8' }).trim());
  const before = memory(rootPid);
  let peak = { ...before };
  let maxRoundTrip = 0;
  const sampler = setInterval(() => {
    const m = memory(rootPid);
    peak = { total: Math.max(peak.total, m.total), renderer: Math.max(peak.renderer, m.renderer) };
  }, 250);
  const t0 = Date.now();
  await page.evaluate(() => (window.__clicked = performance.now()));
  await page.getByRole('button', { name: '▶ Run' }).click();
  const ended = page.getByTestId('terminal').getByText(/\[node pipeline\.mjs (was stopped|exited)/).waitFor({ timeout: (limitSeconds + 120) * 1000 });
  let finished = false;
  void ended.then(() => (finished = true), () => (finished = true));
  while (!finished) {
    const start = Date.now();
    await page.evaluate(() => 1);
    maxRoundTrip = Math.max(maxRoundTrip, Date.now() - start);
    await new Promise((r) => setTimeout(r, 100));
  }
  const endedAfterS = (Date.now() - t0) / 1000;
  clearInterval(sampler);
  const stallMs = await page.evaluate(() => window.__stall);
  /** Stalls over 200 ms: [ms after the click, length in ms]. */
  const stalls = await page.evaluate(() => window.__stalls);
  const terminal = await page.getByTestId('terminal').innerText();
  const result = {
    program: kind,
    limitSeconds,
    endedAfterS,
    longestStallMs: Math.round(stallMs),
    stallsOver200Ms: stalls,
    longestInputRoundTripMs: maxRoundTrip,
    rssBeforeMB: Math.round(before.total),
    peakRssMB: Math.round(peak.total),
    peakRendererRssMB: Math.round(peak.renderer),
    truncationShown: /output truncated/.test(terminal),
  };
  console.log(JSON.stringify(result, null, 2));
  const out = join(dirname(new URL(import.meta.url).pathname), 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `pipeline-flood-${kind}.json`), JSON.stringify({ chromium: browser.version(), ...result }, null, 2) + '\n');
} finally {
  await browser.close();
  stop();
}
