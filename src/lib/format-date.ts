/** Course dates (ISO calendar dates, no time zone) in words, the same at build time and in the browser. */
const formats = {
  /** "Mon 8 Feb 2027" */
  long: new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }),
  /** "Mon 8 Feb" */
  medium: new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }),
  /** "8 Feb" */
  short: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }),
};

export function formatDay(iso: string, style: keyof typeof formats = 'long'): string {
  return formats[style].format(new Date(`${iso}T00:00:00Z`));
}
