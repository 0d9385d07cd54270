// Formulas: `$$…$$` in Markdown and MDX (inline within a line, or on lines of their own for a display formula) is
// typeset by KaTeX at build time, so pages ship HTML and MathML and no math JavaScript; KaTeX's stylesheet and fonts
// are bundled with the site. A single `$` stays a dollar sign, so prices and shell variables in prose are safe.
import rehypeKatex from 'rehype-katex';
import remarkMath from 'remark-math';

/** @type {[typeof remarkMath, import('remark-math').Options]} */
export const remarkFormulas = [remarkMath, { singleDollarTextMath: false }];

/** rehype-katex only warns about a formula it cannot read and prints it in red; here the build stops instead. */
function failOnBadFormulas() {
  return (/** @type {unknown} */ _tree, /** @type {import('vfile').VFile} */ file) => {
    const problem = file.messages.find((message) => message.source === 'rehype-katex');
    if (problem) throw new Error(`${file.path ?? 'Markdown'}: KaTeX cannot typeset a formula: ${problem.cause instanceof Error ? problem.cause.message : problem.reason}`);
  };
}

/**
 * The rehype plugins, in order.
 * @type {[[typeof rehypeKatex, import('rehype-katex').Options], typeof failOnBadFormulas]}
 */
export const rehypeFormulas = [[rehypeKatex, { output: 'htmlAndMathml' }], failOnBadFormulas];
