/** The project's files: folders first level by level, edited files marked; files the student added can be removed. */
import { Fragment, useState } from 'react';

interface Props {
  files: Record<string, string>;
  starter: Record<string, string>;
  open: string;
  onOpen(path: string): void;
  onAdd(path: string): void;
  onRemove(path: string): void;
}

/** Root files first, then folders; alphabetical within. */
function sortFiles(a: string, b: string): number {
  const pa = a.split('/').slice(0, -1).join('/');
  const pb = b.split('/').slice(0, -1).join('/');
  if (pa !== pb) return pa === '' ? -1 : pb === '' ? 1 : pa.localeCompare(pb);
  return a.localeCompare(b);
}

/** A relative path a project can hold, or a reason it cannot. */
export function checkPath(path: string, files: Record<string, string>): string | null {
  if (!path) return 'Type a file name, e.g. lib/util.mjs.';
  if (path.startsWith('/') || path.split('/').some((part) => part === '' || part === '.' || part === '..')) return 'Use a path inside the project, such as lib/util.mjs.';
  if (!/^[\w./-]+$/.test(path)) return 'Use letters, digits, dots, dashes, underscores and slashes only.';
  if (path in files) return `${path} already exists.`;
  return null;
}

export function FileTree({ files, starter, open, onOpen, onAdd, onRemove }: Props) {
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const list = Object.keys(files).sort(sortFiles);
  const add = () => {
    const path = name.trim();
    const why = checkPath(path, files);
    setProblem(why);
    if (why) return;
    onAdd(path);
    setName('');
  };
  return (
    <nav className="lab-tree" aria-label="Project files">
      <ul>
        {list.map((path, i) => {
          const folder = path.split('/').slice(0, -1).join('/');
          const newFolder = folder && folder !== (list[i - 1] ?? '').split('/').slice(0, -1).join('/');
          const depth = path.split('/').length - 1;
          return (
            <Fragment key={path}>
              {newFolder && (
                <li className="lab-tree-folder" style={{ paddingInlineStart: `${(depth - 1) * 0.75 + 0.5}rem` }}>
                  {folder.split('/').pop()}/
                </li>
              )}
              <li style={{ paddingInlineStart: `${depth * 0.75}rem` }}>
                <button type="button" aria-current={path === open ? 'true' : undefined} onClick={() => onOpen(path)} title={path}>
                  {path.split('/').pop()}
                  {files[path] !== starter[path] && <span className="lab-edited" aria-label={path in starter ? 'edited' : 'new'}> •</span>}
                </button>
                {!(path in starter) && (
                  <button type="button" className="lab-tree-remove" onClick={() => onRemove(path)} aria-label={`Remove ${path}`}>
                    ×
                  </button>
                )}
              </li>
            </Fragment>
          );
        })}
      </ul>
      <div className="lab-tree-add">
        <input value={name} onChange={(e) => setName(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && add()} placeholder="new file, e.g. lib/util.mjs" aria-label="New file path" />
        <button type="button" onClick={add}>
          Add
        </button>
        {problem && <span className="lab-field-error">{problem}</span>}
      </div>
    </nav>
  );
}
