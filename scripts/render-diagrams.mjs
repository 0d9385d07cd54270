// Draws every Mermaid diagram in content/ and labs/ ahead of time, once per theme, into public/diagrams/, and
// removes drawings no page uses any more. Each drawing carries a text version of the diagram's relations (a <desc>,
// read with Mermaid's own parser by ./describe-diagram.mjs), which pages show under the diagram.
// Run it after adding or changing a diagram: `npm run diagrams`. It needs Chromium (Debian: apt-get install chromium,
// or set CHROMIUM_PATH). `--check` only lists what is missing.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { diagramFile, diagramId, diagramsDir, drawnRelations, mermaidConfig, themes, withRelations } from '../src/markdown/diagrams.mjs';
import { describeDiagram } from './describe-diagram.mjs';
import { diagramSources } from './diagram-sources.mjs';

const sources = new Map(diagramSources().map(({ file, source }) => [diagramId(source), { file, source }]));
const wanted = new Set([...sources.keys()].flatMap((id) => themes.map((theme) => diagramFile(id, theme))));
const missing = [...sources.keys()].filter((id) => themes.some((theme) => !existsSync(diagramsDir + diagramFile(id, theme))));
const undescribed = [...sources.keys()].filter((id) => !missing.includes(id) && drawnRelations(id) === undefined);

if (process.argv.includes('--check')) {
  for (const id of missing) console.log(`not drawn: ${sources.get(id).file} (${id})`);
  for (const id of undescribed) console.log(`no text version: ${sources.get(id).file} (${id})`);
  process.exit(missing.length || undescribed.length ? 1 : 0);
}

mkdirSync(diagramsDir, { recursive: true });
for (const name of readdirSync(diagramsDir)) {
  if (!wanted.has(name)) rmSync(diagramsDir + name);
}

if (missing.length || undescribed.length) {
  const { chromium } = await import('@playwright/test');
  const { chromiumPath } = await import('../bench/chromium.mjs');
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-background-networking'] });
  const page = await browser.newPage();
  await page.setContent('<!doctype html><html><body></body></html>');
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js') });
  const failures = [];
  for (const id of missing) {
    const { file, source } = sources.get(id);
    for (const theme of themes) {
      try {
        const svg = await page.evaluate(
          async ({ id, source, config }) => {
            window.mermaid.initialize(config);
            const { svg } = await window.mermaid.render(`diagram-${id}`, source);
            return svg;
          },
          { id, source, config: mermaidConfig(theme) },
        );
        writeFileSync(diagramsDir + diagramFile(id, theme), svg);
      } catch (error) {
        failures.push(`${file}: ${error.message.split('\n')[0]}`);
        break;
      }
    }
  }
  for (const id of [...missing, ...undescribed]) {
    const { file, source } = sources.get(id);
    if (themes.some((theme) => !existsSync(diagramsDir + diagramFile(id, theme)))) continue;
    try {
      const relations = await page.evaluate(describeDiagram, source);
      for (const theme of themes) {
        const path = diagramsDir + diagramFile(id, theme);
        writeFileSync(path, withRelations(readFileSync(path, 'utf8'), relations));
      }
    } catch (error) {
      failures.push(`${file}: the text version could not be made: ${error.message.split('\n')[0]}`);
    }
  }
  await browser.close();
  if (failures.length) {
    console.error(`Could not draw ${failures.length} diagram(s):\n${failures.join('\n')}`);
    process.exit(1);
  }
}
console.log(`${sources.size} diagrams: ${missing.length} drawn now, ${sources.size - missing.length} already drawn; ${missing.length + undescribed.length} text versions written.`);
