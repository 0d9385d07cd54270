/**
 * Parallel coordinates you can brush: drag along an axis to keep only the lines that cross it in that range (drag
 * again to change it, click the axis without dragging to clear it). The same ranges can be typed in the form below
 * the chart, which is how keyboard and screen-reader users set them. The lines are drawn on a canvas from the
 * labkit's layout (src/labkit/charts/parallel.ts), so a brush redraws thousands of lines within a frame; the axes
 * are SVG over it; the report gets the same chart as SVG.
 */
import { useEffect, useMemo, useRef, useState, type PointerEvent } from 'react';
import { drawParallelLines, inBrush, keptLine, parallelLayout, type Brush, type ParallelLine, type ParallelOptions } from '../../../labkit/charts/parallel.ts';
import { INK, MUTED } from '../../../labkit/charts/frame.ts';

interface Props {
  options: ParallelOptions;
  /** Brushes by axis name. */
  brushes: Record<string, Brush>;
  onBrush(name: string, brush: Brush | null): void;
}

export function ParallelCoordinates({ options, brushes, onBrush }: Props) {
  const layout = useMemo(() => parallelLayout(options), [options]);
  const byId = useMemo(() => new Map<string, ParallelLine>(options.lines.map((l) => [l.id, l])), [options.lines]);
  const canvas = useRef<HTMLCanvasElement>(null);
  const overlay = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<{ axis: number; from: number; to: number } | null>(null);

  const brushOf = (axis: number, from: number, to: number): Brush | null => {
    const a = layout.axes[axis]!;
    if (Math.abs(to - from) < 3) return null;
    const [lo, hi] = [Math.min(from, to), Math.max(from, to)];
    if (a.kind === 'categorical') return { categories: a.ticks.filter((t) => t.y >= lo - 4 && t.y <= hi + 4).map((t) => t.value) };
    const [v1, v2] = [a.invert(from) as number, a.invert(to) as number];
    return { min: Math.min(v1, v2), max: Math.max(v1, v2) };
  };

  // Brushes by axis index, with the one being dragged previewed live.
  const active = useMemo(() => {
    const out: Record<number, Brush> = {};
    options.axes.forEach((a, i) => {
      if (brushes[a.name]) out[i] = brushes[a.name]!;
    });
    if (drag) {
      const b = brushOf(drag.axis, drag.from, drag.to);
      if (b) out[drag.axis] = b;
    }
    return out;
  }, [options.axes, brushes, drag]); // eslint-disable-line react-hooks/exhaustive-deps -- brushOf follows layout
  const kept = useMemo(() => {
    const ids = new Set<string>();
    for (const l of options.lines) if (keptLine(options.axes, active, l)) ids.add(l.id);
    return ids;
  }, [options, active]);

  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const draw = () => {
      const scale = (c.clientWidth / layout.width) * (window.devicePixelRatio || 1);
      c.width = Math.round(layout.width * scale);
      c.height = Math.round(layout.height * scale);
      const g = c.getContext('2d');
      if (g) drawParallelLines(g, layout, (l) => kept.has(l.id), scale);
    };
    draw();
    const watch = new ResizeObserver(draw);
    watch.observe(c);
    return () => watch.disconnect();
  }, [layout, kept]);

  const toY = (event: PointerEvent) => {
    const box = overlay.current!.getBoundingClientRect();
    return ((event.clientY - box.top) / box.height) * layout.height;
  };
  const colorAxis = options.colorAxis ?? options.axes.length - 1;

  return (
    <figure className="lab-chart-figure tuning-parallel" data-testid="parallel-chart">
      <canvas
        ref={canvas}
        className="tuning-parallel-lines"
        style={{ aspectRatio: `${layout.width} / ${layout.height}` }}
        role="img"
        aria-label={`${options.title}: ${options.lines.length} trials, ${kept.size} kept by the filter and the ranges. Dark lines have low values of ${options.axes[colorAxis]?.name}. The ranges can be typed in the form below; the trial table lists the kept trials.`}
      />
      <svg ref={overlay} className="tuning-parallel-overlay" viewBox={`0 0 ${layout.width} ${layout.height}`} aria-hidden="true" fontFamily="system-ui, sans-serif" fontSize={12}>
        <text x={layout.width / 2} y={20} textAnchor="middle" fontSize={14} fontWeight={600} fill={INK}>
          {options.title}
        </text>
        {layout.axes.map((a, i) => {
          const b = active[i];
          let band: { y: number; h: number } | null = null;
          if (b && !('categories' in b)) {
            const ys = [a.y(b.min), a.y(b.max)].map((v) => Math.min(layout.bottom, Math.max(layout.top, v ?? (b.min === -Infinity ? layout.bottom : layout.top))));
            band = { y: Math.min(...ys), h: Math.abs(ys[0]! - ys[1]!) };
          }
          return (
            <g key={a.name}>
              <line x1={a.x} x2={a.x} y1={layout.top} y2={layout.bottom} stroke={INK} />
              {band && <rect x={a.x - 7} y={band.y} width={14} height={band.h} fill="#E69F00" fillOpacity={0.35} stroke="#E69F00" />}
              {a.ticks.map((t) => {
                const chosen = b && 'categories' in b ? inBrush(a, b, t.value) : true;
                return (
                  <g key={t.label}>
                    <line x1={a.x - 4} x2={a.x} y1={t.y} y2={t.y} stroke={INK} />
                    <text x={a.x - 6} y={t.y + 4} textAnchor="end" fill={chosen ? MUTED : '#b0b7bf'} fontSize={11} fontWeight={b && 'categories' in b && chosen ? 700 : 400}>
                      {t.label}
                    </text>
                  </g>
                );
              })}
              <text x={a.x} y={layout.top - 12} textAnchor="middle" fill={INK} fontWeight={600}>
                {a.name}
                {a.kind === 'log' ? ' (log)' : ''}
              </text>
              <rect
                x={a.x - 14}
                y={layout.top - 4}
                width={28}
                height={layout.bottom - layout.top + 8}
                fill="transparent"
                style={{ cursor: 'ns-resize', touchAction: 'none' }}
                onPointerDown={(e) => {
                  (e.target as Element).setPointerCapture(e.pointerId);
                  const y = toY(e);
                  setDrag({ axis: i, from: y, to: y });
                }}
                onPointerMove={(e) => drag?.axis === i && setDrag({ ...drag, to: toY(e) })}
                onPointerUp={(e) => {
                  if (drag?.axis === i) onBrush(a.name, brushOf(i, drag.from, toY(e)));
                  setDrag(null);
                }}
              />
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
