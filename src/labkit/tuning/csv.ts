/**
 * A study's trials as CSV, with the columns of Optuna's `study.trials_dataframe()` (number, value, datetime_start,
 * datetime_complete, duration, params_*, user_attrs_*, state), then what the lab adds: the worker, every
 * intermediate value, and why a trial failed or was pruned. RFC 4180 quoting.
 */
import { isoMicroseconds, type JournalStudy } from './journal.ts';

const cell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  const text = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : JSON.stringify(v);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** Duration as pandas prints a Timedelta ("0 days 00:00:01.250000"). */
function timedelta(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  const rest = ms - days * 86_400_000;
  const h = Math.floor(rest / 3_600_000);
  const m = Math.floor((rest % 3_600_000) / 60_000);
  const s = ((rest % 60_000) / 1000).toFixed(6).padStart(9, '0');
  return `${days} days ${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${s}`;
}

export function trialsCsv(study: JournalStudy): string {
  const params = [...new Set(study.trials.flatMap((t) => Object.keys(t.params)))].sort();
  const attrs = [...new Set(study.trials.flatMap((t) => Object.keys(t.userAttrs)))].sort();
  const header = ['number', 'value', 'datetime_start', 'datetime_complete', 'duration', ...params.map((p) => `params_${p}`), ...attrs.map((a) => `user_attrs_${a}`), 'state', 'worker', 'intermediate_values', 'reason'];
  const rows = study.trials.map((t, number) => [
    number,
    t.value,
    isoMicroseconds(study.startedAt + t.start).replace('T', ' '),
    t.end === null ? null : isoMicroseconds(study.startedAt + t.end).replace('T', ' '),
    t.end === null ? null : timedelta(t.end - t.start),
    ...params.map((p) => t.params[p] ?? null),
    ...attrs.map((a) => t.userAttrs[a] ?? null),
    t.state,
    t.worker,
    JSON.stringify(Object.fromEntries(t.intermediate.map(([s, v]) => [s, Number.isNaN(v) ? 'NaN' : v]))),
    t.reason ?? null,
  ]);
  return `${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
