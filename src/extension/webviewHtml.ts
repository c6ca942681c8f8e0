import { randomBytes } from 'node:crypto';

// The one way heaplens writes a webview page (comparison panel, trend, custom editor, problem and
// error pages): a strict Content-Security-Policy — nothing by default, scripts only by a fresh
// random nonce, styles/fonts/images only from the extension (cspSource) — stylesheets linked, no
// inline code or styles, and every piece of text escaped. Data never goes into the HTML: scripts
// ask for it (ready → init). No vscode import, so the pages are unit-tested as strings.

/** WebviewPage is what a page loads and shows. */
export interface WebviewPage {
  /** The webview's cspSource: where styles, fonts and images may come from. */
  cspSource: string;
  /** The page's title (escaped here). */
  title: string;
  /** Stylesheet URLs, linked in order; the first may carry an id (codicons want `vscode-codicon-stylesheet`). */
  styles: ReadonlyArray<string | { href: string; id: string }>;
  /** Script URLs, each loaded with the page's nonce. None: the page allows no script at all. */
  scripts?: readonly string[];
  /** The body's HTML, built by the caller from escapeHtml'd pieces. */
  body: string;
  /** Allow WebAssembly compilation ('wasm-unsafe-eval'; the Graphviz layout engine needs it). Never eval. */
  wasm?: boolean;
  /** Allow fonts (codicons) and images from cspSource. */
  fonts?: boolean;
  images?: boolean;
  /** The page's language (html lang), default 'en'. */
  lang?: string;
}

/** webviewHtml renders a page under the strict policy, with a new nonce each time. */
export function webviewHtml(page: WebviewPage, nonce: string = makeNonce()): string {
  const scripts = page.scripts ?? [];
  const styles = page.styles
    .map((s) => (typeof s === 'string' ? `<link rel="stylesheet" href="${escapeHtml(s)}">` : `<link rel="stylesheet" href="${escapeHtml(s.href)}" id="${escapeHtml(s.id)}">`))
    .join('\n');
  return `<!DOCTYPE html>
<html lang="${escapeHtml(page.lang ?? 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(page, scripts.length > 0 ? nonce : undefined))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}
<title>${escapeHtml(page.title)}</title>
</head>
<body>
${page.body}
${scripts.map((src) => `<script nonce="${nonce}" src="${escapeHtml(src)}"></script>`).join('\n')}
</body>
</html>`;
}

/** contentSecurityPolicy is a page's policy: scripts only with `nonce` (none at all without one). */
export function contentSecurityPolicy(page: Pick<WebviewPage, 'cspSource' | 'wasm' | 'fonts' | 'images'>, nonce: string | undefined): string {
  const directives = ["default-src 'none'"];
  if (nonce !== undefined) directives.push(`script-src 'nonce-${nonce}'${page.wasm ? " 'wasm-unsafe-eval'" : ''}`);
  directives.push(`style-src ${page.cspSource}`);
  if (page.fonts) directives.push(`font-src ${page.cspSource}`);
  if (page.images) directives.push(`img-src ${page.cspSource}`);
  return directives.join('; ');
}

/** makeNonce returns a fresh nonce from the platform's cryptographic random source (never Math.random). */
export function makeNonce(): string {
  return randomBytes(24).toString('base64');
}

/** escapeHtml makes text safe inside HTML text and quoted attributes: the one HTML escaper of the extension. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
