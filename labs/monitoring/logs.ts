/**
 * The service's structured logs in the OpenTelemetry log data model (Timestamp, ObservedTimestamp, SeverityNumber
 * and SeverityText, Body, Resource, Attributes, TraceId, SpanId), one record per request plus warnings, and a small
 * filter language to explore them:
 *
 *   {severity>=WARN, service.name="digit-classifier"} |= "rejected" | client.version = "2.1" | duration_ms > 250 | count by client.version
 *
 * - a selector in braces on severity (TRACE, DEBUG, INFO, WARN, ERROR, FATAL, or 1–24) and resource attributes;
 * - line filters on the body: |= contains, != does not contain, |~ matches a regular expression, !~ does not;
 * - field filters on attributes: = != > >= < <= =~ !~ (numbers compare as numbers);
 * - at the end, optionally, `| count by field` (a log-derived metric: records per value of the field).
 * Errors name the column of the query.
 */
import { FEATURES } from './images.ts';
import { F, NO_PREDICTION, type Served } from './pool.ts';
import { CLIENTS, type Events } from './stream.ts';

export interface LogRecord {
  /** Milliseconds since day 1, 00:00 (OTel uses nanoseconds since the epoch; the lab keeps its simulated clock). */
  timestamp: number;
  observedTimestamp: number;
  severityNumber: number;
  severityText: 'INFO' | 'WARN' | 'ERROR';
  body: string;
  traceId: string;
  spanId: string;
  attributes: Record<string, string | number>;
}

export const RESOURCE = { 'service.name': 'digit-classifier', 'service.version': '1.4.2', 'deployment.environment': 'production', 'model.name': 'dense' } as const;
export const SEVERITY: Record<string, number> = { TRACE: 1, DEBUG: 5, INFO: 9, WARN: 13, ERROR: 17, FATAL: 21 };

const hex = (n: number, len: number) => (n >>> 0).toString(16).padStart(8, '0').repeat(Math.ceil(len / 8)).slice(0, len);

/** The records of a served stream, in time order. */
export function logRecords(ev: Events, served: Served, pixelScale: (i: number) => number): LogRecord[] {
  const out: LogRecord[] = [];
  for (let i = 0; i < ev.count; i++) {
    const ms = ev.t[i]! * 1000;
    const client = CLIENTS[ev.client[i]!]!;
    const [name, version] = client.includes('-') ? client.split('-') : [client, client === 'web' ? '5.2.0' : '3.8.1'];
    const base = {
      'client.name': name!,
      'client.version': version!,
      'http.route': '/v1/predict',
      duration_ms: Math.round(ev.latencyMs[i]! * 10) / 10,
    };
    const ids = { traceId: hex(i * 2654435761 + 17, 32), spanId: hex(i * 40503 + 3, 16) };
    const at = { timestamp: ms, observedTimestamp: ms + 40 + (i % 7) * 10 };
    if (served.predicted[i] === NO_PREDICTION) {
      out.push({ ...at, ...ids, severityNumber: SEVERITY.ERROR!, severityText: 'ERROR', body: `request rejected: ${ev.missing[i]} pixels missing`, attributes: { ...base, 'http.response.status_code': 400, 'input.missing_pixels': ev.missing[i]! } });
      continue;
    }
    const pixelMax = pixelScale(i);
    if (pixelMax > 1) {
      out.push({ ...at, ...ids, severityNumber: SEVERITY.WARN!, severityText: 'WARN', body: `input out of range: pixel values up to ${pixelMax}, expected at most 1`, attributes: { ...base, 'input.pixel_max': pixelMax } });
    }
    const attributes: Record<string, string | number> = {
      ...base,
      'http.response.status_code': 200,
      'prediction.class': served.predicted[i]!,
      'prediction.confidence': Math.round(served.confidence[i]! * 1000) / 1000,
      'input.pixel_max': pixelMax,
    };
    FEATURES.forEach((f, j) => (attributes[`input.${f}`] = Math.round(served.features[i * F + j]! * 1e4) / 1e4));
    const slow = ev.latencyMs[i]! > 250;
    const unsure = served.confidence[i]! < 0.6;
    const body = slow ? 'prediction served slowly' : unsure ? 'prediction served with low confidence' : 'prediction served';
    out.push({ ...at, ...ids, severityNumber: slow || unsure ? SEVERITY.WARN! : SEVERITY.INFO!, severityText: slow || unsure ? 'WARN' : 'INFO', body, attributes });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The filter language

export class LogQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogQueryError';
  }
}

type Cmp = '=' | '!=' | '>' | '>=' | '<' | '<=' | '=~' | '!~';
interface FieldTest {
  field: string;
  op: Cmp;
  value: string;
}
export interface LogQuery {
  selector: FieldTest[];
  stages: ({ kind: 'line'; op: '|=' | '!=' | '|~' | '!~'; value: string } | ({ kind: 'field' } & FieldTest))[];
  countBy: string | null;
}

const TOKEN = /\s*(?:(\{|\}|,)|(\|=|!=|\|~|!~|>=|<=|=~|=|>|<|\|)|("(?:[^"\\]|\\.)*"|`[^`]*`)|([A-Za-z_][A-Za-z0-9_.]*|-?\d+(?:\.\d+)?))/y;

export function parseLogQuery(text: string): LogQuery {
  const tokens: { text: string; kind: 'punct' | 'op' | 'string' | 'word'; at: number }[] = [];
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (!m) throw new LogQueryError(`column ${pos + 1 + (text.slice(pos).length - text.slice(pos).trimStart().length)}: unexpected "${text.slice(pos).trim().slice(0, 10)}"`);
    const at = m.index + m[0].length - (m[1] ?? m[2] ?? m[3] ?? m[4])!.length;
    tokens.push(m[1] ? { text: m[1], kind: 'punct', at } : m[2] ? { text: m[2], kind: 'op', at } : m[3] ? { text: m[3], kind: 'string', at } : { text: m[4]!, kind: 'word', at });
    pos = TOKEN.lastIndex;
  }
  let i = 0;
  const col = (k = i) => `column ${(tokens[k]?.at ?? text.length) + 1}`;
  const expect = (what: string, ok: boolean) => {
    if (!ok) throw new LogQueryError(`${col()}: expected ${what}${tokens[i] ? `, found "${tokens[i]!.text}"` : ', but the query ends'}`);
  };
  const value = () => {
    const t = tokens[i];
    expect('a value (a "quoted string" or a number)', !!t && (t.kind === 'string' || t.kind === 'word'));
    i++;
    return t!.kind === 'string' ? (t!.text.startsWith('`') ? t!.text.slice(1, -1) : (JSON.parse(t!.text) as string)) : t!.text;
  };
  const fieldTest = (): FieldTest => {
    const f = tokens[i];
    expect('a field name', f?.kind === 'word');
    i++;
    const op = tokens[i];
    expect('a comparison (= != > >= < <= =~ !~)', op?.kind === 'op' && ['=', '!=', '>', '>=', '<', '<=', '=~', '!~'].includes(op.text));
    i++;
    const v = value();
    if (op!.text === '=~' || op!.text === '!~') {
      try {
        new RegExp(v);
      } catch {
        throw new LogQueryError(`${col(i - 1)}: "${v}" is not a valid regular expression`);
      }
    }
    return { field: f!.text, op: op!.text as Cmp, value: v };
  };
  const q: LogQuery = { selector: [], stages: [], countBy: null };
  if (tokens[i]?.text === '{') {
    i++;
    while (tokens[i]?.text !== '}') {
      const t = fieldTest();
      if (t.field !== 'severity' && !(t.field in RESOURCE) && !t.field.startsWith('resource.')) throw new LogQueryError(`column ${tokens[i - 3]!.at + 1}: the selector takes severity or a resource attribute (${Object.keys(RESOURCE).join(', ')}), not "${t.field}"`);
      if (t.field === 'severity' && !(t.value.toUpperCase() in SEVERITY) && !/^\d+$/.test(t.value)) throw new LogQueryError(`${col(i - 1)}: severity is one of ${Object.keys(SEVERITY).join(', ')} or a number from 1 to 24`);
      q.selector.push(t);
      if (tokens[i]?.text === ',') i++;
      else expect('"," or "}"', tokens[i]?.text === '}');
    }
    i++;
  }
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (q.countBy !== null) throw new LogQueryError(`${col()}: "count by" must be the last stage`);
    if (['|=', '!=', '|~', '!~'].includes(t.text)) {
      i++;
      const v = value();
      if (t.text.endsWith('~')) {
        try {
          new RegExp(v);
        } catch {
          throw new LogQueryError(`${col(i - 1)}: "${v}" is not a valid regular expression`);
        }
      }
      q.stages.push({ kind: 'line', op: t.text as '|=', value: v });
    } else if (t.text === '|') {
      i++;
      if (tokens[i]?.text === 'count' && tokens[i + 1]?.text === 'by') {
        i += 2;
        expect('a field to count by', tokens[i]?.kind === 'word');
        q.countBy = tokens[i]!.text;
        i++;
      } else q.stages.push({ kind: 'field', ...fieldTest() });
    } else expect('a stage: |= "text", != "text", |~ "regex", !~ "regex", | field op value, or | count by field', false);
  }
  return q;
}

function fieldValue(r: LogRecord, field: string): string | number | undefined {
  if (field === 'severity') return r.severityNumber;
  if (field === 'body') return r.body;
  if (field.startsWith('resource.')) return RESOURCE[field.slice(9) as keyof typeof RESOURCE];
  if (field in RESOURCE) return RESOURCE[field as keyof typeof RESOURCE];
  return r.attributes[field];
}

function test(r: LogRecord, t: FieldTest): boolean {
  const v = fieldValue(r, t.field);
  if (v === undefined) return t.op === '!=' || t.op === '!~';
  const want = t.field === 'severity' ? (SEVERITY[t.value.toUpperCase()] ?? Number(t.value)) : t.value;
  if (t.op === '=~' || t.op === '!~') return new RegExp(`^(?:${t.value})$`).test(String(v)) === (t.op === '=~');
  const numeric = typeof v === 'number' && want !== '' && Number.isFinite(Number(want));
  const a = numeric ? (v as number) : String(v);
  const b = numeric ? Number(want) : String(want);
  switch (t.op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
  }
}

export interface LogResult {
  matched: number;
  /** The first records that matched (at most `keep`). */
  records: LogRecord[];
  /** Indexes of every matching record (for the incident's precision and recall). */
  indexes: Uint32Array;
  /** `count by`: records per value, largest first. */
  counts: { value: string; count: number }[] | null;
  /** Matching records per hour (a log-derived metric). */
  perHour: number[];
}

export function runLogQuery(records: LogRecord[], q: LogQuery, keep = 50): LogResult {
  const lineTests = q.stages.filter((s) => s.kind === 'line').map((s) => {
    if (s.op === '|=') return (b: string) => b.includes(s.value);
    if (s.op === '!=') return (b: string) => !b.includes(s.value);
    const re = new RegExp(s.value);
    return s.op === '|~' ? (b: string) => re.test(b) : (b: string) => !re.test(b);
  });
  const fieldTests = [...q.selector, ...q.stages.filter((s): s is { kind: 'field' } & FieldTest => s.kind === 'field')];
  const hits: number[] = [];
  const counts = new Map<string, number>();
  const hours = Math.ceil((records.at(-1)?.timestamp ?? 0) / 3_600_000) || 1;
  const perHour = new Array<number>(hours).fill(0);
  records.forEach((r, k) => {
    if (!lineTests.every((t) => t(r.body)) || !fieldTests.every((t) => test(r, t))) return;
    hits.push(k);
    perHour[Math.min(hours - 1, Math.floor(r.timestamp / 3_600_000))]!++;
    if (q.countBy) {
      const v = String(fieldValue(r, q.countBy) ?? '(none)');
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
  });
  return {
    matched: hits.length,
    records: hits.slice(0, keep).map((k) => records[k]!),
    indexes: Uint32Array.from(hits),
    counts: q.countBy ? [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count) : null,
    perHour,
  };
}

/** The incident of the data-quality scenario: the warnings and errors of the broken scanner firmware. */
export const isIncident = (r: LogRecord) => r.attributes['client.version'] === '2.1' && r.severityNumber >= SEVERITY.WARN!;

export const CAUSES = [
  'the new scanner firmware 2.1 sends pixel values ×1000 and drops pixels',
  'the model was replaced by a worse one',
  'the service is overloaded in the afternoon',
  'the web client sends rotated digits',
] as const;
export const TRUE_CAUSE = CAUSES[0];

/** Precision and recall of a query's matches against the incident's records. */
export function incidentScore(records: LogRecord[], indexes: ArrayLike<number>): { precision: number; recall: number; incident: number } {
  let hit = 0;
  for (let k = 0; k < indexes.length; k++) if (isIncident(records[indexes[k]!]!)) hit++;
  const incident = records.filter(isIncident).length;
  return { precision: indexes.length ? hit / indexes.length : 0, recall: incident ? hit / incident : 0, incident };
}
