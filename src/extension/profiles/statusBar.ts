import * as vscode from 'vscode';
import { isolateName } from '../../core/text/nameDisplay';
import { sampleTypeDescription } from './sampleTypes';
import type { SessionRegistry } from './session';

// One status bar entry: what is being shown (the comparison and its sample type), with a spinner
// while the analysis worker computes the active session's views; click to switch type.

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
    item.text = `${s.busy ? '$(loading~spin)' : '$(graph)'} ${isolateName(s.title)} · ${type}`;
    const what = s.isComparison ? vscode.l10n.t('Comparing {0} against base {1}', isolateName(s.target.name), isolateName(s.base?.name ?? '')) : vscode.l10n.t('Heap profile {0}', isolateName(s.target.name));
    const busy = s.busy ? `\n${vscode.l10n.t('Computing…')}` : '';
    item.tooltip = `${what}\n${vscode.l10n.t('Showing {0}: {1}', type, sampleTypeDescription(s.sampleType))}${busy}\n${vscode.l10n.t('Click to choose the sample type.')}`;
    item.accessibilityInformation = { label: `heaplens: ${s.title}, ${s.sampleType}${s.busy ? `, ${vscode.l10n.t('computing')}` : ''}` };
    item.show();
  };
  update();
  return vscode.Disposable.from(item, sessions.onDidChangeActive(update), sessions.onDidChangeActiveBusy(update));
}
