import * as vscode from 'vscode';
import { isolateName } from '../../core/text/nameDisplay';
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
    // File and sample-type names come from outside: isolated, so a U+202E cannot reorder the rest.
    const type = isolateName(s.sampleType);
    item.text = `$(graph) ${isolateName(s.title)} · ${type}`;
    const what = s.isComparison ? vscode.l10n.t('Comparing {0} against base {1}', isolateName(s.target.name), isolateName(s.base?.name ?? '')) : vscode.l10n.t('Heap profile {0}', isolateName(s.target.name));
    item.tooltip = `${what}\n${vscode.l10n.t('Showing {0}: {1}', type, sampleTypeDescription(s.sampleType))}\n${vscode.l10n.t('Click to choose the sample type.')}`;
    item.accessibilityInformation = { label: `heaplens: ${s.title}, ${s.sampleType}` };
    item.show();
  };
  update();
  return vscode.Disposable.from(item, sessions.onDidChangeActive(update));
}
