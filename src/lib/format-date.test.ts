import { expect, it } from 'vitest';
import { formatDay } from './format-date';

it('writes a course date in words, without commas, whatever the time zone of the machine', () => {
  expect(formatDay('2027-02-08')).toBe('Mon 8 Feb 2027');
  expect(formatDay('2027-03-22', 'medium')).toBe('Mon 22 Mar');
  expect(formatDay('2027-12-31', 'short')).toBe('31 Dec');
});
