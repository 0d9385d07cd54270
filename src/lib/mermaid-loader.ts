/**
 * Draws `<pre class="mermaid">` blocks in the browser: the fallback for diagrams that `npm run diagrams` has not
 * drawn ahead of time yet (see src/markdown/remark-mermaid.mjs). Mermaid itself (several hundred KB) is imported
 * only when a page has such a block, and diagrams are drawn again when the reader switches between light and dark.
 */
import { mermaidConfig } from '../markdown/diagram-style.mjs';

const selector = 'pre.mermaid[data-diagram]';

type MermaidTheme = 'dark' | 'light';

function currentTheme(): MermaidTheme {
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

async function draw(blocks: HTMLElement[], theme: MermaidTheme): Promise<void> {
  const { default: mermaid } = await import('mermaid');
  mermaid.initialize(mermaidConfig(theme) as Parameters<typeof mermaid.initialize>[0]);
  for (const block of blocks) {
    block.dataset.source ??= block.textContent ?? '';
    block.removeAttribute('data-processed');
    block.textContent = block.dataset.source;
  }
  await mermaid.run({ nodes: blocks });
  for (const block of blocks) {
    const svg = block.querySelector('svg');
    if (!svg) continue;
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', block.getAttribute('aria-label') ?? 'Diagram');
  }
}

/**
 * Draws the diagrams in `root` now and again whenever the theme changes. Drawing is serialised: a theme switch
 * while a drawing is under way waits for it, and only the latest theme is drawn.
 */
export function renderDiagrams(root: ParentNode = document): Promise<void> {
  const blocks = [...root.querySelectorAll<HTMLElement>(selector)];
  if (blocks.length === 0) return Promise.resolve();
  let drawn: MermaidTheme | undefined;
  let queue = Promise.resolve();
  const update = () => {
    queue = queue.then(async () => {
      const theme = currentTheme();
      if (theme === drawn) return;
      drawn = theme;
      await draw(blocks, theme);
    });
    return queue;
  };
  new MutationObserver(() => void update()).observe(document.documentElement, {
    attributes: true,
    attributeFilter: ['data-theme'],
  });
  return update();
}

export function renderDiagramsWhenPresent(): void {
  void renderDiagrams().catch((error: unknown) => console.error('A diagram could not be drawn:', error));
}
