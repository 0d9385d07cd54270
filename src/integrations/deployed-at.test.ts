import { describe, expect, test } from 'vitest';
import { deployedAt, placeholderUrl } from './deployed-at.mjs';

describe('deployedAt', () => {
  test('splits the course URL into the site origin and the base path', () => {
    expect(deployedAt('https://user.github.io/course/', undefined)).toEqual({ site: 'https://user.github.io', base: '/course/' });
    expect(deployedAt('https://user.github.io/course', undefined)).toEqual({ site: 'https://user.github.io', base: '/course/' });
    expect(deployedAt('https://mlops.example.edu/', undefined)).toEqual({ site: 'https://mlops.example.edu', base: '/' });
  });

  test('uses the placeholder while the course file names no URL', () => {
    expect(deployedAt(undefined, undefined)).toEqual({ site: new URL(placeholderUrl).origin, base: '/' });
  });

  test('lets BASE_PATH override the path', () => {
    expect(deployedAt('https://mlops.example.edu/', '/course/')).toEqual({ site: 'https://mlops.example.edu', base: '/course/' });
    expect(deployedAt('https://user.github.io/course/', '/')).toEqual({ site: 'https://user.github.io', base: '/' });
  });

  test('names the field when the URL is not one', () => {
    expect(() => deployedAt('mlops.example.edu', undefined)).toThrow(/course\.yaml: url/);
    expect(() => deployedAt('ftp://mlops.example.edu/', undefined)).toThrow(/https/);
  });
});
