/**
 * The schedule as an iCalendar file (RFC 5545): one event per contact session, and for every lab its demo window and
 * its deadline. Re-importing a newer file updates the events instead of duplicating them: every event keeps its UID
 * when dates change, and SEQUENCE and LAST-MODIFIED grow with every change of the course file. A session cancelled by
 * a holiday stays in the file with STATUS:CANCELLED, so calendars that had it drop it.
 */
import type { Course } from '../schemas';
import { formatDay } from './format-date';
import { addDays, demoWindows, sessionHeld, teachingWeeks, zonedToUtc, type TeachingWeek } from './schedule';

export interface CalendarLink {
  title: string;
  /** Absolute URL of its page; absent while the page does not exist. */
  url?: string;
}

export interface CalendarOptions {
  /** When this file was made (DTSTAMP). */
  stamp: Date;
  /** When the course's schedule last changed (LAST-MODIFIED; SEQUENCE is derived from it). */
  changedAt: Date;
  modules: Record<string, CalendarLink>;
  labs: Record<string, CalendarLink>;
}

/** The absolute URL of a path on the published site, from the course file's `url`: `siteUrl(course, 'labs/x/')`. */
export function siteUrl(course: Pick<Course, 'url'>, path: string): string {
  return new URL(path.replace(/^\//, ''), course.url.endsWith('/') ? course.url : `${course.url}/`).href;
}

const SEQUENCE_EPOCH = Date.UTC(2020, 0, 1);

/**
 * SEQUENCE for a schedule changed at `changedAt`: whole minutes since 2020, so a file made after a later change always
 * carries a higher number (RFC 5546 treats the higher SEQUENCE as the newer version of an event).
 */
export function sequenceFor(changedAt: Date): number {
  return Math.max(0, Math.floor((changedAt.getTime() - SEQUENCE_EPOCH) / 60_000));
}

const stampOf = (date: Date) => date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const dateValue = (iso: string) => iso.replace(/-/g, '');
export const icsText = (text: string) => text.replace(/\\/g, '\\\\').replace(/\r?\n/g, '\\n').replace(/([,;])/g, '\\$1');

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

/** "mlops-spring-2027": the part of every UID that names the course and term, so two courses never share an event. */
function uidPrefix(course: Course): string {
  return `${course.code}-${course.term}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export function scheduleToIcs(course: Course, options: CalendarOptions): string {
  const host = new URL(course.url).host;
  const uid = (name: string) => `UID:${uidPrefix(course)}-${name}@${host}`;
  const common = [`DTSTAMP:${stampOf(options.stamp)}`, `LAST-MODIFIED:${stampOf(options.changedAt)}`, `SEQUENCE:${sequenceFor(options.changedAt)}`];
  const lab = (id: string) => options.labs[id] ?? { title: id };
  const windows = demoWindows(course);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:-//${icsText(course.code)}//Course schedule//EN`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${icsText(`${course.title} (${course.term})`)}`,
    `X-WR-TIMEZONE:${course.timezone}`,
    // Subscribed calendars refresh daily (RFC 7986 and the older Outlook/Apple property).
    'REFRESH-INTERVAL;VALUE=DURATION:P1D',
    'X-PUBLISHED-TTL:P1D',
  ];

  const sessionEvent = (week: TeachingWeek) => {
    const held = sessionHeld(week);
    const date = held ? week.sessionDate : week.holiday!.date;
    const start = zonedToUtc(date, course.session.time, course.timezone);
    const end = new Date(start.getTime() + course.session.minutes * 60_000);
    const module = week.module ? options.modules[week.module] : undefined;
    const closing = held ? windows.filter((w) => w.closesWeek === week.number) : [];
    const about = [
      week.holiday && (held ? `Moved from ${formatDay(week.holiday.date)} (${week.holiday.label}).` : `No session: ${week.holiday.label}.`),
      module && `Module: ${module.title}`,
      week.lab && `Lab: ${lab(week.lab).title}`,
      ...closing.map((w) => `Last session to demonstrate ${lab(w.lab).title}.`),
      week.note,
      module?.url && `Reading: ${module.url}`,
    ].filter(Boolean);
    return [
      'BEGIN:VEVENT',
      uid(`week-${week.number}`),
      ...common,
      `DTSTART:${stampOf(start)}`,
      `DTEND:${stampOf(end)}`,
      `SUMMARY:${icsText(`${held ? '' : 'Cancelled: '}${course.code} week ${week.number}: ${week.topic}`)}`,
      `DESCRIPTION:${icsText(about.join('\n'))}`,
      `LOCATION:${icsText(course.session.location)}`,
      `STATUS:${held ? 'CONFIRMED' : 'CANCELLED'}`,
      ...(module?.url ? [`URL:${module.url}`] : []),
      'END:VEVENT',
    ];
  };

  for (const week of teachingWeeks(course)) lines.push(...sessionEvent(week));

  for (const w of windows) {
    const { title, url } = lab(w.lab);
    const rule = `Demonstrate it in one session from week ${w.startWeek} (${formatDay(w.opens)}) up to and including week ${w.closesWeek} (${formatDay(w.closes)}, ${course.session.time}).`;
    const allDay = (name: string, first: string, lastInclusive: string, summary: string, description: string) => [
      'BEGIN:VEVENT',
      uid(name),
      ...common,
      `DTSTART;VALUE=DATE:${dateValue(first)}`,
      `DTEND;VALUE=DATE:${dateValue(addDays(lastInclusive, 1))}`,
      `SUMMARY:${icsText(summary)}`,
      `DESCRIPTION:${icsText(description)}`,
      'TRANSP:TRANSPARENT',
      ...(url ? [`URL:${url}`] : []),
      'END:VEVENT',
    ];
    const more = url ? `\nLab: ${url}` : '';
    lines.push(
      ...allDay(`demo-window-${w.lab}`, w.opens, w.closes, `${course.code} demo window: ${title}`, `${rule}${more}`),
      ...allDay(`demo-deadline-${w.lab}`, w.closes, w.closes, `${course.code} last demo session: ${title}`, `${rule}${more}`),
    );
  }

  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
