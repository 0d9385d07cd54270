/**
 * The Markdown that job summaries and reports use, drawn as React elements (never as HTML strings): headings,
 * paragraphs, lists, tables, fenced code, **bold**, `code` and links. Anything else shows as text.
 */
import type { ReactNode } from 'react';

function inline(text: string, key: string): ReactNode[] {
  const out: ReactNode[] = [];
  const pattern = /(\*\*[^*]+\*\*|`[^`]+`|\[[^\]]+\]\([^)\s]+\))/g;
  let last = 0;
  let i = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index! > last) out.push(text.slice(last, m.index));
    const token = m[0];
    const k = `${key}-${i++}`;
    if (token.startsWith('**')) out.push(<strong key={k}>{token.slice(2, -2)}</strong>);
    else if (token.startsWith('`')) out.push(<code key={k}>{token.slice(1, -1)}</code>);
    else {
      const [, label, href] = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(token)!;
      out.push(/^https?:\/\//.test(href!) ? <a key={k} href={href} rel="noopener noreferrer">{label}</a> : label);
    }
    last = m.index! + token.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

const cells = (line: string) => line.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());

export function Markdown({ text }: { text: string }) {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const blocks: ReactNode[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const key = `b${i}`;
    if (!line.trim()) {
      i += 1;
    } else if (line.startsWith('```')) {
      const body: string[] = [];
      for (i += 1; i < lines.length && !lines[i]!.startsWith('```'); i += 1) body.push(lines[i]!);
      i += 1;
      blocks.push(<pre key={key}><code>{body.join('\n')}</code></pre>);
    } else if (/^#{1,6} /.test(line)) {
      const level = Math.min(6, line.indexOf(' ') + 2);
      const Tag = `h${level}` as 'h3';
      blocks.push(<Tag key={key}>{inline(line.replace(/^#+ /, ''), key)}</Tag>);
      i += 1;
    } else if (line.trim().startsWith('|') && lines[i + 1]?.trim().startsWith('|') && /^[\s|:-]+$/.test(lines[i + 1]!)) {
      const head = cells(line);
      const rows: string[][] = [];
      for (i += 2; i < lines.length && lines[i]!.trim().startsWith('|'); i += 1) rows.push(cells(lines[i]!));
      blocks.push(
        <div className="lab-scroll" key={key} role="region" aria-label="Table" tabIndex={0}>
          <table className="lab-table">
            <thead>
              <tr>{head.map((h, j) => <th key={j} scope="col">{inline(h, `${key}h${j}`)}</th>)}</tr>
            </thead>
            <tbody>
              {rows.map((r, ri) => (
                <tr key={ri}>{r.map((c, j) => <td key={j}>{inline(c, `${key}r${ri}c${j}`)}</td>)}</tr>
              ))}
            </tbody>
          </table>
        </div>,
      );
    } else if (/^\s*[-*] /.test(line)) {
      const items: string[] = [];
      for (; i < lines.length && /^\s*[-*] /.test(lines[i]!); i += 1) items.push(lines[i]!.replace(/^\s*[-*] /, ''));
      blocks.push(<ul key={key}>{items.map((t, j) => <li key={j}>{inline(t, `${key}-${j}`)}</li>)}</ul>);
    } else {
      const para: string[] = [];
      for (; i < lines.length && lines[i]!.trim() && !/^(#{1,6} |```|\s*[-*] |\|)/.test(lines[i]!); i += 1) para.push(lines[i]!);
      if (!para.length) {
        para.push(lines[i]!);
        i += 1;
      }
      blocks.push(<p key={key}>{inline(para.join(' '), key)}</p>);
    }
  }
  return <div className="ci-markdown">{blocks}</div>;
}
