// rehype plugin: a table in Markdown can take the keyboard focus. Starlight lets a table wider than the column scroll
// sideways; a scrolling region must be reachable by keyboard (WCAG 2.1.1; axe's scrollable-region-focusable).
export function rehypeFocusableTables() {
  const visit = (node) => {
    if (node.type === 'element' && node.tagName === 'table') node.properties = { ...node.properties, tabIndex: 0 };
    for (const child of node.children ?? []) visit(child);
  };
  return (tree) => visit(tree);
}
