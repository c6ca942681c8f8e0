import * as vscode from 'vscode';
import { baseName, normalizeProfilePath } from '../../core/sourceResolution';
import { isolateName } from '../../core/text/nameDisplay';
import { commandUri } from './commandUri';
import type { SourceResolver } from './sourceResolver';

// "Go to Source" and "Locate File…": every hotspot (tree row, annotation hover link, panel row) opens
// its source line through here, and a file that cannot be found can be pointed at once, for good.

/** SourceLocation is a place named by a profile: its file as written there, a 1-based line, the function. */
export interface SourceLocation {
  file: string;
  line: number;
  function?: string;
}

/** OpenSource opens a profile location in an editor; resolves to false when the file was not found. */
export type OpenSource = (location: SourceLocation) => Promise<boolean>;

/** goToSourceCommand is the command that opens a location (for tree items). */
export function goToSourceCommand(location: SourceLocation): vscode.Command {
  return { command: 'heaplens.goToSource', title: vscode.l10n.t('Go to Source'), arguments: [location] };
}

/** goToSourceLink is a link target running heaplens.goToSource (hovers enable only that command); put it in Markdown with markdownLink. */
export function goToSourceLink(location: SourceLocation): string {
  return commandUri('heaplens.goToSource', [location]);
}

/** registerSourceNavigation registers heaplens.goToSource and heaplens.locateFile; returns them and `openSource`. */
export function registerSourceNavigation(sources: SourceResolver): { disposable: vscode.Disposable; openSource: OpenSource } {
  const openSource: OpenSource = async (location) => {
    const uri = location.file ? await sources.resolveUri(location.file) : undefined;
    if (uri) {
      await showAt(uri, location.line);
      return true;
    }
    void offerLocate(sources, location);
    return false;
  };
  const disposable = vscode.Disposable.from(
    vscode.commands.registerCommand('heaplens.goToSource', async (arg: unknown) => {
      const location = locationOf(arg);
      if (location) await openSource(location);
    }),
    vscode.commands.registerCommand('heaplens.locateFile', async (arg: unknown) => {
      const location = locationOf(arg);
      if (location?.file) await locateFile(sources, location);
    }),
  );
  return { disposable, openSource };
}

/** locationOf reads a location from a command argument: a SourceLocation, or a hotspot tree node (row or finding). */
function locationOf(arg: unknown): SourceLocation | undefined {
  const a = arg as { file?: unknown; line?: unknown; function?: unknown; row?: { file: string; line: number; name: string }; finding?: { target: SourceLocation } } | undefined;
  if (!a) return undefined;
  if (a.row) return { file: a.row.file, line: a.row.line, function: a.row.name };
  if (a.finding) return { ...a.finding.target };
  if (typeof a.file !== 'string') return undefined;
  return { file: a.file, line: typeof a.line === 'number' ? a.line : 0, function: typeof a.function === 'string' ? a.function : undefined };
}

/** showAt opens a file with the cursor at the start of a 1-based line (clamped to the file). */
async function showAt(uri: vscode.Uri, line: number): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const l = Math.min(Math.max(line - 1, 0), Math.max(doc.lineCount - 1, 0));
  const pos = new vscode.Position(l, 0);
  await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), preview: true });
}

async function offerLocate(sources: SourceResolver, location: SourceLocation): Promise<void> {
  if (!location.file) {
    void vscode.window.showWarningMessage(location.function
      ? vscode.l10n.t('heaplens: the profile names no source file for {0}.', isolateName(location.function))
      : vscode.l10n.t('heaplens: the profile names no source file for this frame.'));
    return;
  }
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('heaplens: {0} is not in this workspace, the Go root or the module cache.', isolateName(location.file)), vscode.l10n.t('Locate File…'));
  if (choice) await locateFile(sources, location);
}

/**
 * locateFile asks which local file a profile path is (workspace files with the same name first, or a
 * file dialog), remembers the mapping for this workspace (not in the user's settings unless asked),
 * and opens the location.
 */
async function locateFile(sources: SourceResolver, location: SourceLocation): Promise<void> {
  const name = baseName(normalizeProfilePath(location.file));
  const picked = await pickLocalFile(sources, location.file, name);
  if (!picked) return;
  const mapping = await sources.remember(location.file, picked.fsPath);
  await showAt(picked, location.line);
  const save = await vscode.window.showInformationMessage(
    vscode.l10n.t('heaplens: files under {0} will be looked up in {1} in this workspace.', mapping.from, mapping.to), vscode.l10n.t('Save to Settings'));
  if (save) await saveMapping(mapping.from, mapping.to);
}

async function pickLocalFile(sources: SourceResolver, profilePath: string, name: string): Promise<vscode.Uri | undefined> {
  const candidates = await sources.candidates(profilePath);
  if (candidates.length > 0) {
    const browse = { label: `$(folder-opened) ${vscode.l10n.t('Browse…')}`, path: '' };
    const items = [
      ...candidates.slice(0, 50).map((c) => ({ label: baseName(c.path), description: vscode.workspace.asRelativePath(c.path), path: c.path })),
      browse,
    ];
    const choice = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Which file is {0}?', isolateName(profilePath)), placeHolder: vscode.l10n.t('Files named {0} in this workspace', isolateName(name)) });
    if (!choice) return undefined;
    if (choice !== browse) return vscode.Uri.file(choice.path);
  }
  const picked = await vscode.window.showOpenDialog({
    title: vscode.l10n.t('Locate {0}', isolateName(profilePath)),
    openLabel: vscode.l10n.t('Use for {0}', isolateName(name)),
    canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return picked?.[0];
}

/** saveMapping adds a mapping to heaplens.pathMappings — only when the user clicked "Save to Settings". */
async function saveMapping(from: string, to: string): Promise<void> {
  const config = vscode.workspace.getConfiguration('heaplens');
  const current = config.get<Record<string, string>>('pathMappings', {});
  const target = vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update('pathMappings', { ...current, [from]: to }, target);
}
