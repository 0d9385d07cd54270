/**
 * The semester schedule, computed from content/course.yaml: teaching weeks skip breaks, sessions that fall on a
 * holiday are cancelled or moved, every date follows from the start date, and each lab's demo window follows from the
 * week it starts. Pure functions, tested in Node; the calendar file is written by `calendar.ts`.
 */
import type { Course } from '../schemas';

const DAY = 86_400_000;

export type ScheduleInput = Pick<Course, 'start' | 'breaks' | 'weeks' | 'session'> & Partial<Pick<Course, 'holidays'>>;

export interface TeachingWeek {
  number: number;
  /** Monday of the week, ISO date. */
  monday: string;
  /** ISO date of the week's contact session: its regular day, or the day a holiday moved it to. */
  sessionDate: string;
  /** Set when a holiday falls on the regular session day: the session is then moved or cancelled. */
  holiday?: { label: string; date: string; moved: boolean };
  topic: string;
  module?: string;
  lab?: string;
  note?: string;
}

export interface BreakWeek {
  label: string;
  monday: string;
}

export type ScheduleRow = ({ kind: 'week' } & TeachingWeek) | ({ kind: 'break' } & BreakWeek);

export const parseDate = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
export const isoDate = (time: number) => new Date(time).toISOString().slice(0, 10);
export const addDays = (iso: string, days: number) => isoDate(parseDate(iso) + days * DAY);

/** The Monday on or before an ISO date. */
export function mondayOf(iso: string): string {
  const time = parseDate(iso);
  const weekday = (new Date(time).getUTCDay() + 6) % 7; // 0 = Monday
  return isoDate(time - weekday * DAY);
}

/** Whether the week's contact session takes place (it does unless a holiday cancelled it without moving it). */
export const sessionHeld = (week: TeachingWeek) => !week.holiday || week.holiday.moved;

/** Teaching weeks and break weeks in calendar order. */
export function scheduleRows(course: ScheduleInput): ScheduleRow[] {
  const breakWeeks = new Map<string, string>();
  for (const b of course.breaks) {
    const first = parseDate(mondayOf(b.start));
    for (let i = 0; i < b.weeks; i++) breakWeeks.set(isoDate(first + i * 7 * DAY), b.label);
  }
  const holidays = new Map((course.holidays ?? []).map((h) => [h.date, h]));
  const rows: ScheduleRow[] = [];
  let monday = parseDate(mondayOf(course.start));
  for (const [index, week] of course.weeks.entries()) {
    while (breakWeeks.has(isoDate(monday))) {
      rows.push({ kind: 'break', label: breakWeeks.get(isoDate(monday))!, monday: isoDate(monday) });
      monday += 7 * DAY;
    }
    const regular = isoDate(monday + (course.session.weekday - 1) * DAY);
    const holiday = holidays.get(regular);
    rows.push({
      kind: 'week',
      number: index + 1,
      monday: isoDate(monday),
      sessionDate: holiday?.moveTo ?? regular,
      ...(holiday && { holiday: { label: holiday.label, date: regular, moved: Boolean(holiday.moveTo) } }),
      ...week,
    });
    monday += 7 * DAY;
  }
  return rows;
}

export function teachingWeeks(course: ScheduleInput): TeachingWeek[] {
  return scheduleRows(course).flatMap((row) => (row.kind === 'week' ? [row] : []));
}

export interface DemoWindow {
  lab: string;
  /** The teaching week the lab starts in: the first week of the schedule that names it. */
  startWeek: number;
  /** The first session in which the lab can be demonstrated (ISO date). */
  opens: string;
  /** The week of the last session in which it can be demonstrated. */
  closesWeek: number;
  /** The last session in which it can be demonstrated (ISO date): the deadline. */
  closes: string;
  /**
   * Why the window closes in another week than `startWeek + windowWeeks`: `holiday` when that week's session is
   * cancelled (the window then runs to the next session), `term-end` when that week lies after the last teaching week.
   */
  shifted?: 'holiday' | 'term-end';
}

/**
 * The demo window of every lab in the schedule, in the order the labs start. A window opens with the session of the
 * lab's first week and closes with the session `windowWeeks` teaching weeks later. A cancelled session never shortens
 * it: it then closes with the next session that takes place. A window that would close after the last teaching week
 * closes with the last session.
 */
export function demoWindows(course: ScheduleInput & Pick<Course, 'demoWindowWeeks'>): DemoWindow[] {
  const weeks = teachingWeeks(course);
  const held = weeks.filter(sessionHeld);
  const firstHeldFrom = (number: number) => held.find((w) => w.number >= number);
  const windows: DemoWindow[] = [];
  for (const week of weeks) {
    if (!week.lab || windows.some((w) => w.lab === week.lab)) continue;
    const target = week.number + course.demoWindowWeeks;
    const opening = firstHeldFrom(week.number);
    const regularClose = firstHeldFrom(target);
    const closing = regularClose ?? held.at(-1);
    if (!opening || !closing) continue; // no session left in the term: the lab has no window
    const shifted = !regularClose ? 'term-end' : regularClose.number !== target ? 'holiday' : undefined;
    windows.push({
      lab: week.lab,
      startWeek: week.number,
      opens: opening.sessionDate,
      closesWeek: closing.number,
      closes: closing.sessionDate,
      ...(shifted && { shifted }),
    });
  }
  return windows;
}

/** Offset of a time zone from UTC, in milliseconds, at a given instant. */
function zoneOffset(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return asUtc - instant;
}

/** The UTC instant of a wall-clock date and time in a time zone. */
export function zonedToUtc(date: string, time: string, timeZone: string): Date {
  const [hours, minutes] = time.split(':').map(Number);
  const wall = parseDate(date) + (hours * 60 + minutes) * 60_000;
  let instant = wall - zoneOffset(wall, timeZone);
  instant = wall - zoneOffset(instant, timeZone);
  return new Date(instant);
}

/** The calendar date (ISO) of an instant in a time zone. */
export function dateInZone(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}
