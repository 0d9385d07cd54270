/**
 * An x–y chart of layers, each drawn as points, a line or steps: a history (every trial's value as a point, the
 * best so far as steps), learning curves (one line per trial, pruned ones faint), a slice plot, an empirical
 * distribution. Unlike `lineChart`, many layers can share one legend entry (`group`), so hundreds of curves stay
 * one legend line each for "complete" and "pruned".
 */
import { axis, axisLabels, escapeXml, INK, legend, markers, palette, px, svgDocument, tickLabel, xGrid, yGrid, type ChartBase, type ScaleKind } from './frame.ts';

export interface Layer {
  points: { x: number; y: number; label?: string }[];
  mark: 'points' | 'line' | 'step';
  /** The legend entry it belongs to; layers of one group share colour and marker. */
  group: string;
  /** Drawn faint, behind the others. */
  muted?: boolean;
}

export interface LayeredOptions extends ChartBase {
  layers: Layer[];
  xScale?: ScaleKind;
  yScale?: ScaleKind;
  /** Colours by group name (default: the palette in order of first appearance). */
  colors?: Record<string, string>;
  /** Shown under the plot when there is nothing to draw. */
  empty?: string;
}

export function layeredChart(o: LayeredOptions): string {
  const width = o.width ?? 640;
  const height = o.height ?? 340;
  const groups = [...new Set(o.layers.map((l) => l.group))];
  const withLegend = groups.length > 1;
  const left = 64;
  const right = width - (withLegend ? 150 : 20);
  const top = 36;
  const bottom = height - (o.xLabel ? 56 : 36);
  const all = o.layers.flatMap((l) => l.points).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const x = axis(all.map((p) => p.x), o.xScale ?? 'linear', left, right);
  const y = axis(all.map((p) => p.y), o.yScale ?? 'linear', bottom, top);
  const colorOf = (g: string) => o.colors?.[g] ?? palette[groups.indexOf(g) % palette.length]!;
  const ordered = [...o.layers].sort((a, b) => Number(!a.muted) - Number(!b.muted));
  const drawn = ordered
    .map((l) => {
      const color = colorOf(l.group);
      const pts = l.points.filter((p) => x.accepts(p.x) && y.accepts(p.y)).map((p) => ({ ...p, px: px(x.map(p.x)), py: px(y.map(p.y)) }));
      if (!pts.length) return '';
      const opacity = l.muted ? ' opacity="0.3"' : '';
      if (l.mark === 'points') {
        const marker = markers[groups.indexOf(l.group) % markers.length]!;
        return `<g${opacity}>${pts.map((p) => `<g>${marker(p.px, p.py, color)}<title>${escapeXml(`${l.group}: ${p.label ? `${p.label} ` : ''}(${tickLabel(p.x)}, ${tickLabel(p.y)})`)}</title></g>`).join('')}</g>`;
      }
      const d = l.mark === 'step' ? pts.map((p, k) => (k === 0 ? `M${p.px},${p.py}` : `H${p.px}V${p.py}`)).join('') : `M${pts.map((p) => `${p.px},${p.py}`).join('L')}`;
      return `<path d="${d}" fill="none" stroke="${color}" stroke-width="${l.muted ? 1 : 1.6}"${opacity}/>`;
    })
    .join('\n');
  const body = [
    yGrid(y, left, right),
    xGrid(x, top, bottom),
    `<rect x="${left}" y="${top}" width="${px(right - left)}" height="${px(bottom - top)}" fill="none" stroke="${INK}"/>`,
    drawn,
    all.length ? '' : `<text x="${px((left + right) / 2)}" y="${px((top + bottom) / 2)}" text-anchor="middle" fill="${INK}">${escapeXml(o.empty ?? 'nothing to show yet')}</text>`,
    withLegend ? legend(groups.map((g, i) => ({ name: g, color: colorOf(g), marker: o.layers.find((l) => l.group === g)?.mark === 'points' ? i : undefined })), right + 20, top) : '',
    axisLabels(o, left, top, right, bottom),
  ].join('\n');
  const fallback = `Chart of ${o.yLabel ?? 'y'} against ${o.xLabel ?? 'x'}: ${groups.map((g) => `${g}, ${o.layers.filter((l) => l.group === g).reduce((n, l) => n + l.points.length, 0)} points`).join('; ')}.`;
  return svgDocument(o, width, height, body, fallback);
}
