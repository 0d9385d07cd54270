/**
 * Parallel coordinates you can brush: drag along an axis to keep only the lines that cross it in that range (drag
 * again to change it, click the axis without dragging to clear it). The same ranges can be typed in the form below
 * the chart, which is how keyboard and screen-reader users set them. The lines are the labkit's SVG
 * (src/labkit/charts/parallel.ts), redrawn as a string on every change, which stays fast at thousands of lines.
 */
import { useMemo, useRef, useState, type PointerEvent } from 'react';
import { parallelChart, parallelLayout, type Brush, type ParallelOptions } from '../../../labkit/charts/parallel.ts';

interface Props {
  options: ParallelOptions;
  /** Brushes by axis name. */
  brushes: Record<string, Brush>;
  onBrush(name: string, brush: Brush | null): void;
}

export function ParallelCoordinates({ options, brushes, onBrush }: Props) {
  const byIndex = useMemo(() => Object.fromEntries(options.axes.flatMap((a, i) => (brushes[a.name] ? [[i, brushes[a.name]!]] : []))), [options.axes, brushes]);
  const svg = useMemo(() => parallelChart({ ...options, brushes: byIndex }), [options, byIndex]);
  const layout = useMemo(() => parallelLayout(options), [options]);
  const overlay = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<{ axis: number; from: number; to: number } | null>(null);

  const toY = (event: PointerEvent) => {
    const box = overlay.current!.getBoundingClientRect();
    return ((event.clientY - box.top) / box.height) * layout.height;
  };
  const finish = (axis: number, from: number, to: number) => {
    const a = layout.axes[axis]!;
    if (Math.abs(to - from) < 3) return onBrush(a.name, null);
    if (a.kind === 'categorical') {
      const [lo, hi] = [Math.min(from, to), Math.max(from, to)];
      return onBrush(a.name, { categories: a.ticks.filter((t) => t.y >= lo - 4 && t.y <= hi + 4).map((t) => t.value) });
    }
    const [v1, v2] = [a.invert(from) as number, a.invert(to) as number];
    onBrush(a.name, { min: Math.min(v1, v2), max: Math.max(v1, v2) });
  };

  return (
    <div className="tuning-parallel">
      <div className="lab-chart" dangerouslySetInnerHTML={{ __html: svg }} data-testid="parallel-chart" />
      <svg ref={overlay} className="tuning-parallel-overlay" viewBox={`0 0 ${layout.width} ${layout.height}`} aria-hidden="true">
        {layout.axes.map((a, i) => (
          <rect
            key={a.name}
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
              if (drag?.axis === i) finish(i, drag.from, toY(e));
              setDrag(null);
            }}
          />
        ))}
        {drag && <rect x={layout.axes[drag.axis]!.x - 8} y={Math.min(drag.from, drag.to)} width={16} height={Math.abs(drag.to - drag.from)} fill="#E69F00" fillOpacity={0.4} pointerEvents="none" />}
      </svg>
    </div>
  );
}
