import { describe, expect, test } from 'vitest';
import { joinBase, normalizeBase, rehypeBasePath } from './base-path.mjs';

describe('base paths', () => {
  test('normalize to a leading and a trailing slash', () => {
    expect(normalizeBase('')).toBe('/');
    expect(normalizeBase('/')).toBe('/');
    expect(normalizeBase('course')).toBe('/course/');
    expect(normalizeBase('/course')).toBe('/course/');
    expect(normalizeBase('/a/b/')).toBe('/a/b/');
  });

  test('prefix root-absolute paths only', () => {
    expect(joinBase('/course/', '/labs/')).toBe('/course/labs/');
    expect(joinBase('/course', '/')).toBe('/course/');
    expect(joinBase('/', '/labs/')).toBe('/labs/');
    for (const other of ['https://example.org/x', '//cdn.example.org/x', '#anchor', '../up/', 'mailto:a@b.c', 'relative/']) {
      expect(joinBase('/course/', other)).toBe(other);
    }
  });

  test('the rehype plugin rewrites links and sources in Markdown and in MDX elements', () => {
    const tree = {
      type: 'root',
      children: [
        { type: 'element', tagName: 'a', properties: { href: '/labs/' }, children: [] },
        { type: 'element', tagName: 'a', properties: { href: 'https://example.org/' }, children: [] },
        { type: 'element', tagName: 'img', properties: { src: '/diagrams/x-light.svg' }, children: [] },
        {
          type: 'mdxJsxFlowElement',
          name: 'LinkCard',
          attributes: [
            { type: 'mdxJsxAttribute', name: 'href', value: '/modules/intro/' },
            { type: 'mdxJsxAttribute', name: 'title', value: '/not/a/link' },
          ],
          children: [],
        },
      ],
    };
    rehypeBasePath({ base: '/course/' })(tree);
    const [a, external, img, card] = tree.children as any[];
    expect(a.properties.href).toBe('/course/labs/');
    expect(external.properties.href).toBe('https://example.org/');
    expect(img.properties.src).toBe('/course/diagrams/x-light.svg');
    expect(card.attributes.map((attribute: { value: string }) => attribute.value)).toEqual(['/course/modules/intro/', '/not/a/link']);
  });
});
