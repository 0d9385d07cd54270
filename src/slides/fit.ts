/**
 * Fitting slide content to the 1280×720 slide: diagrams sized from their own proportions, code shrunk where it would
 * scroll. Shared by the presenter (./present.ts) and the handouts (./handout.ts).
 */
/** The logical slide size; reveal.js scales it to the screen, so 1280×720 and 1920×1080 show the same layout. */
export const SLIDE_WIDTH = 1280;
export const SLIDE_HEIGHT = 720;
/** Largest box a diagram may take on a slide, and how much a small diagram may be enlarged to fill it. */
const DIAGRAM_MAX = { width: 1120, height: 470, upscale: 1.8 };

/** Sizes each diagram from its own proportions so that it fits the slide, whatever its natural size. */
export function fitDiagrams(root: ParentNode): void {
  const scaleFor = (width: number, height: number, limit?: string) =>
    Math.min(DIAGRAM_MAX.width / width, (limit ? Number(limit) : DIAGRAM_MAX.height) / height, DIAGRAM_MAX.upscale);
  // Diagrams drawn ahead of time (src/markdown/remark-mermaid.mjs): one image per theme, with its size in attributes.
  for (const img of root.querySelectorAll<HTMLImageElement>('figure.diagram img')) {
    const width = Number(img.getAttribute('width'));
    const height = Number(img.getAttribute('height'));
    img.loading = 'eager';
    if (!width || !height || img.dataset.fitted) continue;
    const scale = scaleFor(width, height, img.closest<HTMLElement>('figure')?.dataset.maxHeight);
    img.width = Math.round(width * scale);
    img.height = Math.round(height * scale);
    img.dataset.fitted = 'true';
  }
  // Diagrams drawn in the browser by Mermaid.
  for (const svg of root.querySelectorAll<SVGSVGElement>('pre.mermaid svg')) {
    const box = svg.viewBox?.baseVal;
    if (!box || box.width === 0 || box.height === 0) continue;
    const scale = scaleFor(box.width, box.height, svg.closest<HTMLElement>('pre.mermaid')?.dataset.maxHeight);
    svg.style.maxWidth = 'none';
    svg.setAttribute('width', String(Math.round(box.width * scale)));
    svg.setAttribute('height', String(Math.round(box.height * scale)));
  }
}

/**
 * Shrinks code blocks that would scroll: a block wider than the slide, or a slide taller than the slide height,
 * gets a smaller font, down to a floor that stays readable. Runs while every slide is laid out at its logical size.
 */
export function fitCode(sections: Iterable<HTMLElement>, slideHeight = SLIDE_HEIGHT): void {
  const minScale = 0.6;
  for (const section of sections) {
    const blocks = [...section.querySelectorAll<HTMLElement>('.expressive-code')];
    if (blocks.length === 0) continue;
    const base = blocks.map((block) => parseFloat(getComputedStyle(block).fontSize));
    const overflowing = () =>
      section.scrollHeight > slideHeight || blocks.some((block) => {
        const pre = block.querySelector('pre');
        return pre !== null && (pre.scrollWidth > pre.clientWidth + 1 || pre.scrollHeight > pre.clientHeight + 1);
      });
    for (let scale = 0.95; scale >= minScale && overflowing(); scale -= 0.05) {
      blocks.forEach((block, i) => (block.style.fontSize = `${(base[i] * scale).toFixed(1)}px`));
    }
  }
}
