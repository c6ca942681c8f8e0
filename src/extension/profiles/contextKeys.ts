import * as vscode from 'vscode';
import { isHeapComparison } from '../goroutines/alongside';
import type { SessionRegistry } from './session';

// The context keys package.json's `when` clauses read: which buttons and palette entries make sense now.

/** registerContextKeys keeps heaplens.hasSession / isComparison / isHeapComparison / hasFilters in step with the active session. */
export function registerContextKeys(sessions: SessionRegistry): vscode.Disposable {
  const update = (): void => {
    const s = sessions.active;
    const f = s?.filters ?? {};
    void vscode.commands.executeCommand('setContext', 'heaplens.hasSession', !!s);
    void vscode.commands.executeCommand('setContext', 'heaplens.isComparison', !!s?.isComparison);
    void vscode.commands.executeCommand('setContext', 'heaplens.isHeapComparison', isHeapComparison(s));
    void vscode.commands.executeCommand('setContext', 'heaplens.hasFilters', !!(f.focus || f.ignore || f.hide || f.show));
  };
  update();
  return sessions.onDidChangeActive(update);
}
