import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { diagramFile, diagramId, diagramsDir, diagramTitle, themes } from '../src/markdown/diagrams.mjs';
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
