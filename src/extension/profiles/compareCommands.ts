import * as vscode from 'vscode';
import { notAcceptedReason, openDialogFilters, profileKindOf } from '../../core/profileKinds';
import { orderComparison } from '../../core/comparisonOrder';
import { comparisonArgs, fileArg } from './commandArgs';
import { PROFILE_EDITOR_VIEW_TYPE } from './profileEditor';
import { ProfileLoadError, type ProfileLoader } from './profileLoader';
import { preferredSampleType } from './sampleTypes';
import type { LoadedProfile, SessionRegistry, SessionTicket } from './session';

// Compare Heap Profiles and Open Heap Profile: from the Explorer (two files selected / one file), the
// welcome view, or the command palette with a file picker. Profiles are recognised by content, so
// any file can be picked; which kinds each command takes is in core/profileKinds.ts.

/** registerCompareCommands registers heaplens.compare and heaplens.open. */
export function registerCompareCommands(sessions: SessionRegistry, loader: ProfileLoader): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('heaplens.compare', (first?: unknown, second?: unknown) => compare(sessions, loader, first, second)),
    vscode.commands.registerCommand('heaplens.open', (uri?: vscode.Uri | string) => open(uri)),
  );
}

/**
 * compare loads two profiles, decides which is the base, and makes the comparison the active
 * session. Called with (base, target) or ({ base, target }) — URIs or paths — it compares those, in
 * that order; from the Explorer, (clicked, selected[]); else it asks.
 */
async function compare(sessions: SessionRegistry, loader: ProfileLoader, first?: unknown, second?: unknown): Promise<void> {
  const given = comparisonArgs(first, second, (x): x is vscode.Uri => x instanceof vscode.Uri);
  if (given.kind === 'invalid') { void vscode.window.showErrorMessage(given.message); return; }
  const explicit = given.kind === 'value';
  const uris = given.kind === 'value'
    ? argUris([given.value.base, given.value.target])
    : await comparisonFiles(first instanceof vscode.Uri ? first : undefined, Array.isArray(second) ? second : undefined);
  if (!uris) return;
  const ticket = sessions.ticket(); // a single profile still loading when Compare was chosen must not displace it
  try {
    await compareLoaded(sessions, loader, uris, explicit, ticket);
  } finally {
    sessions.settle(ticket); // a Compare that opened nothing no longer holds back an older session
  }
}

async function compareLoaded(sessions: SessionRegistry, loader: ProfileLoader, uris: vscode.Uri[], explicit: boolean, ticket: SessionTicket): Promise<void> {
  let loaded: LoadedProfile[];
  try {
    loaded = await loader.loadAll(uris);
  } catch (e) {
    if (e instanceof vscode.CancellationError) return;
    void vscode.window.showErrorMessage(e instanceof ProfileLoadError ? e.message : `heaplens: ${String(e)}`);
    return;
  }
  const problem = loaded.map((p) => notAcceptedReason('compare', p.name, p.info)).find((p) => p !== undefined);
  if (problem) { loader.release(loaded); void vscode.window.showErrorMessage(problem); return; }
  const [kindA, kindB] = loaded.map((p) => profileKindOf(p.info));
  if (kindA?.id !== kindB?.id) {
    loader.release(loaded);
    void vscode.window.showErrorMessage(vscode.l10n.t('heaplens: {0} is a {1} and {2} is a {3}; compare two profiles of the same kind.', loaded[0].name, kindA?.label ?? '?', loaded[1].name, kindB?.label ?? '?'));
    return;
  }
  const order = orderComparison(loaded[0], loaded[1], (p) => p.info.facts.timeNanos, explicit);
  const baseTypes = new Set(order.base.info.sampleTypes.map((t) => t.type));
  const common = order.target.info.sampleTypes.map((t) => t.type).filter((t) => baseTypes.has(t));
  const sampleType = preferredSampleType(order.target.info.pprofDefault, common);
  if (!sampleType) {
    loader.release(loaded);
    void vscode.window.showErrorMessage(vscode.l10n.t('heaplens: {0} and {1} have no sample type in common, so they cannot be compared.', order.target.name, order.base.name));
    return;
  }
  const session = sessions.open(order.target, order.base, { sampleType }, ticket);
  void vscode.commands.executeCommand('heaplens.hotspots.focus');
  const why = order.reason === 'time' ? vscode.l10n.t('it was taken earlier') : order.reason === 'given' ? vscode.l10n.t('as given') : vscode.l10n.t('it was selected first; the profiles carry no times');
  const swap = vscode.l10n.t('Swap');
  const choice = await vscode.window.showInformationMessage(vscode.l10n.t('heaplens: comparing {0} against base {1} ({2}).', order.target.name, order.base.name, why), swap);
  if (choice === swap && sessions.all().includes(session)) session.swap();
}

/** argUris turns command arguments into URIs: URIs as they are, URI strings parsed, paths relative to the first workspace folder; undefined (after saying why) when one cannot be. */
function argUris(args: Array<vscode.Uri | string>): vscode.Uri[] | undefined {
  const out: vscode.Uri[] = [];
  for (const a of args) {
    if (a instanceof vscode.Uri) { out.push(a); continue; }
    const f = fileArg(a);
    if (f.kind === 'uri') { out.push(vscode.Uri.parse(f.uri, true)); continue; }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (f.relative && !folder) {
      void vscode.window.showErrorMessage(vscode.l10n.t('heaplens: {0} is a relative path and no folder is open; give an absolute path or a URI.', JSON.stringify(f.path)));
      return undefined;
    }
    out.push(f.relative && folder ? vscode.Uri.joinPath(folder, f.path) : vscode.Uri.file(f.path));
  }
  return out;
}

/** comparisonFiles returns the two files to compare: the Explorer selection, else what the user picks. */
async function comparisonFiles(uri?: vscode.Uri, selected?: vscode.Uri[]): Promise<vscode.Uri[] | undefined> {
  const chosen = selected && selected.length > 0 ? selected : uri instanceof vscode.Uri ? [uri] : [];
  if (chosen.length > 2) {
    void vscode.window.showErrorMessage(vscode.l10n.t('heaplens: select exactly two profiles to compare ({0} are selected).', chosen.length));
    return undefined;
  }
  if (chosen.length === 2) return chosen;
  const picked = await vscode.window.showOpenDialog({
    title: chosen.length === 1 ? vscode.l10n.t('Compare with which profile?') : vscode.l10n.t('Select two profiles to compare (the earlier one becomes the base)'),
    openLabel: vscode.l10n.t('Compare'),
    canSelectMany: chosen.length === 0,
    filters: openDialogFilters('compare'),
  });
  if (!picked || picked.length === 0) return undefined;
  const all = [...chosen, ...picked];
  if (all.length === 1) {
    const second = await vscode.window.showOpenDialog({ title: vscode.l10n.t('Compare with which profile?'), openLabel: vscode.l10n.t('Compare'), filters: openDialogFilters('compare') });
    if (!second || second.length === 0) return undefined;
    all.push(second[0]);
  }
  if (all.length !== 2) {
    void vscode.window.showErrorMessage(vscode.l10n.t('heaplens: select exactly two profiles to compare ({0} were selected).', all.length));
    return undefined;
  }
  return all;
}

/** open shows one profile in the heaplens editor (from the Explorer, or a file picker). */
async function open(arg?: vscode.Uri | string): Promise<void> {
  let uri = typeof arg === 'string' ? vscode.Uri.parse(arg) : arg instanceof vscode.Uri ? arg : undefined;
  if (!uri) {
    const picked = await vscode.window.showOpenDialog({ title: vscode.l10n.t('Open a heap or goroutine profile'), openLabel: vscode.l10n.t('Open'), filters: openDialogFilters('open') });
    uri = picked?.[0];
  }
  if (uri) await vscode.commands.executeCommand('vscode.openWith', uri, PROFILE_EDITOR_VIEW_TYPE);
}
