/** The containers lab's charts, for the page and the report (src/labkit/charts draws them). */
import { barChart, stackedBarChart } from '../../src/labkit/charts/index.ts';
import type { ReportChart } from '../../src/labkit/report/report.ts';
import type { ContainersState } from './lab.ts';
import { starterImageSize } from './records.ts';

const LAST = 12;

const successful = (state: ContainersState) => state.builds.filter((b) => b.kind === 'build' && b.ok).slice(-LAST);

export function sizeChart(state: ContainersState): string | null {
  const built = successful(state);
  if (!built.length) return null;
  const day = built.at(-1)!.day;
  return stackedBarChart({
    title: 'Image size of each build: what the image shows, and what it carries hidden',
    description: `Megabytes of each successful build (the last ${LAST}), split into bytes visible in the image and bytes wasted in layers that a later layer deletes or replaces, with the starter image (day ${day}) for comparison. ${built.map((b) => `${b.id}: ${(b.size / 1e6).toFixed(0)} MB, ${(b.wasted / 1e6).toFixed(1)} MB wasted`).join('; ')}.`,
    parts: [{ label: 'visible in the image' }, { label: 'wasted (deleted or replaced later)' }],
    rows: [{ label: `starter (day ${day})`, values: [starterImageSize(day) / 1e6, 0] }, ...built.map((b) => ({ label: `${b.id}${b.note ? ` (${b.note})` : ''}`, values: [(b.size - b.wasted) / 1e6, b.wasted / 1e6] }))],
    unit: 'MB',
  });
}

export function timeChart(state: ContainersState): string | null {
  const built = successful(state);
  if (!built.length) return null;
  return barChart({
    title: 'Simulated build time of each build',
    description: `Seconds each successful build took in the simulator (cached steps take none). ${built.map((b) => `${b.id}: ${b.seconds.toFixed(1)} s`).join('; ')}.`,
    xLabel: 'build',
    yLabel: 'simulated seconds',
    unit: 's',
    bars: built.map((b) => ({ label: b.id, value: b.seconds })),
  });
}

export function containersCharts(state: ContainersState): ReportChart[] {
  const out: ReportChart[] = [];
  const size = sizeChart(state);
  if (size) out.push({ title: 'Image size and wasted bytes per build', svg: size });
  const time = timeChart(state);
  if (time) out.push({ title: 'Simulated build time per build', svg: time });
  return out;
}
