// Runs in the page where scripts/render-diagrams.mjs draws diagrams, with Mermaid loaded: reads a diagram with
// Mermaid's own parser and lists what its arrows say, one relation a line ("Ingest data → Train model (nightly)"),
// so the text version of a diagram carries the relations and not only the names of its boxes.
// Returns an empty list for kinds of diagram without arrows to describe. Self-contained: Playwright sends its source
// text to the page.
export async function describeDiagram(source) {
  const clean = (text) =>
    String(text ?? '')
      .replace(/<br\s*\/?>/gi, ' ')
      .replace(/<[^>]+>/g, '')
      .replace(/^"|"$/g, '')
      .replace(/\s+/g, ' ')
      .trim();
  window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
  const diagram = await window.mermaid.mermaidAPI.getDiagramFromText(source);
  const db = diagram.db;
  if (typeof db.getEdges === 'function' && typeof db.getVertices === 'function') {
    const vertices = db.getVertices();
    const name = (id) => clean((vertices instanceof Map ? vertices.get(id) : vertices[id])?.text) || id;
    return db.getEdges().map((edge) => {
      const label = clean(edge.text);
      const arrow = edge.type === 'arrow_open' ? '—' : '→';
      return `${name(edge.start)} ${arrow} ${name(edge.end)}${label ? ` (${label})` : ''}`;
    });
  }
  if (typeof db.getRelations === 'function' && typeof db.getStates === 'function') {
    const states = db.getStates();
    const name = (id) => {
      if (/^root_start$|_start$/.test(id)) return 'Start';
      if (/^root_end$|_end$/.test(id)) return 'End';
      const state = states instanceof Map ? states.get(id) : states[id];
      return clean(state?.descriptions?.join(' ')) || id;
    };
    return db.getRelations().map((relation) => `${name(relation.id1)} → ${name(relation.id2)}${clean(relation.relationTitle) ? ` (${clean(relation.relationTitle)})` : ''}`);
  }
  if (typeof db.getMessages === 'function') {
    const actors = typeof db.getActors === 'function' ? db.getActors() : new Map();
    const name = (id) => clean((actors instanceof Map ? actors.get(id) : actors[id])?.description) || id;
    return db
      .getMessages()
      .filter((message) => message.from && message.to)
      .map((message) => `${name(message.from)} → ${name(message.to)}${clean(message.message) ? `: ${clean(message.message)}` : ''}`);
  }
  return [];
}
