import { describe, expect, test } from 'vitest';
import { cellSize, layoutFrom, layoutQuery, MARGIN_MM, PAPER_MM } from './handout-layout';

describe('handout layouts', () => {
  test('come from the query string, with the course paper and sensible defaults', () => {
    expect(layoutFrom(new URLSearchParams(''), 'Letter')).toEqual({ paper: 'Letter', perPage: 1, notes: 'under' });
    expect(layoutFrom(new URLSearchParams('per-page=3'), 'A4')).toEqual({ paper: 'A4', perPage: 3, notes: 'beside' });
    expect(layoutFrom(new URLSearchParams('per-page=2&notes=under&paper=Letter'), 'A4')).toEqual({ paper: 'Letter', perPage: 2, notes: 'under' });
    expect(layoutFrom(new URLSearchParams('per-page=9&notes=left&paper=A3'), 'A4')).toEqual({ paper: 'A4', perPage: 1, notes: 'under' });
    expect(layoutQuery({ paper: 'A4', perPage: 3, notes: 'beside' })).toBe('?per-page=3&notes=beside&paper=A4');
  });

  test.each([1, 2, 3] as const)('%i per page fit the page with their notes, slides at 16:9', (perPage) => {
    for (const paper of ['A4', 'Letter'] as const) {
      for (const notes of ['under', 'beside'] as const) {
        const { cellHeight, slideWidth, slideHeight } = cellSize({ paper, perPage, notes });
        const page = PAPER_MM[paper];
        expect(cellHeight * perPage).toBeLessThanOrEqual(page.height - 2 * MARGIN_MM);
        expect(slideWidth).toBeLessThanOrEqual(page.width - 2 * MARGIN_MM);
        expect(slideHeight).toBeCloseTo((slideWidth * 9) / 16, 6);
        // Room is left for the notes.
        if (notes === 'under') expect(cellHeight - slideHeight).toBeGreaterThanOrEqual(cellHeight * 0.35 - 1e-9);
        else expect(page.width - 2 * MARGIN_MM - slideWidth).toBeGreaterThanOrEqual((page.width - 2 * MARGIN_MM) * 0.45 - 1e-9);
      }
    }
  });
});
