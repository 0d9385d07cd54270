/**
 * What a student did on a module reading besides finishing it: when they first opened it, how long they spent in its
 * text (active and visible), and how much of it they have been through, in parts of equal height. Kept in
 * localStorage under its own key, beside the progress store, whose format records only when a reading was read.
 * Storage that is blocked or full loses only this extra detail: reads fail soft and writes are dropped.
 */
export const ACTIVITY_KEY = 'mlops-course.reading-activity';
/** The reading is divided into this many parts of equal height to tell reading through from jumping to the end. */
export const READING_PARTS = 10;

export interface ReadingActivity {
  /** First time the reading was opened (ISO 8601). */
  openedAt: string;
  /** Seconds spent with the text in view, the page visible and the student active. */
  seconds: number;
  /** Seconds spent on each part of the reading, top to bottom. */
  parts: number[];
}

function isActivity(value: unknown): value is ReadingActivity {
  const a = value as ReadingActivity;
  return (
    typeof a === 'object' && a !== null && typeof a.openedAt === 'string' && Number.isFinite(a.seconds) &&
    Array.isArray(a.parts) && a.parts.length === READING_PARTS && a.parts.every(Number.isFinite)
  );
}

/** Every module's activity; entries that are not well-formed are left out. */
export function loadActivity(): Record<string, ReadingActivity> {
  try {
    const parsed = JSON.parse(localStorage.getItem(ACTIVITY_KEY) ?? '{}') as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).filter(([, value]) => isActivity(value))) as Record<string, ReadingActivity>;
  } catch {
    return {};
  }
}

/** Stores one module's activity, after re-reading the others so that two open tabs keep each other's. */
export function saveActivity(moduleId: string, activity: ReadingActivity): void {
  try {
    localStorage.setItem(ACTIVITY_KEY, JSON.stringify({ ...loadActivity(), [moduleId]: activity }));
  } catch {
    /* storage blocked or full: the detail is lost, nothing else */
  }
}

export function clearActivity(): void {
  try {
    localStorage.removeItem(ACTIVITY_KEY);
  } catch {
    /* nothing stored that could be cleared */
  }
}

/** Share of the reading's parts on which the student spent at least `seconds`. */
export function coverage(activity: ReadingActivity, seconds: number): number {
  return activity.parts.filter((s) => s >= seconds).length / activity.parts.length;
}

/** Words a minute of skimming, about three times the average silent reading speed of adults (about 240). */
export const SKIM_WORDS_PER_MINUTE = 700;
/** A part counts as gone through after this many seconds on it. */
export const PART_SECONDS = 2;
/** Share of the parts that must have been gone through. */
export const PARTS_NEEDED = 0.8;

/** The least time in the text that can count as having read it: the time to skim it, and at least half a minute. */
export function secondsNeeded(words: number): number {
  return Math.max(30, Math.round((words / SKIM_WORDS_PER_MINUTE) * 60));
}

/** Whether the activity shows a reading read through: enough time in the text, spread over nearly all of it. */
export function readThrough(activity: ReadingActivity, needed: number): boolean {
  return activity.seconds >= needed && coverage(activity, PART_SECONDS) >= PARTS_NEEDED;
}
