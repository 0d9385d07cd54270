/** A chart from src/labkit/charts in the page: the SVG (its <title> and <desc> are the text alternative) and a caption. */
export function Chart({ svg, caption, testId }: { svg: string; caption?: string; testId?: string }) {
  return (
    <figure className="lab-chart-figure" data-testid={testId}>
      <div className="lab-chart" dangerouslySetInnerHTML={{ __html: svg }} />
      {caption && <figcaption className="lab-muted">{caption}</figcaption>}
    </figure>
  );
}
