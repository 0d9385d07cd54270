import { useEffect, useImperativeHandle, useRef, type Ref } from 'react';
import { Terminal as XTerm } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
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

/** The run's output, with its ANSI colours, in xterm.js. Read-only: programs here take no input. */
export function Terminal({ ref, hint }: { ref: Ref<TerminalHandle>; hint: string }) {
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<XTerm | null>(null);

  useEffect(() => {
    const t = new XTerm({
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
    term.current = t;
    const resize = new ResizeObserver(() => fit.fit());
    resize.observe(host.current!);
    const themeWatch = new MutationObserver(() => (t.options.theme = currentTheme()));
    themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    t.writeln(`\x1b[90m${hint}\x1b[0m`);
    return () => {
      resize.disconnect();
      themeWatch.disconnect();
      t.dispose();
    };
  }, []); // eslint-disable-line react-hooks/exhaustive-deps -- the first hint only

  useImperativeHandle(ref, () => ({
    write: (text) => new Promise<void>((resolve) => (term.current ? term.current.write(text, resolve) : resolve())),
    clear: () => term.current?.clear(),
  }));

  return <div className="lab-terminal" ref={host} data-testid="terminal" />;
}
