import * as vscode from 'vscode';
import { sampleTypeDescription } from './sampleTypes';
import type { SessionRegistry } from './session';

// One status bar entry: what is being shown (the comparison and its sample type); click to switch type.

/** registerStatusBar shows the active session and its sample type; clicking it runs Choose Sample Type. */
export function registerStatusBar(sessions: SessionRegistry): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('heaplens.session', vscode.StatusBarAlignment.Left, 50);
  item.name = 'heaplens';
  item.command = 'heaplens.chooseSampleType';
  const update = (): void => {
    const s = sessions.active;
    if (!s) { item.hide(); return; }
    item.text = `$(graph) ${s.title} · ${s.sampleType}`;
    const what = s.isComparison ? `Comparing ${s.target.name} against base ${s.base?.name}` : `Heap profile ${s.target.name}`;
    item.tooltip = `${what}\nShowing ${s.sampleType}: ${sampleTypeDescription(s.sampleType)}\nClick to choose the sample type.`;
    item.accessibilityInformation = { label: `heaplens: ${s.title}, ${s.sampleType}` };
    item.show();
  };
  update();
  return vscode.Disposable.from(item, sessions.onDidChangeActive(update));
}
