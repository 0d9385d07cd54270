import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import type * as Monaco from 'monaco-editor/editor/editor.api';

export interface CodeEditorHandle {
  /** Replace a file's text as an edit (Ctrl/Cmd+Z undoes it). */
  replace(path: string, text: string): void;
  /** Set a file's text, dropping its undo history. */
  setText(path: string, text: string): void;
}

interface Props {
  ref: Ref<CodeEditorHandle>;
  files: Record<string, string>;
  open: string;
  onEdit(path: string, text: string): void;
  onRun(): void;
}

type EditorModule = typeof import('./editor.ts');

/** Monaco with one model per project file. Loaded on demand: the rest of the workspace works while it loads. */
export function CodeEditor({ ref, files, open, onEdit, onRun }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const [mod, setMod] = useState<EditorModule | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const editor = useRef<Monaco.editor.IStandaloneCodeEditor | null>(null);
  const models = useRef(new Map<string, Monaco.editor.ITextModel>());
  const callbacks = useRef({ onEdit, onRun });
  callbacks.current = { onEdit, onRun };
  const initialFiles = useRef(files);

  useEffect(() => {
    let disposed = false;
    import('./editor.ts')
      .then((m) => {
        if (disposed || !host.current) return;
        const { monaco } = m;
        for (const [path, text] of Object.entries(initialFiles.current)) {
          const model = monaco.editor.createModel(text, m.languageOf(path), monaco.Uri.file(`/project/${path}`));
          model.onDidChangeContent(() => callbacks.current.onEdit(path, model.getValue()));
          models.current.set(path, model);
        }
        editor.current = monaco.editor.create(host.current, {
          model: null,
          theme: m.siteTheme(),
          automaticLayout: true,
          minimap: { enabled: false },
          fontSize: 13,
          tabSize: 2,
          scrollBeyondLastLine: false,
          ariaLabel: 'Code editor',
        });
        editor.current.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => callbacks.current.onRun());
        setMod(m);
      })
      .catch((error) => setFailed(error instanceof Error ? error.message : String(error)));
    return () => {
      disposed = true;
      editor.current?.dispose();
      for (const model of models.current.values()) model.dispose();
      models.current.clear();
    };
  }, []);

  // Follow the site's light or dark theme.
  useEffect(() => {
    if (!mod) return;
    const watch = new MutationObserver(() => mod.monaco.editor.setTheme(mod.siteTheme()));
    watch.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => watch.disconnect();
  }, [mod]);

  useEffect(() => {
    const model = models.current.get(open);
    if (mod && editor.current && model && editor.current.getModel() !== model) editor.current.setModel(model);
  }, [mod, open]);

  useImperativeHandle(ref, () => ({
    replace(path, text) {
      const model = models.current.get(path);
      if (!model) {
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
  }));

  return (
    <div className="pl-editor">
      <div ref={host} className="pl-monaco" data-testid="editor" />
      {!mod && !failed && <p className="pl-editor-loading">Loading the editor…</p>}
      {failed && <p className="pl-editor-loading">The editor could not load: {failed}</p>}
    </div>
  );
}
