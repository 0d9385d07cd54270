import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { diagramFile, diagramId, diagramsDir, diagramTitle, drawnRelations, themes, withRelations } from '../src/markdown/diagrams.mjs';
import { diagramSources } from '../scripts/diagram-sources.mjs';

describe('diagrams drawn ahead of time', () => {
  const sources = diagramSources();

  it('finds the diagrams in the course', () => {
    expect(sources.length).toBeGreaterThan(10);
  });

  it('has a light and a dark drawing of every diagram (run `npm run diagrams` after changing one)', () => {
    const missing = sources.filter(({ source }) => themes.some((theme) => !existsSync(diagramsDir + diagramFile(diagramId(source), theme))));
    expect(missing.map((m) => m.file)).toEqual([]);
  });

  it('draws text as SVG text, so a drawing works as an image', () => {
    for (const { source } of sources.slice(0, 5)) {
      const svg = readFileSync(diagramsDir + diagramFile(diagramId(source), 'light'), 'utf8');
      expect(svg).toMatch(/^<svg/);
      expect(svg).not.toContain('<foreignObject');
    }
  });
});

describe('text versions of diagrams', () => {
  const sources = diagramSources();

  it('every drawing carries one, and a flowchart lists each of its arrows (run `npm run diagrams` to write them)', () => {
    const missing = sources.filter(({ source }) => drawnRelations(diagramId(source)) === undefined);
    expect(missing.map((m) => m.file)).toEqual([]);
    for (const { file, source } of sources.filter(({ source }) => /^\s*(flowchart|graph)\b/.test(source))) {
      const arrows = source.split('\n').filter((line) => /-->|==>|-\.->|---/.test(line)).length;
      expect(drawnRelations(diagramId(source))!.length, `${file}: ${source.split('\n')[0]}`).toBeGreaterThanOrEqual(arrows);
    }
  });

  it('are written into a drawing once, replacing an older one, with XML escaped', () => {
    const svg = '<svg viewBox="0 0 1 1"><g/></svg>';
    const once = withRelations(svg, ['A → B (x < y)']);
    expect(once).toBe('<svg viewBox="0 0 1 1"><desc data-relations="">A → B (x &lt; y)</desc><g/></svg>');
    expect(withRelations(once, ['C → D'])).toBe('<svg viewBox="0 0 1 1"><desc data-relations="">C → D</desc><g/></svg>');
  });
});

describe('diagramTitle', () => {
  it('uses accTitle when the author gives one, else the kind of diagram', () => {
    expect(diagramTitle('flowchart LR\n  accTitle: The ML lifecycle\n  A --> B')).toBe('The ML lifecycle');
    expect(diagramTitle('flowchart LR\n  A --> B')).toBe('Flowchart');
    expect(diagramTitle('flowchart LR\n  A[Ingest data] --> B(["Train model"]) --> C{Gate?}\n  C --> A[Ingest data]')).toBe(
      'Flowchart: Ingest data, Train model, Gate?',
    );
    expect(diagramTitle('sequenceDiagram\n  A->>B: hi')).toBe('Sequence diagram');
  });
});
