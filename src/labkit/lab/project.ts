/**
 * A Node project as lab state (the node-project labs: pipeline, CI/CD, serving): the student's edits to the starter,
 * the files their programs wrote that the lab keeps (run records, logs, caches, registries), and every run they
 * started. All of it goes through the lab session, so a reload, an export or a report keeps it; nothing is kept
 * beside it. Framework-free.
 */
import { createTwoFilesPatch } from 'diff';
import { z } from '../zod.ts';

export const runEntrySchema = z.object({
  id: z.number().int().positive(),
  /** The script run with `node`, and its arguments. */
  entry: z.string().max(200),
  args: z.array(z.string().max(500)).max(50),
  at: z.string(),
  /** How it ended; `running` only while it runs (a reload during a run shows it as `interrupted`). */
  reason: z.enum(['exit', 'killed', 'timeout', 'error', 'running', 'interrupted']),
  code: z.number().int().nullable(),
  durationMs: z.number().nonnegative().nullable(),
  runtime: z.enum(['webcontainer', 'offline']),
  /** Characters of output past the limit that were not shown. */
  droppedChars: z.number().int().nonnegative().optional(),
  restoredAt: z.string().optional(),
});
export type RunEntry = z.infer<typeof runEntrySchema>;

const MAX_FILE_CHARS = 200_000;

export const projectSchema = z.object({
  /** Files that differ from the starter, and files the student added: path → text. */
  edits: z.record(z.string().max(300), z.string().max(MAX_FILE_CHARS)),
  /** Files the lab keeps of what programs wrote: path → text. */
  generated: z.record(z.string().max(300), z.string().max(MAX_FILE_CHARS)),
  runs: z.array(runEntrySchema).max(500),
  /** Generated files left out because of their size, so the student knows they are not kept. */
  dropped: z.array(z.string()).max(200).default([]),
});
export type ProjectState = z.infer<typeof projectSchema>;

export const emptyProject = (): ProjectState => ({ edits: {}, generated: {}, runs: [], dropped: [] });

/** The project as the student has it: the starter with their edits. */
export function projectFiles(starter: Record<string, string>, state: ProjectState): Record<string, string> {
  return { ...starter, ...state.edits };
}

/** Only what differs from the starter is kept as an edit. */
export function editsOf(starter: Record<string, string>, files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).filter(([path, text]) => starter[path] !== text));
}

export interface KeepRules {
  /** Which written files the lab keeps (e.g. run records, logs, the cache). */
  keep: (path: string) => boolean;
  maxFileChars?: number;
  /** All generated files together. Older files go first when it is exceeded (by path order: runs are numbered). */
  maxTotalChars?: number;
}

/** The written files the lab keeps, within the size limits; the rest is named in `dropped`. */
export function keepGenerated(written: Record<string, string>, rules: KeepRules): { generated: Record<string, string>; dropped: string[] } {
  const maxFile = rules.maxFileChars ?? 64_000;
  const maxTotal = rules.maxTotalChars ?? 600_000;
  const dropped: string[] = [];
  const candidates = Object.entries(written)
    .filter(([path]) => rules.keep(path))
    .filter(([path, text]) => (text.length > maxFile ? (dropped.push(path), false) : true))
    .sort(([a], [b]) => b.localeCompare(a, 'en', { numeric: true }));
  const generated: Record<string, string> = {};
  let total = 0;
  for (const [path, text] of candidates) {
    if (total + text.length > maxTotal) {
      dropped.push(path);
      continue;
    }
    generated[path] = text;
    total += text.length;
  }
  return { generated, dropped: dropped.sort() };
}

/** What the student changed, as unified diffs against the starter (new files in full), for the report. */
export function changesMarkdown(starter: Record<string, string>, edits: Record<string, string>): string {
  const paths = Object.keys(edits).sort();
  if (!paths.length) return 'No file differs from the starter.';
  return paths
    .map((path) => {
      const before = starter[path];
      const patch = createTwoFilesPatch(`a/${path}`, `b/${path}`, before ?? '', edits[path]!, undefined, undefined, { context: 3 });
      return `### ${before === undefined ? 'New file' : 'Changed'}: \`${path}\`\n\n\`\`\`diff\n${patch.replace(/```/g, '``\u200b`').trimEnd()}\n\`\`\``;
    })
    .join('\n\n');
}

/** A run that was still running when the page went away did not finish: say so instead of "running" forever. */
export function settleInterrupted(state: ProjectState): ProjectState {
  return state.runs.some((r) => r.reason === 'running') ? { ...state, runs: state.runs.map((r) => (r.reason === 'running' ? { ...r, reason: 'interrupted' } : r)) } : state;
}
