/** Scatter and line charts, with optional 95% intervals on y (error bars), and a stem plot. */
import { axis, axisLabels, escapeXml, INK, legend, markers, palette, px, svgDocument, tickLabel, xGrid, yGrid, type ChartBase, type ScaleKind } from './frame.ts';

export interface Point {
  x: number;
  y: number;
  /** The interval around y (drawn as an error bar). */
  yLower?: number;
  yUpper?: number;
  /** Printed next to the point (scatter). */
  label?: string;
}

export interface Series {
  name: string;
  points: Point[];
  color?: string;
  /** Drawn lighter, for what is shown for context (e.g. excluded or pruned trials). */
  muted?: boolean;
}

export interface XYChartOptions extends ChartBase {
  series: Series[];
  xScale?: ScaleKind;
  yScale?: ScaleKind;
  /** Include zero on the y axis (default false). */
  yZero?: boolean;
  /** Draw lines as steps (an ECDF, a best-so-far curve). */
  step?: boolean;
}

function describePoint(p: Point): string {
  const interval = p.yLower !== undefined && p.yUpper !== undefined ? ` [${tickLabel(p.yLower)}, ${tickLabel(p.yUpper)}]` : '';
  return `${p.label ? `${p.label} ` : ''}(${tickLabel(p.x)}, ${tickLabel(p.y)}${interval})`;
}

function xyChart(o: XYChartOptions, lines: boolean): string {
  const width = o.width ?? 640;
  const height = o.height ?? 360;
  const withLegend = o.series.length > 1;
  const left = 64;
  const right = width - (withLegend ? 160 : 20);
  const top = 36;
  const bottom = height - (o.xLabel ? 56 : 36);
  const xs = o.series.flatMap((s) => s.points.map((p) => p.x));
  const ys = o.series.flatMap((s) => s.points.flatMap((p) => [p.y, p.yLower ?? p.y, p.yUpper ?? p.y]));
  const x = axis(xs, o.xScale ?? 'linear', left, right);
  const y = axis(ys, o.yScale ?? 'linear', bottom, top, o.yZero ?? false);
  const plotted = o.series
    .map((s, i) => {
      const color = s.color ?? palette[i % palette.length]!;
      const marker = markers[i % markers.length]!;
      const pts = s.points.filter((p) => x.accepts(p.x) && y.accepts(p.y)).map((p) => ({ ...p, px: px(x.map(p.x)), py: px(y.map(p.y)) }));
      if (lines) pts.sort((a, b) => a.x - b.x);
      let path = '';
      if (lines && pts.length > 1) {
        const d = o.step
          ? pts.map((p, k) => (k === 0 ? `M${p.px},${p.py}` : `H${p.px}V${p.py}`)).join('')
          : `M${pts.map((p) => `${p.px},${p.py}`).join('L')}`;
        path = `<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`;
      }
      const bars = pts
        .filter((p) => p.yLower !== undefined && p.yUpper !== undefined && y.accepts(p.yLower) && y.accepts(p.yUpper))
        .map((p) => {
          const lo = px(y.map(p.yLower!));
          const hi = px(y.map(p.yUpper!));
          return `<path d="M${p.px} ${lo}V${hi}M${px(p.px - 4)} ${lo}H${px(p.px + 4)}M${px(p.px - 4)} ${hi}H${px(p.px + 4)}" stroke="${color}" stroke-width="1.2"/>`;
        })
        .join('');
      const dots = pts
        .map(
          (p) =>
            `<g>${marker(p.px, p.py, color)}<title>${escapeXml(`${s.name}: ${describePoint(p)}`)}</title></g>` +
            (p.label && !lines ? `<text x="${px(p.px + 7)}" y="${px(p.py - 6)}" fill="${INK}" font-size="11">${escapeXml(p.label)}</text>` : ''),
        )
        .join('');
      return `<g${s.muted ? ' opacity="0.35"' : ''}>${path}${bars}${dots}</g>`;
    })
    .join('\n');
  const body = [
    yGrid(y, left, right),
    xGrid(x, top, bottom),
    `<rect x="${left}" y="${top}" width="${px(right - left)}" height="${px(bottom - top)}" fill="none" stroke="${INK}"/>`,
    plotted,
    withLegend ? legend(o.series.map((s, i) => ({ name: s.name, color: s.color ?? palette[i % palette.length]!, marker: i })), right + 20, top) : '',
    axisLabels(o, left, top, right, bottom),
  ].join('\n');
  const fallback = `${lines ? 'Line' : 'Scatter'} chart of ${o.yLabel ?? 'y'} against ${o.xLabel ?? 'x'}. ${o.series
    .map((s) => `${s.name}: ${s.points.map(describePoint).join(', ')}`)
    .join('; ')}.`;
  return svgDocument(o, width, height, body, fallback);
}

/** Points, optionally labelled and with intervals, one marker shape and colour per series. */
export function scatterChart(o: XYChartOptions): string {
  return xyChart(o, false);
}

/** Lines through each series' points, sorted by x (or steps, with `step`). */
export function lineChart(o: XYChartOptions): string {
  return xyChart(o, true);
}
