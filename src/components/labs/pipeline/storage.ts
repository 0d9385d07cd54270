/** What the workspace keeps in this browser: the student's edits, and the run records (not the artifacts). */

const KEY = 'mlops-course.lab.pipeline.v1';
const MAX_RUNS = 40;

export interface Saved {
  /** Files that differ from the starter: path -> text. */
  edits: Record<string, string>;
  /** Generated files worth keeping across reloads: runs/<id>/run.json and registry/models.json. */
  state: Record<string, string>;
  open?: string;
}

export function load(): Saved {
  try {
    const raw = localStorage.getItem(KEY);
    if (raw) {
      const parsed = JSON.parse(raw) as Partial<Saved>;
      return { edits: parsed.edits ?? {}, state: parsed.state ?? {}, open: parsed.open };
    }
  } catch {
    /* storage blocked or damaged: start afresh */
  }
  return { edits: {}, state: {} };
}

/** Returns false when the browser would not store it. */
export function save(saved: Saved): boolean {
  const runs = Object.keys(saved.state).filter((p) => p.startsWith('runs/')).sort();
  const state = { ...saved.state };
  for (const old of runs.slice(0, Math.max(0, runs.length - MAX_RUNS))) delete state[old];
  try {
    localStorage.setItem(KEY, JSON.stringify({ ...saved, state }));
    return true;
  } catch {
    return false;
  }
}

export function clear(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    /* nothing stored */
  }
}
