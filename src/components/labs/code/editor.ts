/**
 * Monaco, bundled from the npm package with its workers (Vite `?worker` imports): the editor worker and the
 * TypeScript/JavaScript language worker. Nothing is fetched from a CDN.
 */
import * as monaco from './monaco.ts';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import TsWorker from 'monaco-editor/language/typescript/ts.worker?worker';

type MonacoEnv = { getWorker(id: string, label: string): Worker };
(self as unknown as { MonacoEnvironment: MonacoEnv }).MonacoEnvironment = {
  getWorker: (_id, label) => (label === 'typescript' || label === 'javascript' ? new TsWorker() : new EditorWorker()),
};

const js = monaco.typescript.javascriptDefaults;
js.setCompilerOptions({
  target: monaco.typescript.ScriptTarget.ESNext,
  module: monaco.typescript.ModuleKind.ESNext,
  moduleResolution: monaco.typescript.ModuleResolutionKind.NodeJs,
  allowJs: true,
  allowNonTsExtensions: true,
  checkJs: false,
});
// Syntax errors are shown; type errors are not (there are no Node type definitions in the page).
js.setDiagnosticsOptions({ noSemanticValidation: true, noSyntaxValidation: false });

export { monaco };

// Monaco's own themes, with comments made dark/light enough for WCAG AA contrast.
monaco.editor.defineTheme('lab-dark', { base: 'vs-dark', inherit: true, rules: [{ token: 'comment', foreground: '7fb36b' }], colors: {} });
monaco.editor.defineTheme('lab-light', { base: 'vs', inherit: true, rules: [{ token: 'comment', foreground: '1f6f1f' }], colors: {} });

export const siteTheme = () => (document.documentElement.dataset.theme === 'dark' ? 'lab-dark' : 'lab-light');

export function languageOf(path: string): string {
  const name = path.split('/').pop() ?? path;
  if (/\.(mjs|js|cjs)$/.test(name)) return 'javascript';
  if (/\.ya?ml$/.test(name)) return 'yaml';
  if (/^(Dockerfile|Containerfile)(\..*)?$|\.dockerfile$/i.test(name)) return 'dockerfile';
  if (/\.(sh|bash)$/.test(name)) return 'shell';
  if (name.endsWith('.json')) return 'json';
  if (name.endsWith('.md')) return 'markdown';
  return 'plaintext';
}
