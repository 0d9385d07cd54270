/**
 * Views of the speed lab's state that the page, the report and the criteria share: every row with what it measured,
 * structured-pruning comparisons inside one interleaved run, configurations measured again, and time to first
 * prediction. Pure functions of the state.
 */
import { network, timeToFirstPrediction, type NetworkProfile, type TimeToFirstPrediction } from '../../src/labkit/bench/networks.ts';
import type { BackendRun, FirstRow, Group, Run, SpeedState, SteadyRow, VariantInfo } from './lab.ts';
import { modelLabel, TTFP_NETWORK, variantShort } from './protocol.ts';

export interface GroupAt {
  run: Run;
  /** 1 for the first run the student made, 2 for the next… */
  runNumber: number;
  backend: BackendRun;
  group: Group;
}

export interface RowAt extends GroupAt {
  row: SteadyRow;
}

export function allGroups(state: SpeedState): GroupAt[] {
  return state.runs.flatMap((run, i) => run.backends.flatMap((backend) => backend.groups.map((group) => ({ run, runNumber: i + 1, backend, group }))));
}

export function steadyRows(state: SpeedState): RowAt[] {
  return allGroups(state).flatMap((g) => g.group.rows.map((row) => ({ ...g, row })));
}

const BUILDS: Record<string, string> = {
  wasm: 'wasm (no SIMD, single-threaded build)',
  'wasm-simd': 'wasm (SIMD, single-threaded build)',
  'wasm-simd-threads': 'wasm (SIMD, threaded build)',
};

/** What a backend really was: "wasm (SIMD, threaded build) on 1 thread", "webgl on SwiftShader (software)". */
export function backendName(b: Pick<BackendRun, 'id' | 'backend' | 'threads' | 'software' | 'renderer'>): string {
  if (b.backend === 'wasm') return `${BUILDS[b.id] ?? b.id} on ${b.threads ?? '?'} thread${b.threads === 1 ? '' : 's'}`;
  if (b.backend === 'cpu') return 'cpu (plain JavaScript, 1 thread)';
  if (b.software) return `${b.backend} on ${/swiftshader/i.test(b.renderer ?? '') ? 'SwiftShader' : 'a software rasterizer'} (software: the CPU, not a GPU)`;
  return b.renderer ? `${b.backend} on ${b.renderer}` : b.backend;
}

/** The threads column: what ran the kernels, and what was asked for when that differs. */
export function threadsText(b: Pick<BackendRun, 'threads' | 'threadsRequested'>): string {
  if (b.threads === null) return 'GPU';
  return b.threadsRequested && b.threadsRequested !== b.threads ? `${b.threads} (asked ${b.threadsRequested})` : String(b.threads);
}

export const simdText = (b: Pick<BackendRun, 'simd'>) => (b.simd === null ? '—' : b.simd ? 'yes' : 'no');

/** A threaded wasm build that ran its kernels on one thread measured the same thing as a single-threaded one. */
export const threadedOnOne = (b: Pick<BackendRun, 'id' | 'threads'>) => b.id === 'wasm-simd-threads' && b.threads === 1;

/** The configuration a row measured, as one line: everything that must match for two rows to be comparable. */
export function configuration(r: RowAt): string {
  return `${backendName(r.backend)}, SIMD ${simdText(r.backend)}, batch ${r.group.batch}, ${modelLabel(r.group.model)}, ${variantShort(r.row.variant)}`;
}

export interface StructuredPair extends GroupAt {
  baseline: SteadyRow;
  structured: SteadyRow;
  /** Median of the structurally pruned model over its baseline's. */
  ratio: number;
  /** Its 95% interval lies entirely below the baseline's. */
  faster: boolean;
  disjoint: boolean;
}

/** Structurally pruned against its baseline, only where both were timed in the same interleaved group. */
export function structuredPairs(state: SpeedState): StructuredPair[] {
  return allGroups(state).flatMap((g) => {
    const baseline = g.group.rows.find((r) => r.variant === 'baseline');
    const structured = g.group.rows.find((r) => r.variant === 'structured50');
    if (!baseline || !structured) return [];
    const faster = structured.summary.upper < baseline.summary.lower;
    return [{ ...g, baseline, structured, ratio: structured.summary.median / baseline.summary.median, faster, disjoint: faster || baseline.summary.upper < structured.summary.lower }];
  });
}

export interface Repeat {
  configuration: string;
  earlier: RowAt;
  later: RowAt;
  /** The later median lies inside the earlier run's 95% interval. */
  inside: boolean;
  overlap: boolean;
  /** Later median over earlier median. */
  ratio: number;
}

/** The same configuration (backend, threads, SIMD, model, variant, batch) measured in two runs, each next to the last. */
export function repeats(state: SpeedState): Repeat[] {
  const last = new Map<string, RowAt>();
  const out: Repeat[] = [];
  for (const r of steadyRows(state)) {
    const key = JSON.stringify([r.backend.id, r.backend.threads, r.backend.simd, r.backend.renderer ?? null, r.group.model, r.row.variant, r.group.batch]);
    const earlier = last.get(key);
    if (earlier && earlier.run !== r.run) {
      const a = earlier.row.summary;
      const b = r.row.summary;
      out.push({ configuration: configuration(r), earlier, later: r, inside: b.median >= a.lower && b.median <= a.upper, overlap: !(b.upper < a.lower || a.upper < b.lower), ratio: b.median / a.median });
    }
    last.set(key, r);
  }
  return out;
}

export interface TtfpRow {
  run: Run;
  runNumber: number;
  backend: BackendRun;
  first: FirstRow;
  info: VariantInfo;
  ttfp: TimeToFirstPrediction;
}

/** Time to first prediction of every variant measured on a fresh backend, with the download simulated at `net`. */
export function ttfpRows(state: SpeedState, net: NetworkProfile): TtfpRow[] {
  return state.runs.flatMap((run, i) =>
    run.backends.flatMap((backend) =>
      backend.first.flatMap((first) => {
        const info = run.variants.find((v) => v.model === first.model && v.variant === first.variant);
        return info ? [{ run, runNumber: i + 1, backend, first, info, ttfp: timeToFirstPrediction(first, info.gzipBytes, net) }] : [];
      }),
    ),
  );
}

export interface FirstRatio {
  row: TtfpRow;
  baseline: TtfpRow;
  /** The variant's time to first prediction over the float32 baseline's, same run, backend and model. */
  ratio: number;
}

export function firstRatios(state: SpeedState, kind: string, net: NetworkProfile = network(TTFP_NETWORK)): FirstRatio[] {
  const rows = ttfpRows(state, net);
  return rows.flatMap((row) => {
    if (row.first.variant !== kind) return [];
    const baseline = rows.find((b) => b.run === row.run && b.backend === row.backend && b.first.model === row.first.model && b.first.variant === 'baseline');
    return baseline ? [{ row, baseline, ratio: row.ttfp.totalMs / baseline.ttfp.totalMs }] : [];
  });
}
