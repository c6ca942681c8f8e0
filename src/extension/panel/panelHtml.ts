import * as vscode from 'vscode';
import { escapeHtml, webviewHtml } from '../webviewHtml';

// The panel's HTML shell (webviewHtml's strict policy). No data is inlined: the script asks for it
// (ready → init). Besides our nonce'd scripts, styles and fonts from the extension, the policy allows
// WebAssembly compilation ('wasm-unsafe-eval', needed by the Graphviz layout engine) — no eval.

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

/** panelHtml renders the page for a webview; `title` is escaped. */
export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  const assets = panelAssets(webview, extensionUri);
  return webviewHtml({
    cspSource: webview.cspSource,
    title,
    styles: [{ href: String(assets.codicons), id: 'vscode-codicon-stylesheet' }, String(assets.styles)],
    scripts: [String(assets.script)],
    body: `<div id="app" class="loading">${vscode.l10n.t('Loading profile…').replace(/[&<>]/g, '')}</div>`,
    wasm: true,
    fonts: true,
  });
}

/** errorHtml is a script-free page that explains why a panel could not be shown. */
export function errorHtml(webview: vscode.Webview, extensionUri: vscode.Uri, message: string): string {
  const assets = panelAssets(webview, extensionUri);
  return webviewHtml({
    cspSource: webview.cspSource,
    title: 'heaplens',
    lang: vscode.env.language,
    styles: [String(assets.styles)],
    body: `<p class="panel-error">${escapeHtml(message)}</p>`,
  });
}
