import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { courseSchema, type Course } from '../schemas';
import { dateInZone, demoWindows, mondayOf, scheduleRows, sessionHeld, teachingWeeks, zonedToUtc } from './schedule';

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

  it('cancels a session that falls on a holiday, or moves it, and keeps the week a teaching week', () => {
    const weeks = teachingWeeks({
      ...base,
      holidays: [
        { date: '2027-02-17', label: 'Carnival' },
        { date: '2027-02-24', label: 'Founders day', moveTo: '2027-02-25' },
        { date: '2027-02-08', label: 'A Monday, not a session day' },
      ],
    });
    expect(weeks.map((w) => [w.number, w.sessionDate, sessionHeld(w)])).toEqual([
      [1, '2027-02-10', true],
      [2, '2027-02-17', false],
      [3, '2027-02-25', true],
    ]);
    expect(weeks[0].holiday).toBeUndefined();
    expect(weeks[1].holiday).toEqual({ label: 'Carnival', date: '2027-02-17', moved: false });
    expect(weeks[2].holiday).toEqual({ label: 'Founders day', date: '2027-02-24', moved: true });
  });
});

describe('demoWindows', () => {
  const weeks = (labs: Record<number, string>, count = 8) =>
    Array.from({ length: count }, (_, i) => ({ topic: `Week ${i + 1}`, ...(labs[i + 1] && { lab: labs[i + 1] }) }));

  it('opens with the week a lab starts and closes with the session N teaching weeks later', () => {
    const windows = demoWindows({ ...base, demoWindowWeeks: 3, weeks: weeks({ 2: 'a', 3: 'a', 4: 'b' }) });
    expect(windows).toEqual([
      { lab: 'a', startWeek: 2, opens: '2027-02-17', closesWeek: 5, closes: '2027-03-10' },
      { lab: 'b', startWeek: 4, opens: '2027-03-03', closesWeek: 7, closes: '2027-03-24' },
    ]);
  });

  it('counts teaching weeks, so a break does not shorten a window', () => {
    const [window] = demoWindows({
      ...base,
      demoWindowWeeks: 3,
      weeks: weeks({ 1: 'a' }),
      breaks: [{ label: 'Break', start: '2027-02-15', weeks: 2 }],
    });
    // Week 1 on 10 Feb, break on 15 and 22 Feb, weeks 2–4 from 1 Mar: the window closes with week 4 on 17 Mar.
    expect(window).toMatchObject({ closesWeek: 4, closes: '2027-03-17' });
  });

  it('runs to the next session when the closing session is cancelled, and opens with the next one when the first is', () => {
    const [window] = demoWindows({
      ...base,
      demoWindowWeeks: 2,
      weeks: weeks({ 1: 'a' }),
      holidays: [
        { date: '2027-02-10', label: 'Opening day off' },
        { date: '2027-02-24', label: 'Closing day off' },
      ],
    });
    expect(window).toEqual({ lab: 'a', startWeek: 1, opens: '2027-02-17', closesWeek: 4, closes: '2027-03-03', shifted: 'holiday' });
  });

  it('closes with the last session when the window would end after the term', () => {
    const [window] = demoWindows({ ...base, demoWindowWeeks: 3, weeks: weeks({ 7: 'late' }) });
    expect(window).toMatchObject({ startWeek: 7, closesWeek: 8, closes: '2027-03-31', shifted: 'term-end' });
  });
});

describe('time zones', () => {
  it('converts Brussels wall-clock time in winter (UTC+1) and summer (UTC+2)', () => {
    expect(zonedToUtc('2027-02-10', '13:30', 'Europe/Brussels').toISOString()).toBe('2027-02-10T12:30:00.000Z');
    expect(zonedToUtc('2027-05-12', '13:30', 'Europe/Brussels').toISOString()).toBe('2027-05-12T11:30:00.000Z');
  });

  it('gives the calendar date of an instant in a time zone', () => {
    // 23:30 UTC on 7 Feb is already 8 Feb in Brussels, and still 7 Feb in New York.
    expect(dateInZone(new Date('2027-02-07T23:30:00Z'), 'Europe/Brussels')).toBe('2027-02-08');
    expect(dateInZone(new Date('2027-02-07T23:30:00Z'), 'America/New_York')).toBe('2027-02-07');
  });
});

describe('the example course in content/course.yaml', () => {
  const course = courseSchema.parse(parse(readFileSync('content/course.yaml', 'utf8')));

  /** Belgium's public holidays in a year: fixed dates, and Easter Monday, Ascension Day and Whit Monday. */
  function belgianHolidays(year: number): string[] {
    // Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    const a = year % 19, b = Math.floor(year / 100), c = year % 100, d = Math.floor(b / 4), e = b % 4;
    const f = Math.floor((b + 8) / 25), g = Math.floor((b - f + 1) / 3), h = (19 * a + b - d - g + 15) % 30;
    const i = Math.floor(c / 4), k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = Math.floor((a + 11 * h + 22 * l) / 451);
    const month = Math.floor((h + l - 7 * m + 114) / 31), day = ((h + l - 7 * m + 114) % 31) + 1;
    const easter = Date.UTC(year, month - 1, day);
    const fromEaster = (days: number) => new Date(easter + days * 86_400_000).toISOString().slice(0, 10);
    const fixed = ['01-01', '05-01', '07-21', '08-15', '11-01', '11-11', '12-25'].map((md) => `${year}-${md}`);
    return [...fixed, fromEaster(1), fromEaster(39), fromEaster(50)];
  }

  it.runIf(course.timezone === 'Europe/Brussels')('holds no session on a Belgian public holiday', () => {
    expect(belgianHolidays(2027)).toContain('2027-03-29'); // Easter Monday 2027
    expect(belgianHolidays(2027)).toContain('2027-05-17'); // Whit Monday 2027
    const weeks = teachingWeeks(course).filter(sessionHeld);
    const years = new Set(weeks.map((w) => Number(w.sessionDate.slice(0, 4))));
    const holidays = new Set([...years].flatMap(belgianHolidays));
    expect(weeks.filter((w) => holidays.has(w.sessionDate)).map((w) => `week ${w.number} on ${w.sessionDate}`)).toEqual([]);
  });
});
