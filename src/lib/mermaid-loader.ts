/**
 * Renders `<pre class="mermaid">` blocks. Mermaid itself (several hundred KB) is imported only when a page
 * has a diagram, and diagrams are drawn again when the reader switches between light and dark.
 */
const selector = 'pre.mermaid[data-diagram]';

type MermaidTheme = 'dark' | 'light';

function currentTheme(): MermaidTheme {
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

/** Mermaid's `base` theme, coloured like the site; every text colour meets WCAG AA on its background. */
const palettes: Record<MermaidTheme, Record<string, string | boolean>> = {
  light: {
    darkMode: false,
    background: '#ffffff',
    primaryColor: '#d3eef3',
    primaryTextColor: '#0b3a44',
    primaryBorderColor: '#14697a',
    secondaryColor: '#f6ead6',
    tertiaryColor: '#f1f3f4',
    lineColor: '#45535a',
    textColor: '#1b1f22',
    titleColor: '#1b1f22',
    edgeLabelBackground: '#ffffff',
    clusterBkg: '#f4f8f9',
    clusterBorder: '#8aa4ab',
    noteBkgColor: '#fff6d6',
    noteTextColor: '#1b1f22',
  },
  dark: {
    darkMode: true,
    background: '#17181c',
    primaryColor: '#14303a',
    primaryTextColor: '#e6f4f7',
    primaryBorderColor: '#5fb3c4',
    secondaryColor: '#3a2f1f',
    tertiaryColor: '#23262b',
    lineColor: '#b8c4c8',
    textColor: '#e8eaed',
    titleColor: '#e8eaed',
    edgeLabelBackground: '#23262b',
    clusterBkg: '#1e2227',
    clusterBorder: '#6b7b80',
    noteBkgColor: '#3a3320',
    noteTextColor: '#f3ecd6',
  },
};

async function draw(blocks: HTMLElement[], theme: MermaidTheme): Promise<void> {
  const { default: mermaid } = await import('mermaid');
  mermaid.initialize({
    startOnLoad: false,
    securityLevel: 'strict',
    theme: 'base',
    themeVariables: { ...palettes[theme], fontFamily: 'inherit' },
  });
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
