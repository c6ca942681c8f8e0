import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

// The panel's HTML shell. No data is inlined: the script asks for it (ready → init). The policy
// allows only our nonce'd scripts, styles and fonts from the extension, and WebAssembly compilation
// ('wasm-unsafe-eval', needed by the Graphviz layout engine) — no eval, no inline code or styles.

/** panelResourceRoots are the folders a panel webview may load files from. */
export function panelResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/** PanelAssets are the URIs the page and the script load. */
export interface PanelAssets {
  script: vscode.Uri;
  graphvizScript: vscode.Uri;
  styles: vscode.Uri;
  codicons: vscode.Uri;
}

/** panelAssets resolves the bundle, stylesheet and codicon URIs for a webview. */
export function panelAssets(webview: vscode.Webview, extensionUri: vscode.Uri): PanelAssets {
  const uri = (...parts: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...parts));
  return {
    script: uri('dist', 'webview.js'),
    graphvizScript: uri('dist', 'graphviz.js'),
    styles: uri('media', 'panel.css'),
    codicons: uri('dist', 'codicons', 'codicon.css'),
  };
}

/** panelContentSecurityPolicy is the page's CSP for a nonce. */
export function panelContentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' 'wasm-unsafe-eval'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
  ].join('; ');
}

/** panelHtml renders the page for a webview; `title` is escaped. */
export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  const nonce = makeNonce();
  const assets = panelAssets(webview, extensionUri);
  return `<!DOCTYPE html>
<html lang="${escapeHtml(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${panelContentSecurityPolicy(webview.cspSource, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${assets.codicons}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${assets.styles}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<div id="app" class="loading">${escapeHtml(vscode.l10n.t('Loading heap profile…'))}</div>
<script nonce="${nonce}" src="${assets.script}"></script>
</body>
</html>`;
}

/** errorHtml is a script-free page that explains why a panel could not be shown. */
export function errorHtml(webview: vscode.Webview, extensionUri: vscode.Uri, message: string): string {
  const assets = panelAssets(webview, extensionUri);
  return `<!DOCTYPE html>
<html lang="${escapeHtml(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource}">
<link rel="stylesheet" href="${assets.styles}">
</head>
<body><p class="panel-error">${escapeHtml(message)}</p></body>
</html>`;
}

/** escapeHtml makes text safe inside HTML text and quoted attributes. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function makeNonce(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(32);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}
