/**
 * The layout of a run's job graph, as GitHub draws it: one column per stage of `needs` (a job sits one column right
 * of the latest job it needs), the jobs of a matrix stacked in one group, an edge from each group to the groups
 * that need it. Framework-free; the SVG is drawn by JobGraph.tsx.
 */
import type { JobRecord, RunRecord } from '../../../labkit/ci/record.ts';

export interface GraphNode {
  key: string;
  jobs: JobRecord[];
  column: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  path: string;
}

export const NODE_WIDTH = 190;
export const JOB_HEIGHT = 26;
const GROUP_HEADER = 22;
const COLUMN_GAP = 56;
const ROW_GAP = 18;
const PAD = 8;

export function layoutGraph(record: Pick<RunRecord, 'jobs'>): { nodes: GraphNode[]; edges: GraphEdge[]; width: number; height: number } {
  const keys = [...new Set(record.jobs.map((j) => j.key))];
  const needs = new Map(keys.map((k) => [k, record.jobs.find((j) => j.key === k)!.needs.filter((n) => keys.includes(n))]));
  const column = new Map<string, number>();
  const depth = (key: string, seen: Set<string> = new Set()): number => {
    if (column.has(key)) return column.get(key)!;
    if (seen.has(key)) return 0;
    seen.add(key);
    const d = Math.max(-1, ...(needs.get(key) ?? []).map((n) => depth(n, seen))) + 1;
    column.set(key, d);
    return d;
  };
  keys.forEach((k) => depth(k));
  const columns: string[][] = [];
  for (const key of keys) (columns[column.get(key)!] ??= []).push(key);
  const nodes: GraphNode[] = [];
  let height = 0;
  columns.forEach((group, c) => {
    let y = PAD;
    for (const key of group) {
      const jobs = record.jobs.filter((j) => j.key === key);
      const grouped = jobs.length > 1 || Boolean(jobs[0]?.matrix);
      const h = (grouped ? GROUP_HEADER : 0) + jobs.length * JOB_HEIGHT + (grouped ? 6 : 0);
      nodes.push({ key, jobs, column: c, x: PAD + c * (NODE_WIDTH + COLUMN_GAP), y, width: NODE_WIDTH, height: h });
      y += h + ROW_GAP;
    }
    height = Math.max(height, y - ROW_GAP + PAD);
  });
  const byKey = new Map(nodes.map((n) => [n.key, n]));
  const edges: GraphEdge[] = [];
  for (const node of nodes) {
    for (const need of needs.get(node.key) ?? []) {
      const from = byKey.get(need);
      if (!from) continue;
      const x1 = from.x + from.width;
      const y1 = from.y + from.height / 2;
      const x2 = node.x;
      const y2 = node.y + node.height / 2;
      const mid = (x1 + x2) / 2;
      edges.push({ from: need, to: node.key, path: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}` });
    }
  }
  return { nodes, edges, width: PAD * 2 + columns.length * NODE_WIDTH + Math.max(0, columns.length - 1) * COLUMN_GAP, height: Math.max(height, JOB_HEIGHT + PAD * 2) };
}

export const GROUP_HEADER_HEIGHT = GROUP_HEADER;
