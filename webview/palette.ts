import { type DiffPalette, type RGB, parseColor } from './theme';

// Reading the theme's colours in the webview (the DOM half of theme.ts): CSS variables resolved
// through a probe element, because canvas and exported SVG need concrete values.

/** resolvePalette reads the current theme's colours (call again when the body's theme class changes). */
export function resolvePalette(doc: Document): DiffPalette {
  const probe = doc.createElement('span');
  probe.className = 'theme-probe';
  doc.body.appendChild(probe);
  const read = (cssVar: string, fallback: string): RGB => {
    probe.style.color = fallback;
    probe.style.color = `var(${cssVar}, ${fallback})`;
    return parseColor(getComputedStyle(probe).color) ?? parseColor(fallback)!;
  };
  const highContrast = doc.body.classList.contains('vscode-high-contrast') || doc.body.classList.contains('vscode-high-contrast-light');
  const dark = doc.body.classList.contains('vscode-dark') || doc.body.classList.contains('vscode-high-contrast');
  const palette: DiffPalette = {
    background: read('--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff'),
    foreground: read('--vscode-editor-foreground', dark ? '#d4d4d4' : '#1f1f1f'),
    neutral: read('--vscode-editorWidget-background', dark ? '#2d2d30' : '#ececec'),
    growth: read('--vscode-heaplens-growthForeground', dark ? '#f48771' : '#b0301c'),
    shrink: read('--vscode-heaplens-shrinkForeground', dark ? '#89d185' : '#2a7d2a'),
    highlight: read('--vscode-heaplens-neutralForeground', dark ? '#9cdcfe' : '#2b5e8c'),
    border: highContrast ? read('--vscode-contrastBorder', dark ? '#6fc3df' : '#0f4a85') : undefined,
    highContrast,
    focus: read('--vscode-focusBorder', dark ? '#0078d4' : '#005fb8'),
  };
  probe.remove();
  return palette;
}
