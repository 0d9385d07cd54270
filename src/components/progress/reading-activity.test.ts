import { describe, expect, it } from 'vitest';
import { PARTS_NEEDED, PART_SECONDS, READING_PARTS, SKIM_WORDS_PER_MINUTE, coverage, readThrough, secondsNeeded, type ReadingActivity } from './reading-activity';

const activity = (parts: number[]): ReadingActivity => ({ openedAt: '2027-02-08T10:00:00Z', seconds: parts.reduce((a, b) => a + b, 0), parts });

describe('reading through', () => {
  it('needs the time it takes to skim the text, and at least half a minute', () => {
    expect(secondsNeeded(SKIM_WORDS_PER_MINUTE * 6)).toBe(360);
    expect(secondsNeeded(10)).toBe(30);
  });

  it('counts a reading read only with enough time spread over nearly all of it', () => {
    const needed = 300;
    const even = activity(new Array(READING_PARTS).fill(needed / READING_PARTS));
    expect(readThrough(even, needed)).toBe(true);
    // The same time spent at the top and the end, after a jump, is not reading through.
    const jumped = activity([needed / 2, 0, 0, 0, 0, 0, 0, 0, 0, needed / 2]);
    expect(coverage(jumped, PART_SECONDS)).toBe(0.2);
    expect(readThrough(jumped, needed)).toBe(false);
    // Reading through quickly is not enough either.
    expect(readThrough(activity(new Array(READING_PARTS).fill(PART_SECONDS)), needed)).toBe(false);
  });

  it('tolerates a few parts skimmed past', () => {
    const skipped = Math.round(READING_PARTS * (1 - PARTS_NEEDED));
    const parts = new Array(READING_PARTS).fill(60).map((s, i) => (i < skipped ? 0 : s));
    expect(readThrough(activity(parts), 300)).toBe(true);
    expect(readThrough(activity(parts.map((s, i) => (i === skipped ? 0 : s))), 300)).toBe(false);
  });
});
