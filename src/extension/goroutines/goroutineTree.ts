import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { formatCount } from '../../core/format';
import type { GoroutineFinding } from '../../core/goroutines/compare';
import type { Frame } from '../../core/goroutines/groups';
import type { GoroutineView } from '../../core/goroutines/view';
import { isolateName } from '../../core/text/nameDisplay';
import { type ProfileSession, isCancelled } from '../profiles/session';
import type { SourceResolver } from '../source/sourceResolver';
import { goToSourceCommand } from '../source/sourceNavigation';
import { findingAccessibleLabel, findingDescription, findingTooltipMarkdown, frameAt, goroutines, signedCount } from './goroutineText';
import type { GoroutineViews } from './goroutineViews';

// The Hotspots view for goroutine profiles: sites where goroutines wait, ranked by how many more
// wait there than in the base (or by count for one profile). A row opens the line where they wait;
// its children are the `go` statement that started them (dumps), how long they have waited, and
// the stack from the goroutine's entry to the site. Every row has an accessible name.

/** GoroutineNode is one element of the goroutine tree. */
export type GoroutineNode =
  | { type: 'goroutineSite'; id: string; finding: GoroutineFinding; isDiff: boolean }
  | { type: 'goroutineFrame'; id: string; frame: Frame; label: string; description: string; icon: string }
  | { type: 'goroutineNote'; id: string; text: string };

/** GoroutineTree answers the Hotspots view for goroutine sessions. */
export class GoroutineTree {
  constructor(private readonly views: GoroutineViews, private readonly sources: SourceResolver, private readonly setMessage: (text: string | undefined) => void) {}

  /** roots are the sites of the session's goroutine view, after a message while it is computed. */
  async roots(s: ProfileSession): Promise<GoroutineNode[]> {
    this.setMessage(vscode.l10n.t('Grouping the goroutines of {0} by where they wait…', isolateName(s.title)));
    let view: GoroutineView;
    try {
      view = await this.views.get(s);
    } catch (e) {
      if (isCancelled(e)) return [];
      this.setMessage(isolateName(s.title));
      return [{ type: 'goroutineNote', id: `${s.id}/goroutines/error`, text: describeError(s.title, e) }];
    }
    this.setMessage(summary(s, view));
    const nodes: GoroutineNode[] = view.findings.map((finding, i) => ({ type: 'goroutineSite', id: `${s.id}/goroutines/${i}:${finding.site.function}:${finding.site.line}:${finding.createdBy?.line ?? ''}`, finding, isDiff: view.isDiff }));
    if (nodes.length === 0) nodes.push({ type: 'goroutineNote', id: `${s.id}/goroutines/none`, text: view.isDiff ? vscode.l10n.t('No site has more or fewer goroutines than in the base') : vscode.l10n.t('No goroutines in this profile') });
    if (view.more > 0) nodes.push({ type: 'goroutineNote', id: `${s.id}/goroutines/more`, text: vscode.l10n.t('{0} more sites', view.more) });
    return nodes;
  }

  /** children of a site: the go statement that started its goroutines, how long they waited, and its stack. */
  children(node: GoroutineNode): GoroutineNode[] {
    if (node.type !== 'goroutineSite') return [];
    const f = node.finding;
    const out: GoroutineNode[] = [];
    if (f.createdBy) {
      out.push({ type: 'goroutineFrame', id: `${node.id}/createdBy`, frame: f.createdBy, label: frameAt(f.createdBy), description: vscode.l10n.t('go statement that started them'), icon: 'debug-start' });
    }
    const m = f.waitMinutes;
    const waited = m ? m.from1to9 + m.from10to59 + m.atLeast60 : 0;
    if (m && waited > 0) {
      out.push({ type: 'goroutineNote', id: `${node.id}/waited`, text: vscode.l10n.t('{0} of {1} waited a minute or more (longest {2} min)', formatCount(waited), formatCount(waited + m.under1), formatCount(m.longest)) });
    }
    // The path is root first; show it from the entry function down to the site.
    f.path.forEach((frame, i) => {
      out.push({ type: 'goroutineFrame', id: `${node.id}/path/${i}`, frame, label: frameAt(frame), description: i === 0 ? vscode.l10n.t('entry') : '', icon: 'debug-stackframe' });
    });
    return out;
  }

  /** item renders a goroutine node. */
  async item(node: GoroutineNode): Promise<vscode.TreeItem> {
    if (node.type === 'goroutineNote') {
      const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.iconPath = new vscode.ThemeIcon('info');
      return item;
    }
    if (node.type === 'goroutineFrame') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.description = node.description;
      item.iconPath = new vscode.ThemeIcon(node.icon);
      item.accessibilityInformation = { label: node.description ? `${node.label}, ${node.description}` : node.label };
      item.command = { ...goToSourceCommand({ file: node.frame.file, line: node.frame.line, function: node.frame.function }), title: vscode.l10n.t('Go to Source') };
      return item;
    }
    const f = node.finding;
    const item = new vscode.TreeItem(frameAt(f.site), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = node.id;
    const resolved = f.site.file ? await this.sources.resolve(f.site.file) : undefined;
    item.description = findingDescription(f, node.isDiff) + (resolved ? '' : ` · ${vscode.l10n.t('source not found')}`);
    // Already Markdown, every profile string escaped; untrusted (no command links).
    item.tooltip = new vscode.MarkdownString(findingTooltipMarkdown(f, node.isDiff));
    item.accessibilityInformation = { label: findingAccessibleLabel(f, node.isDiff) };
    const growing = f.delta.goroutines > 0;
    item.iconPath = new vscode.ThemeIcon(!node.isDiff ? 'symbol-event' : growing ? 'arrow-up' : 'arrow-down', new vscode.ThemeColor(!node.isDiff ? 'heaplens.neutralForeground' : growing ? 'heaplens.growthForeground' : 'heaplens.shrinkForeground'));
    item.contextValue = resolved ? 'goroutine site' : 'goroutine site unresolved';
    item.command = { ...goToSourceCommand({ file: f.site.file, line: f.site.line, function: f.site.function }), title: vscode.l10n.t('Go to Source') };
    return item;
  }
}

/** isGoroutineNode tells the goroutine tree's nodes from the heap tree's. */
export function isGoroutineNode(node: { type: string }): node is GoroutineNode {
  return node.type === 'goroutineSite' || node.type === 'goroutineFrame' || node.type === 'goroutineNote';
}

/** summary is the line above the rows: what is compared and how the goroutine count changed. */
function summary(s: ProfileSession, v: GoroutineView): string {
  if (!v.isDiff) return `${isolateName(s.target.name)}: ${goroutines(v.totals.new)}`;
  return vscode.l10n.t('{0} vs base {1}: {2} goroutines ({3} → {4})', isolateName(s.target.name), isolateName(s.base?.name ?? ''), signedCount(v.totals.delta), formatCount(v.totals.base), formatCount(v.totals.new));
}
