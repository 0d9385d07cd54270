/**
 * The run's output, with its ANSI colours, in xterm.js. Read-only: programs here take no input. xterm loads with the
 * first output (it is not needed to read or edit the project), and output written before it is ready waits for it.
 */
import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import type { Terminal as XTerm } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';

export interface TerminalHandle {
  /** Writes text; the promise settles when xterm has processed it (backpressure for a program's output). */
  write(text: string): Promise<void>;
  clear(): void;
}

const themes = {
  dark: { background: '#17181c', foreground: '#e6e6e6', cursor: '#17181c' },
  light: { background: '#fbfbfb', foreground: '#1f2328', cursor: '#fbfbfb', brightBlack: '#6e7781', green: '#116329', cyan: '#0a6b78', yellow: '#7d4e00', magenta: '#8250df', red: '#cf222e' },
};
const currentTheme = () => (document.documentElement.dataset.theme === 'dark' ? themes.dark : themes.light);

async function loadXterm() {
  const [{ Terminal }, { FitAddon }] = await Promise.all([import('@xterm/xterm'), import('@xterm/addon-fit')]);
  return { Terminal, FitAddon };
}

export function Terminal({ ref, hint }: { ref: Ref<TerminalHandle>; hint: string }) {
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<Promise<XTerm> | null>(null);
  const [started, setStarted] = useState(false);

  const start = useRef<() => Promise<XTerm>>(() => Promise.reject(new Error('not mounted')));

  useEffect(() => {
    let dispose = () => {};
    const open = () => loadXterm().then(({ Terminal: Xterm, FitAddon }) => {
      const t = new Xterm({
        convertEol: true,
        disableStdin: true,
        cursorBlink: false,
        fontSize: 13,
        fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
        scrollback: 5000,
        theme: currentTheme(),
        screenReaderMode: true,
      });
      const fit = new FitAddon();
      t.loadAddon(fit);
      t.open(host.current!);
      fit.fit();
      const resize = new ResizeObserver(() => fit.fit());
      resize.observe(host.current!);
      const themeWatch = new MutationObserver(() => (t.options.theme = currentTheme()));
      themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
      t.writeln(`\x1b[90m${hint}\x1b[0m`);
      dispose = () => {
        resize.disconnect();
        themeWatch.disconnect();
        t.dispose();
      };
      return t;
    });
    start.current = () => {
      if (!term.current) {
        setStarted(true);
        term.current = open();
      }
      return term.current;
    };
    return () => {
      void term.current?.then(() => dispose());
    };
  }, []); // eslint-disable-line react-hooks/exhaustive-deps -- the first hint only

  useImperativeHandle(ref, () => ({
    write: async (text) => {
      const t = await start.current();
      await new Promise<void>((resolve) => (t ? t.write(text, resolve) : resolve()));
    },
    clear: () => void term.current?.then((t) => t.clear()),
  }));

  return (
    <div className="lab-terminal" data-testid="terminal">
      {!started && <p className="lab-muted">{hint}</p>}
      <div ref={host} className="lab-terminal-screen" />
    </div>
  );
}
