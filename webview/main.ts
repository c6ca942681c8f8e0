import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { ToWebview } from '../src/protocol/messages';
import { PanelApp } from './app';
import { connectHost } from './host';

// The panel's entry point: register the VS Code-styled controls, start the app, report CSP
// violations (a blocked resource would otherwise fail silently), and say ready so the host sends
// the data (ready → init handshake).

const host = connectHost();
const root = document.getElementById('app');
if (root) {
  const app = new PanelApp(root, host);
  window.addEventListener('message', (e: MessageEvent<ToWebview>) => app.receive(e.data));
  document.addEventListener('securitypolicyviolation', (e) => {
    document.body.dataset.cspViolations = String(Number(document.body.dataset.cspViolations ?? 0) + 1);
    host.postMessage({ type: 'problem', message: `blocked by the content security policy: ${e.violatedDirective} ${e.blockedURI || '(inline)'}` });
  });
  host.postMessage({ type: 'ready' });
}
