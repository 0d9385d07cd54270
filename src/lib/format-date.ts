/** Course dates (ISO calendar dates, no time zone) in words, the same at build time and in the browser. */
const parts = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

const styles = {
  /** "Mon 8 Feb 2027" */
  long: ['weekday', 'day', 'month', 'year'],
  /** "Mon 8 Feb" */
  medium: ['weekday', 'day', 'month'],
  /** "8 Feb" */
  short: ['day', 'month'],
} as const;

export function formatDay(iso: string, style: keyof typeof styles = 'long'): string {
  const part = Object.fromEntries(parts.formatToParts(new Date(`${iso}T00:00:00Z`)).map((p) => [p.type, p.value]));
  return styles[style].map((type) => part[type]).join(' ');
}
