import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import * as l10n from '@vscode/l10n';
import type { ToWebview } from '../src/protocol/messages';
import { setDisplayLanguage } from './locale';
import { PanelApp } from './app';
import { connectHost } from './host';

// The panel's entry point: register the VS Code-styled controls, report CSP violations (a blocked
// resource would otherwise fail silently), and say ready so the host sends the data (ready → init
// handshake). The app is built when init arrives: init brings the display language and its
// translations, which every label needs (messages arriving before it wait for it).

const host = connectHost();
const root = document.getElementById('app');
if (root) {
  let app: PanelApp | undefined;
  const early: ToWebview[] = [];
  window.addEventListener('message', (e: MessageEvent<ToWebview>) => {
    const message = e.data;
    if (!app && message.type !== 'init') { early.push(message); return; }
    if (!app && message.type === 'init') {
      l10n.config({ contents: message.l10n ?? {} });
      setDisplayLanguage(message.language);
      app = new PanelApp(root, host);
      app.receive(message);
      for (const m of early.splice(0)) app.receive(m);
      return;
    }
    app?.receive(message);
  });
  document.addEventListener('securitypolicyviolation', (e) => {
    document.body.dataset.cspViolations = String(Number(document.body.dataset.cspViolations ?? 0) + 1);
    host.postMessage({ type: 'problem', message: `blocked by the content security policy: ${e.violatedDirective} ${e.blockedURI || '(inline)'}` });
  });
  host.postMessage({ type: 'ready' });
}
