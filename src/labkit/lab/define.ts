/**
 * The lab contract. A lab declares, once and framework-free:
 *
 * - `quantities`: what it measures, each with its unit and the range a genuine measurement can take;
 * - its state: a `version` and `parse()`, which validates restored state (from storage, an import or a report
 *   bundle) and migrates older versions, throwing a `StateError` that names the field;
 * - `measure(state)`: pure; the estimates the acceptance criteria read;
 * - `report(state)`: the lab's own tables, charts, notes and evidence files in the report bundle.
 *
 * Criteria thresholds and units live only in the lab's frontmatter (`labs/<lab>/index.mdx`); `checkCriteria()` (and a
 * test over every lab) makes sure each criterion names a quantity the lab measures, in the same unit.
 */
import type { ZodType } from '../zod.ts';
import type { Criterion, MeasuredValue } from '../report/criteria.ts';
import type { ReportChart, ReportTable } from '../report/report.ts';

export interface QuantitySpec {
  /** What is measured, in words (the progress page and reports show it). */
  describe: string;
  /** The unit; every criterion on this quantity must use the same one. */
  unit?: string;
  /** A genuine measurement lies in [min, max]; values outside are refused on import and contradicted on verification. */
  min?: number;
  max?: number;
  /** True when `measure` gives this quantity a 95% interval (criteria may then compare an end of it). */
  interval?: boolean;
}

/** A measured value with, where the lab can give one, its 95% interval. */
export type Estimate = MeasuredValue;
export type Measured = Record<string, Estimate>;

/** A file that goes into the report bundle beside `report.md` (exported models, the student's code, logs). */
export interface EvidenceFile {
  path: string;
  content: string | Uint8Array;
}

export interface ReportParts {
  tables?: ReportTable[];
  charts?: ReportChart[];
  /** Markdown placed after the results: what the lab wants a lecturer to read (recipes, caveats). */
  notes?: string;
  /** What the student changed (code, a diff): shown in its own section. */
  changes?: string;
  /** Extra environment rows (backend, threads, runtime). */
  environment?: Record<string, string | number | boolean | null>;
}

export interface LabDefinition<S> {
  id: string;
  /** The version of the state's shape. Bump it when the shape changes, and migrate older versions in `parse`. */
  version: number;
  quantities: Readonly<Record<string, QuantitySpec>>;
  /** The state of a lab nobody has started. */
  empty(): S;
  /** Validates state saved at `version` (at most `this.version`) and migrates it; throws StateError. */
  parse(value: unknown, version: number): S;
  /** The measured estimates: pure, from the state alone, so a report can be re-derived from its evidence. */
  measure(state: S): Measured;
  /** Combines what another tab stored with this tab's state without dropping either's results. */
  merge?(stored: S, mine: S): S;
  /** Marks every result in `state` as restored from an import made at `at` (ISO date). */
  markRestored?(state: S, at: string): S;
  report?(state: S): ReportParts;
  /** Files for the report bundle; `async` because some (exported models) live in a worker or a cache. */
  evidence?(state: S): Promise<EvidenceFile[]>;
}

/** Restored state that does not fit the lab; the message names the field. */
export class StateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateError';
  }
}

export function defineLab<S>(definition: LabDefinition<S>): LabDefinition<S> {
  return definition;
}

/** `parse` from a zod schema: the first problem becomes a StateError that names its path. */
export function parseWith<S>(schema: ZodType<S>): (value: unknown) => S {
  return (value) => {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    const path = issue?.path.length ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : 'the state';
    throw new StateError(`${path}: ${issue?.message ?? 'does not fit this lab'}`);
  };
}

/**
 * Problems between a lab's criteria (frontmatter) and its quantities: a criterion on a quantity the lab does not
 * measure, a unit that differs, or a bound the lab gives no interval for. Empty when they agree.
 */
export function checkCriteria(definition: Pick<LabDefinition<unknown>, 'id' | 'quantities'>, criteria: readonly Criterion[]): string[] {
  const problems: string[] = [];
  for (const c of criteria) {
    const q = Object.hasOwn(definition.quantities, c.quantity) ? definition.quantities[c.quantity] : undefined;
    if (!q) {
      problems.push(`${definition.id}: criterion "${c.id}" reads "${c.quantity}", which the lab does not measure`);
      continue;
    }
    if ((q.unit ?? '') !== (c.unit ?? '')) {
      problems.push(`${definition.id}: criterion "${c.id}" says unit "${c.unit ?? ''}" but "${c.quantity}" is measured in "${q.unit ?? ''}"`);
    }
    if (c.bound && !q.interval) {
      problems.push(`${definition.id}: criterion "${c.id}" compares the ${c.bound} bound of "${c.quantity}", which the lab gives no interval for`);
    }
  }
  return problems;
}

/** An estimate, leaving out interval ends that are not finite numbers. */
export function estimate(value: number, lower?: number, upper?: number): Estimate {
  const out: Estimate = { value };
  if (lower !== undefined && Number.isFinite(lower)) out.lower = lower;
  if (upper !== undefined && Number.isFinite(upper)) out.upper = upper;
  return out;
}
