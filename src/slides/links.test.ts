import { describe, expect, it } from 'vitest';
import { deckLinks, formatMinutes } from './links';

describe('deckLinks', () => {
  it('gives every view of a deck a URL with a trailing slash', () => {
    expect(deckLinks('intro')).toEqual({
      present: '/slides/intro/',
      read: '/slides/intro/read/',
      handout: '/slides/intro/handout/',
      print: '/slides/intro/?print-pdf',
    });
  });
});

describe('formatMinutes', () => {
  it('formats talk lengths', () => {
    expect(formatMinutes(undefined)).toBeUndefined();
    expect(formatMinutes(45)).toBe('45 min');
    expect(formatMinutes(60)).toBe('1 h');
    expect(formatMinutes(90)).toBe('1 h 30 min');
  });
});
