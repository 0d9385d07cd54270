// How diagrams look, in the pre-renderer and in the browser. No Node built-ins here: the browser imports it.

/** Bump when the look changes, so every diagram is drawn again. */
export const styleVersion = 1;

/** Mermaid's `base` theme coloured like the site; every text colour meets WCAG AA on its background. */
export const palettes = {
  light: {
    darkMode: false,
    background: '#ffffff',
    primaryColor: '#d3eef3',
    primaryTextColor: '#0b3a44',
    primaryBorderColor: '#14697a',
    secondaryColor: '#f6ead6',
    tertiaryColor: '#f1f3f4',
    lineColor: '#45535a',
    textColor: '#1b1f22',
    titleColor: '#1b1f22',
    edgeLabelBackground: '#ffffff',
    clusterBkg: '#f4f8f9',
    clusterBorder: '#8aa4ab',
    noteBkgColor: '#fff6d6',
    noteTextColor: '#1b1f22',
  },
  dark: {
    darkMode: true,
    background: '#17181c',
    primaryColor: '#14303a',
    primaryTextColor: '#e6f4f7',
    primaryBorderColor: '#5fb3c4',
    secondaryColor: '#3a2f1f',
    tertiaryColor: '#23262b',
    lineColor: '#b8c4c8',
    textColor: '#e8eaed',
    titleColor: '#e8eaed',
    edgeLabelBackground: '#23262b',
    clusterBkg: '#1e2227',
    clusterBorder: '#6b7b80',
    noteBkgColor: '#3a3320',
    noteTextColor: '#f3ecd6',
  },
};

const fontFamily = 'ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/** Mermaid configuration for a theme. Labels are plain SVG text, so a drawn diagram works as an <img>. */
export function mermaidConfig(theme) {
  return {
    startOnLoad: false,
    securityLevel: 'strict',
    theme: 'base',
    htmlLabels: false,
    flowchart: { htmlLabels: false },
    themeVariables: { ...palettes[theme], fontFamily },
  };
}
