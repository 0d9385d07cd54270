import { expect, test } from 'vitest';
import { isPlaceholderDescription, subtitleOf } from './subtitle';

test('a description that only numbers the lecture is a placeholder', () => {
  expect(isPlaceholderDescription('Lecture 4 of the MLOps course.')).toBe(true);
  expect(isPlaceholderDescription('Lecture 9 of the MLOps course (optional module).')).toBe(true);
  expect(isPlaceholderDescription('Why models struggle to reach production, and what MLOps is.')).toBe(false);
  expect(isPlaceholderDescription('Lecture 2 of the course: containers, images and Compose for a model server.')).toBe(false);
});

test('the module summary stands in for a placeholder, never for a real description', () => {
  expect(subtitleOf('Lecture 4 of the MLOps course.', 'Images, Compose and registries.')).toBe('Images, Compose and registries.');
  expect(subtitleOf('Pipelines with retries.', 'Images, Compose and registries.')).toBe('Pipelines with retries.');
  expect(subtitleOf('Lecture 4 of the MLOps course.')).toBe('Lecture 4 of the MLOps course.');
});
