/**
 * The lab report: a Markdown document a student hands in (or commits to a portfolio repository) with the
 * environment the lab ran in, the results, the acceptance criteria and their status, and charts.
 *
 * Two shapes, same text:
 * - `labReportMarkdown()`: one `.md` file with every chart embedded as `![alt](data:image/svg+xml;base64,…)`.
 *   One file to download and hand in; VS Code, Obsidian, Typora, pandoc and most Markdown previewers show the
 *   charts. GitHub does NOT show data-URI images in rendered Markdown.
 * - `labReportFiles()` / `labReportZip()` (zip.ts): `report.md` that links `charts/<name>.svg`, plus the SVG files.
 *   Unpacked into a repository, GitHub renders it with the charts. This is the portfolio format.
 */
import { describeRule, formatEstimate, formatNumber, statusLabel, summarize, type Evaluation, type Measured } from './criteria';

export type Cell = string | number | boolean | null | undefined;

export interface ReportTable {
  title?: string;
  columns: string[];
  rows: Cell[][];
}

export interface ReportChart {
  title: string;
  /** A standalone SVG document (e.g. from `barChart()` in svg.ts). */
  svg: string;
  /** Alt text; defaults to the title. */
  alt?: string;
}

export interface LabReportInput {
  lab: { id: string; title: string; url?: string };
  /** Who hands the report in, and what they want to say about their work. */
  student?: { name: string; notes: string };
  /** What the lab knows about where it ran: browser, cores, backend, crossOriginIsolated, tfjs version… */
  environment: Record<string, Cell>;
  criteria: Evaluation[];
  /** Measured quantities, listed in a table of their own when given. */
  measured?: Measured;
  /** Units for measured quantities, by quantity name. */
  units?: Record<string, string>;
  tables?: ReportTable[];
  charts?: ReportChart[];
  /** Extra Markdown (the lab's own notes: recipes, caveats), placed after the results. */
  notes?: string;
  /** What the student changed (their code, or a diff), as Markdown. */
  changes?: string;
  /** Solutions, references or tests the student opened: id → when. */
  shown?: Record<string, string>;
  /** Set when some results were restored from an imported progress file rather than measured in this browser. */
  restoredAt?: string;
  generatedAt?: Date;
}

export interface ReportFiles {
  /** File name → contents. `report.md` plus `charts/*.svg`. */
  files: Record<string, string>;
}

/** Escapes text for a Markdown table cell (and strips line breaks). */
export function cell(value: Cell): string {
  if (value === null || value === undefined || value === '') return '–';
  const textValue = typeof value === 'number' ? formatNumber(value) : typeof value === 'boolean' ? (value ? 'yes' : 'no') : value;
  return textValue
    .replace(/\r?\n/g, ' ')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;');
}

export function markdownTable(columns: string[], rows: Cell[][]): string {
  const head = `| ${columns.map(cell).join(' | ')} |`;
  const rule = `| ${columns.map(() => '---').join(' | ')} |`;
  const body = rows.map((row) => `| ${columns.map((_, i) => cell(row[i])).join(' | ')} |`);
  return [head, rule, ...body].join('\n');
}

/** base64 of a string's UTF-8 bytes, in the browser and in Node. */
export function base64Utf8(textValue: string): string {
  const bytes = new TextEncoder().encode(textValue);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${base64Utf8(svg)}`;
}

/** A file-name-safe slug: "Size vs accuracy!" → "size-vs-accuracy". */
export function slug(textValue: string): string {
  return (
    textValue
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'chart'
  );
}

function chartFileNames(charts: ReportChart[]): string[] {
  const used = new Set<string>();
  return charts.map((c) => {
    const base = slug(c.title);
    let name = `${base}.svg`;
    for (let i = 2; used.has(name); i++) name = `${base}-${i}.svg`;
    used.add(name);
    return `charts/${name}`;
  });
}

const statusMark = { met: '✅ met', 'not-met': '❌ not met', 'not-measured': '⏳ not measured yet' } as const;

function measuredCell(value: Measured[string], unit: string | undefined): Cell {
  const e = typeof value === 'number' ? { value } : value;
  if (!e || !Number.isFinite(e.value)) return null;
  return formatEstimate(e, unit);
}

function build(input: LabReportInput, chartSrc: (chart: ReportChart, index: number) => string): string {
  const at = input.generatedAt ?? new Date();
  const sum = summarize(input.criteria);
  const out: string[] = [];
  out.push(`# Lab report: ${input.lab.title.replace(/\n/g, ' ').replace(/^Lab:\s*/i, '')}`, '');
  if (input.student?.name.trim()) out.push(`**Student:** ${cell(input.student.name.trim())}`, '');
  out.push(`Generated ${at.toISOString().replace(/\.\d{3}Z$/, 'Z')} by the MLOps course site${input.lab.url ? ` (${input.lab.url})` : ''}. Lab id: \`${input.lab.id}\`.`, '');
  out.push(`**Acceptance criteria: ${sum.met} of ${sum.total} met**${sum.notMeasured ? `, ${sum.notMeasured} not measured yet` : ''}.`, '');
  if (input.restoredAt) {
    out.push(
      `> **Restored results.** Some results in this report were restored from a progress file imported on ${input.restoredAt.slice(0, 10)}; they were not measured in this browser. Rows marked "restored" are those.`,
      '',
    );
  }
  const shown = Object.entries(input.shown ?? {});
  if (shown.length) {
    out.push(`> **Solutions opened:** ${shown.map(([id, when]) => `${id} (${when.slice(0, 16).replace('T', ' ')})`).join(', ')}.`, '');
  }

  out.push('## Acceptance criteria', '');
  out.push(
    markdownTable(
      ['Criterion', 'Rule', 'Measured', 'Status'],
      input.criteria.map((e) => [
        e.criterion.label,
        describeRule(e.criterion),
        e.estimate ? formatEstimate(e.estimate, e.criterion.unit) : null,
        statusMark[e.status],
      ]),
    ),
    '',
  );

  if (input.measured && Object.keys(input.measured).length) {
    out.push('## Measured quantities', '');
    out.push(
      markdownTable(
        ['Quantity', 'Value (95% interval where given)'],
        Object.entries(input.measured).map(([name, value]) => [name, measuredCell(value, input.units?.[name])]),
      ),
      '',
    );
  }

  for (const [i, table] of (input.tables ?? []).entries()) {
    out.push(`## ${table.title ?? (i === 0 ? 'Results' : `Results ${i + 1}`)}`, '');
    out.push(markdownTable(table.columns, table.rows), '');
  }

  if (input.charts?.length) {
    out.push('## Charts', '');
    input.charts.forEach((chart, i) => {
      out.push(`### ${chart.title.replace(/\n/g, ' ')}`, '');
      out.push(`![${(chart.alt ?? chart.title).replace(/[[\]\n]/g, ' ')}](${chartSrc(chart, i)})`, '');
    });
  }

  if (input.notes?.trim()) out.push('## Notes from the lab', '', input.notes.trim(), '');
  if (input.changes?.trim()) out.push('## What the student changed', '', input.changes.trim(), '');
  out.push('## Student\'s notes', '', input.student?.notes.trim() ? input.student.notes.trim() : '_None written._', '');

  out.push('## Environment', '');
  out.push(markdownTable(['Property', 'Value'], Object.entries(input.environment).map(([k, v]) => [k, v])), '');
  out.push(`Status words: ${Object.values(statusLabel).join(', ')}. Figures are the student's own measurements in their browser.`, '');
  return out.join('\n');
}

/** One Markdown file, charts embedded as base64 SVG data URIs. */
export function labReportMarkdown(input: LabReportInput): string {
  return build(input, (chart) => svgDataUri(chart.svg));
}

/** `report.md` with relative links to `charts/*.svg`, and the chart files: the form GitHub renders. */
export function labReportFiles(input: LabReportInput): ReportFiles {
  const names = chartFileNames(input.charts ?? []);
  const files: Record<string, string> = { 'report.md': build(input, (_, i) => names[i]!) };
  (input.charts ?? []).forEach((chart, i) => (files[names[i]!] = chart.svg));
  return { files };
}

export function reportFileName(labId: string, extension: 'md' | 'zip', at = new Date()): string {
  return `lab-report-${slug(labId)}-${at.toISOString().slice(0, 10)}.${extension}`;
}
