/**
 * Monaco with one model per file, for every lab that has students write code: a node project, a Dockerfile, a
 * workflow, one function of a coding exercise. Following the site's light or dark theme, with markers a lab computes
 * (lint findings, parse errors, annotations).
 *
 * Monaco is large (its code and workers are most of a lab page's weight), so it loads when the student starts to edit:
 * until then the open file is shown as text, and a click, a key or a programmatic change (a solution) loads it. The
 * page is usable, and fast to load, without it.
 */
import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import type * as Monaco from 'monaco-editor/editor/editor.api';

export interface CodeEditorHandle {
  /** Replace a file's text as an edit (Ctrl/Cmd+Z undoes it). */
  replace(path: string, text: string): void;
  /** Set a file's text, dropping its undo history. */
  setText(path: string, text: string): void;
  /** Put the cursor on a line of the open file (1-based). */
  reveal(line: number, column?: number): void;
}

/** A finding shown in the editor at a position of a file (1-based lines and columns). */
export interface EditorMarker {
  path: string;
  line: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** The rule or tool that says so (e.g. "DL3008"). */
  source?: string;
}

interface Props {
  ref?: Ref<CodeEditorHandle>;
  files: Record<string, string>;
  open: string;
  onEdit(path: string, text: string): void;
  /** Ctrl/Cmd+Enter. */
  onRun?(): void;
  markers?: EditorMarker[];
  /** Files the student may read but not change. */
  readOnly?: (path: string) => boolean;
  /** Accessible name of the editor. */
  label?: string;
  /** CSS height of the editor (default: fills its container, at least 18 rem). */
  height?: string;
}

type EditorModule = typeof import('./editor.ts');

export function CodeEditor({ ref, files, open, onEdit, onRun, markers, readOnly, label = 'Code editor', height }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const [mod, setMod] = useState<EditorModule | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [active, setActive] = useState(false);
  const pendingFocus = useRef(false);
  const editor = useRef<Monaco.editor.IStandaloneCodeEditor | null>(null);
  const models = useRef(new Map<string, Monaco.editor.ITextModel>());
  const callbacks = useRef({ onEdit, onRun, readOnly });
  callbacks.current = { onEdit, onRun, readOnly };
  const initialFiles = useRef(files);

  const modelFor = (m: EditorModule, path: string, text: string) => {
    let model = models.current.get(path);
    if (!model) {
      model = m.monaco.editor.createModel(text, m.languageOf(path), m.monaco.Uri.file(`/project/${path}`));
      const made = model;
      made.onDidChangeContent(() => callbacks.current.onEdit(path, made.getValue()));
      models.current.set(path, made);
    }
    return model;
  };

  useEffect(() => {
    if (!active) return;
    let disposed = false;
    import('./editor.ts')
      .then((m) => {
        if (disposed || !host.current) return;
        for (const [path, text] of Object.entries(initialFiles.current)) modelFor(m, path, text);
        editor.current = m.monaco.editor.create(host.current, {
          model: null,
          theme: m.siteTheme(),
          automaticLayout: true,
          minimap: { enabled: false },
          fontSize: 13,
          tabSize: 2,
          wordWrap: 'on',
          scrollBeyondLastLine: false,
          ariaLabel: label,
        });
        editor.current.addCommand(m.monaco.KeyMod.CtrlCmd | m.monaco.KeyCode.Enter, () => callbacks.current.onRun?.());
        if (pendingFocus.current) editor.current.focus();
        setMod(m);
      })
      .catch((error) => setFailed(error instanceof Error ? error.message : String(error)));
    return () => {
      disposed = true;
      editor.current?.dispose();
      for (const model of models.current.values()) model.dispose();
      models.current.clear();
    };
  }, [active]); // eslint-disable-line react-hooks/exhaustive-deps -- created once; files arrive through models

  // Follow the site's light or dark theme.
  useEffect(() => {
    if (!mod) return;
    const watch = new MutationObserver(() => mod.monaco.editor.setTheme(mod.siteTheme()));
    watch.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => watch.disconnect();
  }, [mod]);

  // Files added after the editor started (a new file in a project) get a model too.
  useEffect(() => {
    if (!mod) return;
    for (const [path, text] of Object.entries(files)) if (!models.current.has(path)) modelFor(mod, path, text);
  }, [mod, files]);

  useEffect(() => {
    if (!mod || !editor.current) return;
    const model = models.current.get(open) ?? modelFor(mod, open, files[open] ?? '');
    if (editor.current.getModel() !== model) editor.current.setModel(model);
    editor.current.updateOptions({ readOnly: callbacks.current.readOnly?.(open) ?? false, ariaLabel: label });
  }, [mod, open, label]); // eslint-disable-line react-hooks/exhaustive-deps -- follows the open file

  useEffect(() => {
    if (!mod) return;
    const severity = { error: mod.monaco.MarkerSeverity.Error, warning: mod.monaco.MarkerSeverity.Warning, info: mod.monaco.MarkerSeverity.Info };
    for (const [path, model] of models.current) {
      mod.monaco.editor.setModelMarkers(
        model,
        'lab',
        (markers ?? [])
          .filter((x) => x.path === path)
          .map((x) => ({
            startLineNumber: x.line,
            startColumn: x.column ?? 1,
            endLineNumber: x.endLine ?? x.line,
            endColumn: x.endColumn ?? model.getLineMaxColumn(Math.min(Math.max(1, x.endLine ?? x.line), model.getLineCount())),
            severity: severity[x.severity],
            message: x.message,
            source: x.source,
          })),
      );
    }
  }, [mod, markers]);

  useImperativeHandle(ref, () => ({
    replace(path, text) {
      const model = models.current.get(path);
      if (!model) {
        // Not loaded yet (or a new file): the change goes to the files, from which Monaco's models start.
        callbacks.current.onEdit(path, text);
        return;
      }
      if (model.getValue() === text) return;
      model.pushStackElement();
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
      model.pushStackElement();
    },
    setText(path, text) {
      const model = models.current.get(path);
      if (model && model.getValue() !== text) model.setValue(text);
    },
    reveal(line, column = 1) {
      editor.current?.revealLineInCenter(line);
      editor.current?.setPosition({ lineNumber: line, column });
      editor.current?.focus();
    },
  }));

  const activate = () => {
    pendingFocus.current = true;
    setActive(true);
  };

  return (
    <div className="lab-editor" style={height ? { height } : undefined}>
      <div ref={host} className="lab-monaco" data-testid="editor" hidden={!active} />
      {!active && (
        <div className="lab-editor-preview" onClick={activate} data-testid="editor-preview">
          <button type="button" className="lab-editor-hint" onClick={activate}>
            Edit {open}
          </button>
          <pre>{files[open] ?? ''}</pre>
        </div>
      )}
      {active && !mod && !failed && <p className="lab-editor-note">Loading the editor…</p>}
      {failed && <p className="lab-editor-note">The editor could not load: {failed}</p>}
    </div>
  );
}
