import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { courseSchema, type Course } from '../schemas';
import { foldLine, mondayOf, scheduleRows, scheduleToIcs, teachingWeeks, zonedToUtc } from './schedule';

const base = {
  start: '2027-02-08',
  session: { weekday: 3, time: '13:30', minutes: 120, location: 'Room 1' },
  breaks: [] as Course['breaks'],
  weeks: [{ topic: 'One' }, { topic: 'Two' }, { topic: 'Three' }],
};

describe('scheduleRows', () => {
  it('puts teaching weeks a week apart from the start Monday, with the session on its weekday', () => {
    const weeks = teachingWeeks(base);
    expect(weeks.map((w) => w.monday)).toEqual(['2027-02-08', '2027-02-15', '2027-02-22']);
    expect(weeks.map((w) => w.sessionDate)).toEqual(['2027-02-10', '2027-02-17', '2027-02-24']);
    expect(weeks.map((w) => w.number)).toEqual([1, 2, 3]);
  });

  it('moves the weeks after a break on by the length of the break', () => {
    const rows = scheduleRows({ ...base, breaks: [{ label: 'Spring break', start: '2027-02-17', weeks: 2 }] });
    expect(rows.map((r) => (r.kind === 'week' ? `${r.number}@${r.monday}` : `break@${r.monday}`))).toEqual([
      '1@2027-02-08',
      'break@2027-02-15',
      'break@2027-02-22',
      '2@2027-03-01',
      '3@2027-03-08',
    ]);
  });

  it('starts on the Monday of the start date week', () => {
    expect(mondayOf('2027-02-11')).toBe('2027-02-08');
    expect(mondayOf('2027-02-14')).toBe('2027-02-08');
    expect(teachingWeeks({ ...base, start: '2027-02-12' })[0].monday).toBe('2027-02-08');
  });
});

describe('zonedToUtc', () => {
  it('converts Brussels wall-clock time in winter (UTC+1) and summer (UTC+2)', () => {
    expect(zonedToUtc('2027-02-10', '13:30', 'Europe/Brussels').toISOString()).toBe('2027-02-10T12:30:00.000Z');
    expect(zonedToUtc('2027-05-12', '13:30', 'Europe/Brussels').toISOString()).toBe('2027-05-12T11:30:00.000Z');
  });
});

describe('scheduleToIcs', () => {
  const course = courseSchema.parse(parse(readFileSync('content/course.yaml', 'utf8')));
  const ics = scheduleToIcs(course, {
    host: 'example.org',
    siteUrl: 'https://example.org',
    stamp: new Date('2027-01-01T00:00:00Z'),
    moduleTitles: Object.fromEntries(course.modules.map((m) => [m.id, m.title])),
  });
  const lines = ics.split('\r\n');

  it('has one event per teaching week, with CRLF lines of at most 75 octets', () => {
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(course.weeks.length);
    for (const line of lines) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
  });

  it('gives each event its UTC start and end and escapes text', () => {
    const first = teachingWeeks(course)[0];
    const start = zonedToUtc(first.sessionDate, course.session.time, course.timezone);
    const stamp = start.toISOString().replace(/[-:]/g, '').replace('.000', '');
    expect(lines).toContain(`DTSTART:${stamp}`);
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded).toContain(`SUMMARY:${course.code} week 1: ${course.weeks[0].topic.replace(/,/g, '\\,')}`);
    expect(new Set(lines.filter((l) => l.startsWith('UID:'))).size).toBe(course.weeks.length);
  });

  it('folds long lines without breaking multi-byte characters', () => {
    const long = 'DESCRIPTION:' + 'é'.repeat(80);
    const folded = foldLine(long);
    expect(folded.replace(/\r\n /g, '')).toBe(long);
    for (const piece of folded.split('\r\n')) expect(new TextEncoder().encode(piece).length).toBeLessThanOrEqual(75);
  });
});
