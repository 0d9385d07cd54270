/**
 * A timeline (Gantt chart): one row per worker, one bar per span of work, coloured by its kind, so idle workers show
 * as gaps. For a tuning study's workers, a CI runner's jobs, a load test's connections.
 */
import { axis, axisLabels, escapeXml, GRID, INK, MUTED, palette, px, svgDocument, tickLabel, type ChartBase } from './frame.ts';

export interface Span {
  row: number;
  start: number;
  end: number;
  kind: string;
  label?: string;
}

export interface TimelineOptions extends ChartBase {
  spans: Span[];
  rows: number;
  rowLabel?: (row: number) => string;
  colors?: Record<string, string>;
}

export function timelineChart(o: TimelineOptions): string {
  const width = o.width ?? 640;
  const rowHeight = 26;
  const kinds = [...new Set(o.spans.map((s) => s.kind))];
  const top = 36;
  const legendHeight = kinds.length ? 22 : 0;
  const bottom = top + Math.max(1, o.rows) * rowHeight;
  const height = o.height ?? bottom + (o.xLabel ? 48 : 30) + legendHeight;
  const left = 84;
  const right = width - 16;
  const x = axis([0, ...o.spans.map((s) => s.end)], 'linear', left, right, true);
  const colorOf = (k: string) => o.colors?.[k] ?? palette[kinds.indexOf(k) % palette.length]!;
  const rows = Array.from({ length: o.rows }, (_, r) => {
    const y = top + r * rowHeight;
    return `<text x="${left - 8}" y="${y + rowHeight / 2 + 4}" text-anchor="end" fill="${INK}">${escapeXml(o.rowLabel?.(r) ?? `row ${r + 1}`)}</text><line x1="${left}" x2="${right}" y1="${y + rowHeight}" y2="${y + rowHeight}" stroke="${GRID}"/>`;
  }).join('');
  const bars = o.spans
    .map((s) => {
      const x0 = x.map(s.start);
      const w = Math.max(1, x.map(s.end) - x0);
      const y = top + s.row * rowHeight + 4;
      const text = s.label && w > 8 * s.label.length ? `<text x="${px(x0 + w / 2)}" y="${y + 13}" text-anchor="middle" fill="#ffffff" font-size="10">${escapeXml(s.label)}</text>` : '';
      return `<g><rect x="${px(x0)}" y="${y}" width="${px(w)}" height="${rowHeight - 8}" fill="${colorOf(s.kind)}" stroke="#ffffff" stroke-width="0.5"/>${text}<title>${escapeXml(`${o.rowLabel?.(s.row) ?? `row ${s.row + 1}`}: ${s.label ?? ''} ${s.kind}, ${tickLabel(s.start)}–${tickLabel(s.end)}`)}</title></g>`;
    })
    .join('');
  const ticks = x.ticks.map((t) => `<line x1="${px(x.map(t))}" x2="${px(x.map(t))}" y1="${top}" y2="${bottom}" stroke="${GRID}"/><text x="${px(x.map(t))}" y="${bottom + 16}" text-anchor="middle" fill="${MUTED}">${tickLabel(t)}</text>`).join('');
  const key = kinds.map((k, i) => `<rect x="${left + i * 110}" y="${height - legendHeight}" width="10" height="10" fill="${colorOf(k)}"/><text x="${left + i * 110 + 14}" y="${height - legendHeight + 9}" fill="${INK}">${escapeXml(k)}</text>`).join('');
  const busy = Array.from({ length: o.rows }, (_, r) => o.spans.filter((s) => s.row === r).reduce((a, s) => a + (s.end - s.start), 0));
  const span = Math.max(0, ...o.spans.map((s) => s.end));
  const fallback = `Timeline of ${o.rows} rows over ${tickLabel(span)}: ${busy.map((b, r) => `${o.rowLabel?.(r) ?? `row ${r + 1}`} busy ${span ? Math.round((100 * b) / span) : 0}%`).join(', ')}.`;
  return svgDocument(o, width, height, [ticks, rows, bars, key, axisLabels({ ...o, yLabel: undefined }, left, top, right, bottom)].join('\n'), fallback);
}
