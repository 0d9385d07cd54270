import rehypeStringify from 'rehype-stringify';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { expect, test } from 'vitest';
import { rehypeFormulas, remarkFormulas } from './math.mjs';

const render = (markdown: string) => {
  const [[katex, options], failOnBadFormulas] = rehypeFormulas;
  return String(unified().use(remarkParse).use(...remarkFormulas).use(remarkRehype).use(katex, options).use(failOnBadFormulas).use(rehypeStringify).processSync(markdown));
};

test('$$…$$ is typeset, as HTML for the eye and MathML for screen readers', () => {
  const html = render('The scale is $$s = \\frac{\\max - \\min}{q_{\\max}}$$ per tensor.');
  expect(html).toContain('class="katex"');
  expect(html).toContain('<math');
  expect(html).toContain('<mfrac>');
});

test('a display formula on its own lines is typeset in display mode', () => {
  expect(render('$$\nL = \\lambda W\n$$')).toContain('katex-display');
});

test('a single dollar stays a dollar sign', () => {
  const html = render('A GPU hour costs $2 and a CPU hour $0.05; run `echo $HOME`.');
  expect(html).not.toContain('katex');
  expect(html).toContain('$2 and a CPU hour $0.05');
});

test('a formula KaTeX cannot read fails the build with its message', () => {
  expect(() => render('$$\\frac{1}{$$')).toThrow(/KaTeX/);
});
