/** The reader's theme choice, kept where Starlight keeps it. Storage that is full or blocked never throws here. */
export type Theme = 'auto' | 'dark' | 'light';

const storageKey = 'starlight-theme';

export const parseTheme = (theme: unknown): Theme => (theme === 'auto' || theme === 'dark' || theme === 'light' ? theme : 'auto');

/** The choice of this page, for when storage cannot keep it. */
let unsaved: Theme | undefined;

export function loadTheme(): Theme {
  if (unsaved) return unsaved;
  try {
    return parseTheme(localStorage.getItem(storageKey));
  } catch {
    return 'auto';
  }
}

export function storeTheme(theme: Theme): void {
  try {
    if (localStorage.getItem(storageKey) === (theme === 'auto' ? '' : theme)) return;
    localStorage.setItem(storageKey, theme === 'light' || theme === 'dark' ? theme : '');
    unsaved = undefined;
  } catch {
    unsaved = theme;
  }
}
