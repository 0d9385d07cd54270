import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { courseSchema, type Course } from '../schemas';
import { foldLine, scheduleToIcs, sequenceFor, siteUrl, type CalendarOptions } from './calendar';
import { demoWindows, teachingWeeks, zonedToUtc } from './schedule';

const course = courseSchema.parse(parse(readFileSync('content/course.yaml', 'utf8')));

const options: CalendarOptions = {
  stamp: new Date('2026-12-01T10:00:00Z'),
  changedAt: new Date('2026-11-30T09:15:00Z'),
  modules: Object.fromEntries(course.modules.map((m) => [m.id, { title: m.title, url: `https://courses.test/mlops/modules/${m.id}/` }])),
  labs: Object.fromEntries(
    course.weeks.flatMap((w) => (w.lab ? [[w.lab, { title: `Title of ${w.lab}`, url: `https://courses.test/mlops/labs/${w.lab}/` }]] : [])),
  ),
};

type Event = Record<string, string>;

/** Unfolds the lines and returns every VEVENT as a map from property (with its parameters) to value. */
function events(ics: string): Event[] {
  const lines = ics.replace(/\r\n /g, '').split('\r\n');
  const out: Event[] = [];
  let current: Event | undefined;
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') current = {};
    else if (line === 'END:VEVENT') out.push(current!), (current = undefined);
    else if (current) {
      const colon = line.indexOf(':');
      current[line.slice(0, colon)] = line.slice(colon + 1);
    }
  }
  return out;
}

const stamp = (date: Date) => date.toISOString().replace(/[-:]/g, '').replace('.000', '');

describe('scheduleToIcs', () => {
  const ics = scheduleToIcs(course, options);
  const all = events(ics);
  const sessions = all.filter((e) => e.UID.includes('-week-'));

  it('is a calendar of CRLF lines of at most 75 octets', () => {
    const lines = ics.split('\r\n');
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    for (const line of lines) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
  });

  it('has one event per session and two per demo window (the window and its deadline), each with its own UID', () => {
    const windows = demoWindows(course);
    expect(sessions).toHaveLength(course.weeks.length);
    expect(all).toHaveLength(course.weeks.length + 2 * windows.length);
    expect(new Set(all.map((e) => e.UID)).size).toBe(all.length);
    for (const e of all) expect(e.UID).toMatch(/^mlops-spring-2027-[a-z0-9-]+@mlops-course\.example\.org$/);
  });

  it('stamps every event with the time the file was made, the time the schedule changed, and a SEQUENCE from it', () => {
    for (const e of all) {
      expect(e.DTSTAMP).toBe('20261201T100000Z');
      expect(e['LAST-MODIFIED']).toBe('20261130T091500Z');
      expect(e.SEQUENCE).toBe(String(sequenceFor(options.changedAt)));
    }
  });

  it('gives sessions their UTC times, titles instead of ids, and links on the configured site', () => {
    const first = teachingWeeks(course)[0];
    expect(sessions[0].DTSTART).toBe(stamp(zonedToUtc(first.sessionDate, course.session.time, course.timezone)));
    expect(sessions[0].SUMMARY).toBe(`${course.code} week 1: ${course.weeks[0].topic.replace(/,/g, '\\,')}`);
    const withLab = sessions.find((e) => e.DESCRIPTION.includes('Lab: '))!;
    const lab = course.weeks.find((w) => w.lab)!.lab!;
    expect(withLab.DESCRIPTION).toContain(`Lab: Title of ${lab}`);
    expect(ics).not.toMatch(new RegExp(`Lab: ${lab}\\b`));
    expect(sessions[0].DESCRIPTION).toContain(`Reading: https://courses.test/mlops/modules/${course.weeks[0].module}/`);
    expect(ics).not.toContain('example.org/modules');
  });

  it('holds each demo window as an all-day event from its first to its last session, and the deadline on that day', () => {
    const window = demoWindows(course).find((w) => w.lab === 'pipeline')!;
    const range = all.find((e) => e.UID.includes('demo-window-pipeline'))!;
    expect(range['DTSTART;VALUE=DATE']).toBe(window.opens.replace(/-/g, ''));
    const dayAfter = new Date(Date.parse(`${window.closes}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expect(range['DTEND;VALUE=DATE']).toBe(dayAfter.replace(/-/g, ''));
    expect(range.SUMMARY).toBe(`${course.code} demo window: Title of pipeline`);
    expect(range.URL).toBe('https://courses.test/mlops/labs/pipeline/');
    const deadline = all.find((e) => e.UID.includes('demo-deadline-pipeline'))!;
    expect(deadline['DTSTART;VALUE=DATE']).toBe(window.closes.replace(/-/g, ''));
    expect(deadline.SUMMARY).toContain('last demo session');
    const closingSession = sessions.find((e) => e.UID.includes(`-week-${window.closesWeek}@`))!;
    expect(closingSession.DESCRIPTION).toContain('Last session to demonstrate Title of pipeline.');
  });

  it('keeps every UID and raises SEQUENCE when the dates change, so a re-import updates the events', () => {
    const moved: Course = { ...course, start: '2027-02-15' };
    const later = { ...options, stamp: new Date('2026-12-20T08:00:00Z'), changedAt: new Date('2026-12-19T17:00:00Z') };
    const after = events(scheduleToIcs(moved, later));
    expect(after.map((e) => e.UID)).toEqual(all.map((e) => e.UID));
    expect(Number(after[0].SEQUENCE)).toBeGreaterThan(Number(all[0].SEQUENCE));
    expect(after[0].DTSTART).not.toBe(all[0].DTSTART);
  });

  it('keeps a session cancelled by a holiday, marked CANCELLED, and moves a moved one', () => {
    const weeks = teachingWeeks(course);
    const cancelled = weeks[2].sessionDate;
    const holidays = [...course.holidays, { date: cancelled, label: 'Day off' }];
    const after = events(scheduleToIcs({ ...course, holidays }, options)).filter((e) => e.UID.includes('-week-'));
    expect(after).toHaveLength(course.weeks.length);
    expect(after[2].STATUS).toBe('CANCELLED');
    expect(after[2].SUMMARY).toMatch(/^Cancelled: /);
    expect(after[2].DESCRIPTION).toContain('No session: Day off.');
    const moved = weeks.findIndex((w) => w.holiday?.moved);
    expect(moved, 'the example course moves a session for a holiday').toBeGreaterThanOrEqual(0);
    expect(after[moved].STATUS).toBe('CONFIRMED');
    expect(after[moved].DESCRIPTION).toContain(`(${weeks[moved].holiday!.label})`);
    expect(after[moved].DTSTART.slice(0, 8)).toBe(weeks[moved].sessionDate.replace(/-/g, ''));
  });

  it('folds long lines without breaking multi-byte characters', () => {
    const long = 'DESCRIPTION:' + 'é'.repeat(80);
    const folded = foldLine(long);
    expect(folded.replace(/\r\n /g, '')).toBe(long);
    for (const piece of folded.split('\r\n')) expect(new TextEncoder().encode(piece).length).toBeLessThanOrEqual(75);
  });
});

describe('sequenceFor', () => {
  it('grows with the change time and fits a 32-bit integer for centuries', () => {
    expect(sequenceFor(new Date('2027-01-01T00:01:00Z'))).toBeGreaterThan(sequenceFor(new Date('2027-01-01T00:00:00Z')));
    expect(sequenceFor(new Date('2400-01-01T00:00:00Z'))).toBeLessThan(2 ** 31);
  });
});

describe('siteUrl', () => {
  it('puts a path under the course URL, with or without its base path and trailing slash', () => {
    expect(siteUrl({ url: 'https://user.github.io/course/' }, 'labs/pipeline/')).toBe('https://user.github.io/course/labs/pipeline/');
    expect(siteUrl({ url: 'https://user.github.io/course' }, '/labs/pipeline/')).toBe('https://user.github.io/course/labs/pipeline/');
    expect(siteUrl({ url: 'https://course.example.org/' }, 'schedule.ics')).toBe('https://course.example.org/schedule.ics');
  });
});
