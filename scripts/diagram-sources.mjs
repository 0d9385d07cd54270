// Finds every ```mermaid block in the course's Markdown and MDX (content/ and labs/).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function markdownFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : markdownFiles(path);
    return /\.mdx?$/.test(name) ? [path] : [];
  });
}

/** [{ file, source }] for every Mermaid block, with the block's indentation removed. */
export function diagramSources(dirs = ['content', 'labs']) {
  const found = [];
  for (const file of dirs.flatMap(markdownFiles)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/^([ \t]*)```mermaid[^\n]*\n([\s\S]*?)^\1```/gm)) {
      const indent = match[1];
      const source = match[2]
        .split('\n')
        .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
        .join('\n');
      found.push({ file, source });
    }
  }
  return found;
}
