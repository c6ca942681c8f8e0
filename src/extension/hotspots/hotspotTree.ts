import * as vscode from 'vscode';
import type { FindingRow } from '../../core/diagnose';
import { describeError } from '../../core/errors';
import { formatSigned, formatValue } from '../../core/format';
import { markdownCode } from '../../core/text/markdown';
import { displayName, isolateName } from '../../core/text/nameDisplay';
import {
  type HotspotRow, HotspotIndex, MAX_TREE_LABEL, plainTooltipMarkdown, rowAccessibleLabel, rowDescription, rowLabel, rowTooltipMarkdown,
} from './hotspotRows';
import type { ProfileSession, SessionRegistry } from '../profiles/session';
import type { SessionStacks } from '../profiles/sessionStacks';
import type { SourceResolver } from '../source/sourceResolver';
import { sampleTypeDescription } from '../profiles/sampleTypes';
import { goToSourceCommand } from '../source/sourceNavigation';

// The Heap Hotspots view: for a comparison, the growth diagnosis' findings first (what grew and
// why, each opening at the user's own line); then functions ranked by how much they changed, each
// opening at its source line; expanding a function shows its lines and the call sites that reached
// it. The rows come from hotspotRows.ts and the diagnosis; this file only turns them into tree items.

const TOP_ROWS = 100;

/** HotspotNode is one element of the tree: a row, the findings group or one finding, or a note ("42 more…", an error). */
export type HotspotNode =
  | { type: 'row'; id: string; row: HotspotRow }
  | { type: 'findings'; id: string; rows: FindingRow[] }
  | { type: 'finding'; id: string; finding: FindingRow }
  | { type: 'note'; id: string; text: string; tooltip?: string };

/** FindingsChanged subscribes to "a session's findings got better" (their source lines were read). */
export type FindingsChanged = (listener: (session: ProfileSession) => void) => { dispose(): void };

/** FindingsOf returns a comparison's diagnosis as rows (the report's DiagnosisCache.rows); [] when there is none. */
export type FindingsOf = (session: ProfileSession) => FindingRow[];

/** HotspotTreeProvider feeds the Heap Hotspots view from the active session. */
export class HotspotTreeProvider implements vscode.TreeDataProvider<HotspotNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<HotspotNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private cached: { session: ProfileSession; key: string; index: HotspotIndex } | undefined;

  constructor(
    private readonly sessions: SessionRegistry,
    private readonly sources: SourceResolver,
    private readonly stacks: SessionStacks,
    private readonly findings?: FindingsOf,
  ) {}

  /** refresh redraws the whole tree (the session or how sources resolve changed). */
  refresh(): void {
    this.changed.fire(undefined);
  }

  /** index returns the active session's rows model, rebuilt when a setting that changes numbers changes. */
  index(): HotspotIndex | undefined {
    const s = this.sessions.active;
    if (!s) return undefined;
    const key = JSON.stringify([s.sampleType, s.filters, s.base?.uri.toString(), s.target.uri.toString()]);
    if (this.cached?.session !== s || this.cached.key !== key) {
      const functions = s.aggregate({ granularity: 'functions' });
      this.cached = { session: s, key, index: new HotspotIndex(functions, this.stacks.of(s)) };
    }
    return this.cached.index;
  }

  getChildren(node?: HotspotNode): HotspotNode[] {
    const s = this.sessions.active;
    if (!s) return [];
    let index: HotspotIndex | undefined;
    try {
      index = this.index();
    } catch (e) {
      return [{ type: 'note', id: 'error', text: describeError(s.title, e) }];
    }
    if (!index) return [];
    if (!node) return [...this.findingsNodes(s), ...this.topNodes(index, s.id)];
    if (node.type === 'findings') {
      const significant = node.rows.filter((r) => r.significant);
      if (significant.length === 0) return [{ type: 'note', id: `${node.id}/noise`, text: vscode.l10n.t('No change stands out from sampling noise'), tooltip: vscode.l10n.t('Export Growth Report lists every candidate with the reason.') }];
      return significant.map((finding, i) => ({ type: 'finding', id: `${node.id}/${i}:${finding.label}`, finding }));
    }
    if (node.type !== 'row' || node.row.kind === 'line') return [];
    const children = [...index.linesOf(node.row.name), ...index.callersOf(node.row.name)];
    return children.map((row) => ({ type: 'row', id: `${node.id}/${rowKey(row)}`, row }));
  }

  /** findingsNodes is the findings group of a comparison, when the diagnosis found anything. */
  private findingsNodes(s: ProfileSession): HotspotNode[] {
    if (!this.findings || !s.isComparison) return [];
    const rows = this.findings(s);
    return rows.length > 0 ? [{ type: 'findings', id: `${s.id}/findings/${s.sampleType}`, rows }] : [];
  }

  private topNodes(index: HotspotIndex, sessionId: string): HotspotNode[] {
    const { rows, more } = index.topFunctions(TOP_ROWS);
    const nodes: HotspotNode[] = rows.map((row) => ({ type: 'row', id: `${sessionId}/${rowKey(row)}`, row }));
    if (rows.length === 0) {
      const text = index.isDiff ? vscode.l10n.t('No change in {0} between the two profiles', index.sampleType) : vscode.l10n.t('No {0} in this profile', index.sampleType);
      nodes.push({ type: 'note', id: `${sessionId}/empty`, text });
    }
    if (more > 0) nodes.push({ type: 'note', id: `${sessionId}/more`, text: vscode.l10n.t('{0} more functions', more), tooltip: vscode.l10n.t('Smaller changes; the comparison panel lists them all.') });
    return nodes;
  }

  async getTreeItem(node: HotspotNode): Promise<vscode.TreeItem> {
    if (node.type === 'findings') {
      const significant = node.rows.filter((r) => r.significant).length;
      const item = new vscode.TreeItem(vscode.l10n.t('Findings'), vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.id;
      item.description = significant === 1 ? vscode.l10n.t('1 stands out') : significant > 1 ? vscode.l10n.t('{0} stand out', significant) : vscode.l10n.t('nothing beyond sampling noise');
      item.iconPath = new vscode.ThemeIcon('lightbulb');
      item.tooltip = vscode.l10n.t('What grew and why, from the growth diagnosis (Export Growth Report has the full text).');
      // Without this, screen readers read the tooltip instead of the row's label.
      item.accessibilityInformation = { label: `${vscode.l10n.t('Findings')}, ${item.description}`, role: 'treeitem' };
      return item;
    }
    if (node.type === 'finding') return this.findingItem(node);
    if (node.type === 'note') {
      const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.tooltip = node.tooltip;
      item.iconPath = new vscode.ThemeIcon('info');
      return item;
    }
    const index = this.index();
    const row = node.row;
    const isDiff = index?.isDiff ?? false;
    const unit = index?.unit ?? '';
    const expandable = row.kind !== 'line';
    const item = new vscode.TreeItem(rowLabel(row), expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    const resolved = row.file ? await this.sources.resolve(row.file) : undefined;
    item.description = rowDescription(row, unit, isDiff) + (resolved ? '' : ` · ${vscode.l10n.t('source not found')}`);
    item.accessibilityInformation = { label: rowAccessibleLabel(row, unit, isDiff) };
    item.iconPath = resolved ? rowIcon(row, isDiff) : new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    const kind = row.kind === 'line' ? 'line' : 'function';
    item.contextValue = resolved ? kind : `${kind} unresolved`;
    item.command = { ...goToSourceCommand({ file: row.file, line: row.line, function: row.name }), title: vscode.l10n.t('Go to Source') };
    const source = resolved
      ? vscode.l10n.t('Source: {0} ({1})', markdownCode(resolved.path), resolved.rule)
      : row.file ? `$(warning) ${vscode.l10n.t('Source not found in this workspace — right-click or use **Locate File…** to point heaplens at it.')}` : vscode.l10n.t('The profile names no file for this function.');
    const tooltip = new vscode.MarkdownString(rowTooltipMarkdown(row, {
      sampleType: index?.sampleType ?? '', unit, isDiff, total: index?.functions.total ?? 0, source,
    }), true);
    item.tooltip = tooltip;
    return item;
  }

  /** findingItem shows one finding; a click opens the user's own line (else the allocation site). */
  private async findingItem(node: Extract<HotspotNode, { type: 'finding' }>): Promise<vscode.TreeItem> {
    const f = node.finding;
    // The label is "function file:line": the function isolated on its own, so an override in it
    // cannot reverse the file and line after it.
    const fn = f.target.function;
    const label = f.label.startsWith(fn) ? `${displayName(fn, MAX_TREE_LABEL)}${f.label.slice(fn.length)}` : displayName(f.label, MAX_TREE_LABEL);
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    const resolved = f.target.file ? await this.sources.resolve(f.target.file) : undefined;
    item.description = f.description + (resolved ? '' : ` · ${vscode.l10n.t('source not found')}`);
    item.tooltip = new vscode.MarkdownString(plainTooltipMarkdown(f.tooltip));
    item.accessibilityInformation = { label: vscode.l10n.t('finding: {0} {1}', label, f.description) };
    const color = new vscode.ThemeColor(f.kind === 'shrinking' ? 'heaplens.shrinkForeground' : 'heaplens.growthForeground');
    item.iconPath = new vscode.ThemeIcon(f.kind === 'churn' ? 'sync' : f.kind === 'shrinking' ? 'arrow-down' : f.significant ? 'flame' : 'circle-small', color);
    item.contextValue = resolved ? 'function finding' : 'function finding unresolved';
    item.command = goToSourceCommand({ file: f.target.file, line: f.target.line, function: f.target.function });
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function rowKey(row: HotspotRow): string {
  return `${row.kind}:${row.name}:${row.file}:${row.line}`;
}

function rowIcon(row: HotspotRow, isDiff: boolean): vscode.ThemeIcon {
  if (row.kind === 'line') return new vscode.ThemeIcon('debug-stackframe-dot', directionColor(row.value, isDiff));
  if (row.kind === 'caller') return new vscode.ThemeIcon('call-incoming', directionColor(row.value, isDiff));
  if (!isDiff) return new vscode.ThemeIcon('symbol-function', directionColor(row.value, isDiff));
  return new vscode.ThemeIcon(row.value > 0 ? 'arrow-up' : 'arrow-down', directionColor(row.value, isDiff));
}

function directionColor(value: number, isDiff: boolean): vscode.ThemeColor {
  if (!isDiff) return new vscode.ThemeColor('heaplens.neutralForeground');
  return new vscode.ThemeColor(value > 0 ? 'heaplens.growthForeground' : 'heaplens.shrinkForeground');
}

/** registerHotspotTree creates the Heap Hotspots view and keeps it, its title and its message current. */
export function registerHotspotTree(sessions: SessionRegistry, sources: SourceResolver, stacks: SessionStacks, findings?: FindingsOf, findingsChanged?: FindingsChanged): vscode.Disposable {
  const provider = new HotspotTreeProvider(sessions, sources, stacks, findings);
  const view = vscode.window.createTreeView('heaplens.hotspots', { treeDataProvider: provider, showCollapseAll: true });
  const update = (): void => {
    // The sample type is in the message (and the status bar), not view.description: that would
    // rename the view's header, which tests and screen readers find it by.
    const s = sessions.active;
    view.message = s ? summary(s, provider) : undefined;
    provider.refresh();
  };
  update();
  const changed = findingsChanged?.((s) => { if (s === sessions.active) provider.refresh(); });
  return vscode.Disposable.from(provider, view, sessions.onDidChangeActive(update), sources.onDidChange(() => provider.refresh()), { dispose: () => changed?.dispose() });
}

/** summary is the line above the rows: what is compared and the overall change. */
function summary(s: ProfileSession, provider: HotspotTreeProvider): string {
  let index: HotspotIndex | undefined;
  try { index = provider.index(); } catch { return s.title; }
  if (!index) return s.title;
  const f = index.functions;
  const unit = f.sampleType.unit;
  const type = isolateName(s.sampleType);
  if (!f.isDiff) return `${isolateName(s.target.name)}: ${formatValue(f.newTotal, unit)} ${type} (${sampleTypeDescription(s.sampleType)})`;
  return vscode.l10n.t('{0} vs base {1}: {2} {3} ({4} → {5})', isolateName(s.target.name), isolateName(s.base?.name ?? ''), formatSigned(f.newTotal - f.baseTotal, unit), type, formatValue(f.baseTotal, unit), formatValue(f.newTotal, unit));
}
