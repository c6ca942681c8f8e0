import * as vscode from 'vscode';
import { openDialogFilters, profileKindOf } from '../../core/profileKinds';
import { bundleGoroutineName } from '../../node/captureBundle';
import type { ProfileLoader } from '../profiles/profileLoader';
import { fileName } from '../profiles/profileLoader';
import type { LoadedProfile, ProfileSession, SessionRegistry } from '../profiles/session';
import { isGoroutineSession } from './goroutineViews';

// A heap comparison's findings of kind `goroutines` say memory is held by goroutines; a goroutine
// profile taken alongside says where those goroutines wait (blockedAt: count, wait reason, line).
// Two ways to give one: automatically, when the heap profiles come from capture bundles
// (heap-STAMP.* beside goroutine-STAMP.txt, one timestamp: nothing is guessed beyond that name),
// and with "Link Goroutine Profiles…", which takes one (taken with the new profile) or two (with
// base and new) from the Explorer or a file picker.

/** LINK_GOROUTINES is the command that gives the active heap comparison goroutine profiles. */
export const LINK_GOROUTINES = 'heaplens.linkGoroutines';

/** registerAlongside pairs every new heap comparison with its bundles' goroutine dumps and registers LINK_GOROUTINES. */
export function registerAlongside(sessions: SessionRegistry, loader: ProfileLoader): vscode.Disposable {
  return vscode.Disposable.from(
    sessions.onDidOpen((s) => void pairBundle(s, loader)),
    vscode.commands.registerCommand(LINK_GOROUTINES, (uri?: vscode.Uri, uris?: vscode.Uri[]) => link(sessions, loader, uris && uris.length > 0 ? uris : uri ? [uri] : undefined)),
  );
}

/** isHeapComparison tells a comparison of heap profiles (the sessions goroutine profiles can explain). */
export function isHeapComparison(s: ProfileSession | undefined): s is ProfileSession {
  return s !== undefined && s.isComparison && !isGoroutineSession(s);
}

/** pairBundle loads the goroutine dumps saved with a heap comparison's captured profiles; silent when there are none. */
async function pairBundle(session: ProfileSession, loader: ProfileLoader): Promise<void> {
  if (!isHeapComparison(session) || !session.base) return;
  const sibling = async (p: LoadedProfile): Promise<vscode.Uri | undefined> => {
    const name = bundleGoroutineName(p.name);
    if (!name) return undefined;
    const uri = vscode.Uri.joinPath(p.uri, '..', name);
    try {
      return (await vscode.workspace.fs.stat(uri)).type & vscode.FileType.File ? uri : undefined;
    } catch {
      return undefined;
    }
  };
  const [base, target] = await Promise.all([sibling(session.base), sibling(session.target)]);
  if (!target) return;
  let loaded: LoadedProfile[];
  try {
    loaded = await loader.loadAll(base ? [base, target] : [target]);
  } catch {
    return; // an unreadable dump leaves the comparison as it was; Link Goroutine Profiles… says why
  }
  if (loaded.some((p) => profileKindOf(p.info)?.id !== 'goroutine') || session.alongside.length > 0) {
    loader.release(loaded);
    return;
  }
  session.setAlongside(loaded);
}

/** link gives the active heap comparison one or two goroutine profiles (picked when not given); errors name the file. */
async function link(sessions: SessionRegistry, loader: ProfileLoader, given: vscode.Uri[] | undefined): Promise<void> {
  const session = sessions.active;
  if (!isHeapComparison(session)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('heaplens: Link Goroutine Profiles needs a comparison of two heap profiles: compare them first.'));
    return;
  }
  const uris = given ?? await vscode.window.showOpenDialog({
    canSelectMany: true,
    openLabel: vscode.l10n.t('Link'),
    filters: openDialogFilters('compare'),
    title: vscode.l10n.t('heaplens: choose the goroutine profile taken with {0}, or two: with {1} and with {0}', session.target.name, session.base!.name),
    defaultUri: vscode.Uri.joinPath(session.target.uri, '..'),
  });
  if (!uris || uris.length === 0) return;
  if (uris.length > 2) {
    void vscode.window.showErrorMessage(vscode.l10n.t('heaplens: choose one goroutine profile (taken with the new heap profile) or two (with base and new); {0} were chosen.', uris.length));
    return;
  }
  let loaded: LoadedProfile[];
  try {
    loaded = await loader.loadAll(uris);
  } catch (e) {
    if (!(e instanceof vscode.CancellationError)) void vscode.window.showErrorMessage(`heaplens: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  const wrong = loaded.find((p) => profileKindOf(p.info)?.id !== 'goroutine');
  if (wrong) {
    loader.release(loaded);
    void vscode.window.showErrorMessage(vscode.l10n.t('heaplens: {0} is not a goroutine profile (/debug/pprof/goroutine in any form).', wrong.name));
    return;
  }
  // Two profiles: the earlier one (by profile time, else file time) goes with the base.
  if (loaded.length === 2 && (await takenAt(loaded[1])) < (await takenAt(loaded[0]))) loaded.reverse();
  session.setAlongside(loaded);
  void vscode.window.showInformationMessage(loaded.length === 2
    ? vscode.l10n.t('heaplens: {0} vs {1} now shows where the goroutines holding memory wait, from {2} → {3}.', session.target.name, session.base!.name, loaded[0].name, loaded[1].name)
    : vscode.l10n.t('heaplens: {0} vs {1} now shows where the goroutines holding memory wait, from {2}.', session.target.name, session.base!.name, loaded[0].name));
}

async function takenAt(p: LoadedProfile): Promise<number> {
  const nanos = p.info.facts.timeNanos;
  if (nanos) return nanos / 1e6;
  try {
    return (await vscode.workspace.fs.stat(p.uri)).mtime;
  } catch {
    return 0;
  }
}

/** alongsideNames are the file names of a session's goroutine profiles, for the report's "From …" line. */
export function alongsideNames(s: ProfileSession): string[] {
  return s.alongside.map((p) => fileName(p.uri));
}
