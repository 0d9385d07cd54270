/** Pictures of a run, made from its run record: a Mermaid task graph coloured by state, and a timeline. */

import type { RunRecord } from '../../../../labs/pipeline/lab.ts';

export const STATE_COLOURS: Record<string, { fill: string; stroke: string }> = {
  completed: { fill: '#16a34a33', stroke: '#16a34a' },
  failed: { fill: '#dc262633', stroke: '#dc2626' },
  cached: { fill: '#7c3aed33', stroke: '#7c3aed' },
  retrying: { fill: '#d9770633', stroke: '#d97706' },
  running: { fill: '#0891b233', stroke: '#0891b2' },
  pending: { fill: '#9ca3af1a', stroke: '#9ca3af' },
};

const escapeLabel = (text: string) => text.replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');

/** Mermaid flowchart source for a run: one node per task, edges from the data passed between tasks. */
export function taskGraph(record: RunRecord): string {
  const lines = ['flowchart LR'];
  const index = new Map(record.tasks.map((t, i) => [t.name, i]));
  record.tasks.forEach((t, i) => {
    const state = STATE_COLOURS[t.state] ? t.state : 'pending';
    const detail = [t.state, t.attempts > 1 ? `${t.attempts} attempts` : '', t.durationMs !== null && t.state !== 'pending' ? `${t.durationMs} ms` : '']
      .filter(Boolean)
      .join(' · ');
    lines.push(`  t${i}["${escapeLabel(t.name)}<br/>${escapeLabel(detail)}"]:::${state}`);
  });
  record.tasks.forEach((t, i) => {
    const from = t.upstream.map((u) => index.get(u)).filter((j): j is number => j !== undefined);
    if (from.length) from.forEach((j) => lines.push(`  t${j} --> t${i}`));
    else if (t.state === 'pending' && i > 0) lines.push(`  t${i - 1} -.-> t${i}`);
  });
  for (const [state, { fill, stroke }] of Object.entries(STATE_COLOURS)) {
    lines.push(`  classDef ${state} fill:${fill},stroke:${stroke},stroke-width:2px${state === 'pending' ? ',stroke-dasharray:4 3' : ''}`);
  }
  return lines.join('\n');
}

export interface TimelineBar {
  name: string;
  state: string;
  startMs: number;
  durationMs: number;
}

/** When each task started (from the start of the run) and how long it took. Tasks that never ran are left out. */
export function timeline(record: RunRecord): { bars: TimelineBar[]; totalMs: number } {
  const t0 = Date.parse(record.startedAt);
  const bars = record.tasks
    .filter((t) => t.startedAt && t.durationMs !== null)
    .map((t) => ({ name: t.name, state: t.state, startMs: Math.max(0, Date.parse(t.startedAt!) - t0), durationMs: t.durationMs! }));
  const end = Math.max(record.durationMs ?? 0, ...bars.map((b) => b.startMs + b.durationMs), 1);
  return { bars, totalMs: end };
}
