/**
 * The semester schedule, computed from content/course.yaml: teaching weeks skip breaks, and every date follows from
 * the start date. Also writes the schedule as an iCalendar (.ics) file. Pure functions, tested in Node.
 */
import type { Course } from '../schemas';

const DAY = 86_400_000;

export interface TeachingWeek {
  number: number;
  /** Monday of the week, ISO date. */
  monday: string;
  /** ISO date of the week's contact session. */
  sessionDate: string;
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

const parseDate = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const isoDate = (time: number) => new Date(time).toISOString().slice(0, 10);

/** The Monday on or before an ISO date. */
export function mondayOf(iso: string): string {
  const time = parseDate(iso);
  const weekday = (new Date(time).getUTCDay() + 6) % 7; // 0 = Monday
  return isoDate(time - weekday * DAY);
}

/** Teaching weeks and break weeks in calendar order. */
export function scheduleRows(course: Pick<Course, 'start' | 'breaks' | 'weeks' | 'session'>): ScheduleRow[] {
  const breakWeeks = new Map<string, string>();
  for (const b of course.breaks) {
    const first = parseDate(mondayOf(b.start));
    for (let i = 0; i < b.weeks; i++) breakWeeks.set(isoDate(first + i * 7 * DAY), b.label);
  }
  const rows: ScheduleRow[] = [];
  let monday = parseDate(mondayOf(course.start));
  for (const [index, week] of course.weeks.entries()) {
    while (breakWeeks.has(isoDate(monday))) {
      rows.push({ kind: 'break', label: breakWeeks.get(isoDate(monday))!, monday: isoDate(monday) });
      monday += 7 * DAY;
    }
    rows.push({
      kind: 'week',
      number: index + 1,
      monday: isoDate(monday),
      sessionDate: isoDate(monday + (course.session.weekday - 1) * DAY),
      ...week,
    });
    monday += 7 * DAY;
  }
  return rows;
}

export function teachingWeeks(course: Parameters<typeof scheduleRows>[0]): TeachingWeek[] {
  return scheduleRows(course).flatMap((row) => (row.kind === 'week' ? [row] : []));
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

const icsStamp = (date: Date) => date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const icsText = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/([,;])/g, '\\$1');

/** Folds a content line at 75 octets, as RFC 5545 section 3.1 requires. */
export function foldLine(line: string): string {
  const bytes = new TextEncoder().encode(line);
  if (bytes.length <= 75) return line;
  const pieces: string[] = [];
  let current = '';
  let size = 0;
  for (const char of line) {
    const length = new TextEncoder().encode(char).length;
    const limit = pieces.length === 0 ? 75 : 74; // continuation lines start with a space
    if (size + length > limit) {
      pieces.push(current);
      current = '';
      size = 0;
    }
    current += char;
    size += length;
  }
  pieces.push(current);
  return pieces.join('\r\n ');
}

export interface CalendarOptions {
  /** Used for stable event UIDs. */
  host: string;
  /** Absolute URL of the site, for links in event descriptions. */
  siteUrl: string;
  /** Fixed DTSTAMP, so builds are reproducible. */
  stamp: Date;
  moduleTitles: Record<string, string>;
}

export function scheduleToIcs(course: Course, options: CalendarOptions): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:-//${course.code}//Course schedule//EN`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${icsText(`${course.title} (${course.term})`)}`,
  ];
  for (const week of teachingWeeks(course)) {
    const start = zonedToUtc(week.sessionDate, course.session.time, course.timezone);
    const end = new Date(start.getTime() + course.session.minutes * 60_000);
    const about = [
      week.module ? `Module: ${options.moduleTitles[week.module] ?? week.module}` : '',
      week.lab ? `Lab: ${week.lab}` : '',
      week.note ?? '',
      week.module ? `Reading: ${options.siteUrl}/modules/${week.module}/` : '',
    ].filter(Boolean);
    lines.push(
      'BEGIN:VEVENT',
      `UID:${course.code.toLowerCase()}-week-${week.number}@${options.host}`,
      `DTSTAMP:${icsStamp(options.stamp)}`,
      `DTSTART:${icsStamp(start)}`,
      `DTEND:${icsStamp(end)}`,
      `SUMMARY:${icsText(`${course.code} week ${week.number}: ${week.topic}`)}`,
      `DESCRIPTION:${icsText(about.join('\n'))}`,
      `LOCATION:${icsText(course.session.location)}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
