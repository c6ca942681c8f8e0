import * as vscode from 'vscode';
import { type Diagnosis, blockedAtMarkdown, renderMarkdown } from '../../core/diagnose';
import { describeError } from '../../core/errors';
import { renderGoroutineMarkdown } from '../../core/goroutines/report';
import { memoryMarkdownOf } from '../../core/memory/report';
import { type GoroutineViews, isGoroutineSession } from '../goroutines/goroutineViews';
import { DiagnosisCache, type LoadFrameOrigin } from './reportDiagnosis';
import type { SessionRegistry } from '../profiles/session';

// "heaplens: Export Growth Report": the active comparison's diagnosis as Markdown — totals, ranked
// findings, call paths, and links to the source lines (local files when they can be found) — in a
// new untitled document. Nothing is written to disk until the user saves it.

/** ResolveSourceUri finds the local file for a path written in a profile (the SourceResolver's resolveUri). */
export type ResolveSourceUri = (profilePath: string) => Promise<vscode.Uri | undefined>;

/** ReportDependencies are the rest of the extension the report uses; all optional. */
export interface ReportDependencies {
  /** Local files for profile paths, to link source lines (SourceResolver.resolveUri). */
  resolveUri?: ResolveSourceUri;
  /** Which code is the user's (SourceResolver.frameOrigin); default: inferred from the profiles. */
  frameOrigin?: LoadFrameOrigin;
  /** Goroutine comparisons' views (a goroutine comparison exports the goroutine growth report). */
  goroutineViews?: GoroutineViews;
}

/** ReportApi is what registerReport returns: the diagnosis cache the panel and the tree share. */
export interface ReportApi {
  diagnoses: DiagnosisCache;
}

/** registerReport registers `heaplens.exportReport`; returns the diagnosis cache other surfaces share. */
export function registerReport(context: vscode.ExtensionContext, sessions: SessionRegistry, deps: ReportDependencies = {}): ReportApi {
  const diagnoses = new DiagnosisCache(deps.frameOrigin, deps.resolveUri ? sourceTextReader(deps.resolveUri) : undefined);
  void diagnoses.refresh().catch(() => undefined);
  context.subscriptions.push(vscode.commands.registerCommand('heaplens.exportReport', () => exportReport(sessions, diagnoses, deps.resolveUri, deps.goroutineViews)));
  return { diagnoses };
}

async function exportReport(sessions: SessionRegistry, diagnoses: DiagnosisCache, resolveUri: ResolveSourceUri | undefined, goroutineViews?: GoroutineViews): Promise<void> {
  const session = sessions.active;
  if (!session?.base) {
    void vscode.window.showInformationMessage(vscode.l10n.t('heaplens: Export Growth Report needs a comparison: select two profiles in the Explorer, right-click, Compare Profiles.'));
    return;
  }
  const base = session.base;
  const target = session.target;
  if (goroutineViews && isGoroutineSession(session)) {
    // The same report `heaplens report` writes for two goroutine profiles, from the worker's view.
    try {
      const view = await goroutineViews.get(session);
      const links = new Map<string, vscode.Uri>();
      if (resolveUri) {
        const files = new Set(view.findings.flatMap((f) => [f.site.file, f.createdBy?.file ?? '']).filter((f) => f !== ''));
        await Promise.all([...files].map(async (f) => { const u = await resolveUri(f).catch(() => undefined); if (u) links.set(f, u); }));
      }
      const content = renderGoroutineMarkdown({ totals: view.totals, findings: view.findings, omitted: view.more, notes: view.notes }, {
        baseName: base.name, newName: target.name, linkFor: (file, line) => links.get(file)?.with({ fragment: line > 0 ? `L${line}` : '' }).toString(),
      });
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content }), { preview: false });
    } catch (e) {
      void vscode.window.showErrorMessage(`heaplens: ${describeError(vscode.l10n.t('{0} vs {1}', target.name, base.name), e)}`);
    }
    return;
  }
  try {
    const content = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('heaplens: diagnosing growth…') }, async () => {
      await diagnoses.refresh().catch(() => undefined);
      const diagnosis = await diagnoses.ready(session);
      const links = await sourceLinks(diagnosis, resolveUri);
      const linkFor = (file: string, line: number) => links.get(file)?.with({ fragment: line > 0 ? `L${line}` : '' }).toString();
      const md = renderMarkdown(diagnosis, { baseName: base.name, newName: target.name, linkFor });
      // The sections `heaplens report` adds, in its order: where the process memory is (MemStats of
      // the profiles or their bundle), then where the goroutines holding memory wait (the goroutine
      // profiles taken alongside, as with --goroutines).
      const alongside = session.alongside;
      const goroutineDelta = alongside.length === 2 ? alongside[1].info.totals[0] - alongside[0].info.totals[0] : undefined;
      const memory = memoryMarkdownOf(base.info.facts.memStats, target.info.facts.memStats, goroutineDelta);
      const blocked = blockedAtMarkdown(diagnosis, alongside.map((p) => p.name), { linkFor });
      return [md, memory, blocked].filter((s) => s !== undefined && s !== '').map((s) => s!.trimEnd()).join('\n\n') + '\n';
    });
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content });
    await vscode.window.showTextDocument(doc, { preview: false });
  } catch (e) {
    void vscode.window.showErrorMessage(`heaplens: ${describeError(vscode.l10n.t('{0} vs {1}', target.name, base.name), e)}`);
  }
}

/** sourceLinks resolves every file the report mentions to a local file, when one exists. */
async function sourceLinks(d: Diagnosis, resolveUri: ResolveSourceUri | undefined): Promise<Map<string, vscode.Uri>> {
  const links = new Map<string, vscode.Uri>();
  if (!resolveUri) return links;
  const files = new Set(d.findings.flatMap((f) => [...f.path.map((p) => p.file), f.blockedAt?.file ?? '']).filter((f) => f !== ''));
  await Promise.all([...files].map(async (file) => {
    const uri = await resolveUri(file).catch(() => undefined);
    if (uri) links.set(file, uri);
  }));
  return links;
}

/** sourceTextReader reads a profile's file through the source resolver (workspace files, GOROOT, mappings). */
function sourceTextReader(resolveUri: ResolveSourceUri): (profilePath: string) => Promise<string | undefined> {
  return async (profilePath) => {
    const uri = await resolveUri(profilePath);
    if (!uri) return undefined;
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > 4 * 1024 * 1024) return undefined; // not a Go source file anyone reads line by line
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  };
}
