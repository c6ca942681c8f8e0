import * as vscode from 'vscode';
import { PROFILE_RESOURCES_KEY } from '../../core/profileKinds';
import { isSniffCandidate, sniffFile } from '../../node/profileSniff';

// Profiles saved without a telling name (`curl …/debug/pprof/heap > mem.out`) are found by content so
// the Explorer offers Open / Compare on them too: the menus' `when` clauses test
// `resource in heaplens.profileResources`. Only the first bytes of likely candidates are read.

const CONTEXT_KEY = PROFILE_RESOURCES_KEY;
const MAX_SCANNED_FILES = 20_000;
const MAX_SNIFFED_FILES = 2_000;
const EXCLUDE = '**/{node_modules,.git,vendor}/**';

/** ProfileFileDetector keeps the heaplens.profileResources context key listing content-detected profiles. */
export class ProfileFileDetector implements vscode.Disposable {
  private readonly found = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => void this.check(uri)),
      watcher.onDidChange((uri) => void this.check(uri)),
      watcher.onDidDelete((uri) => { if (this.found.delete(uri.toString())) this.publish(); }),
    );
    // After startup work, not during it: this is a convenience for the Explorer menus.
    const timer = setTimeout(() => void this.scan(), 3000);
    this.disposables.push({ dispose: () => clearTimeout(timer) });
  }

  private async scan(): Promise<void> {
    const uris = await vscode.workspace.findFiles('**/*', EXCLUDE, MAX_SCANNED_FILES);
    const candidates = uris.filter((u) => u.scheme === 'file' && isSniffCandidate(nameOf(u))).slice(0, MAX_SNIFFED_FILES);
    for (const uri of candidates) {
      if (await sniffFile(uri.fsPath)) this.found.add(uri.toString());
    }
    this.publish();
  }

  private async check(uri: vscode.Uri): Promise<void> {
    if (uri.scheme !== 'file' || !isSniffCandidate(nameOf(uri))) return;
    const key = uri.toString();
    const isProfile = await sniffFile(uri.fsPath);
    if (isProfile === this.found.has(key)) return;
    if (isProfile) this.found.add(key); else this.found.delete(key);
    this.publish();
  }

  private publish(): void {
    void vscode.commands.executeCommand('setContext', CONTEXT_KEY, [...this.found]);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function nameOf(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}
