import * as vscode from 'vscode';
import { type FindingRow, blockedAtText } from '../../core/diagnose';
import type { BlockedAt } from '../../core/goroutines/blockedAt';
import { describeError } from '../../core/errors';
import { formatSigned, formatValue } from '../../core/format';
import type { HotspotRow } from '../../core/hotspots';
import type { HotspotsAnswer } from '../../protocol/analysis';
import { markdownCode } from '../../core/text/markdown';
import { displayName, isolateName } from '../../core/text/nameDisplay';
import { MAX_TREE_LABEL, plainTooltipMarkdown, rowAccessibleLabel, rowDescription, rowLabel, rowTooltipMarkdown } from './hotspotRows';
import { type ProfileSession, type SessionRegistry, isCancelled } from '../profiles/session';
import type { SourceResolver } from '../source/sourceResolver';
import { sampleTypeDescription } from '../profiles/sampleTypes';
import { goToSourceCommand } from '../source/sourceNavigation';
import { type GoroutineNode, GoroutineTree, isGoroutineNode } from '../goroutines/goroutineTree';
import { type GoroutineViews, isGoroutineSession } from '../goroutines/goroutineViews';

// The Heap Hotspots view: for a comparison, the growth diagnosis' findings first (what grew and
// why, each opening at the user's own line); then functions ranked by how much they changed, each
// opening at its source line; expanding a function shows its lines and the call sites that reached
// it. The rows are computed in the analysis worker; while they are pending the tree is empty and
// its message says so (never old rows under new settings), with the view's progress bar running.

/** HOTSPOT_VIEW is the tree's view id (package.json views). */
const HOTSPOT_VIEW = 'heaplens.hotspots';

const TOP_ROWS = 100;

/** RowContext is what a row's text needs besides the row: the view's type, unit and total. */
interface RowContext {
  /** The session the rows were computed for (a first row asks it for its cum on hover). */
  session: ProfileSession;
  sampleType: string;
  unit: string;
  isDiff: boolean;
  total: number;
}

/** HotspotNode is one element of the tree: a row, the findings group or one finding, or a note ("42 more…", an error). */
export type HotspotNode =
  | { type: 'row'; id: string; row: HotspotRow; context: RowContext }
  | { type: 'findings'; id: string; rows: FindingRow[] }
  | { type: 'finding'; id: string; finding: FindingRow }
  /** Where the goroutines holding a finding's memory wait (from a goroutine profile taken alongside). */
  | { type: 'blocked'; id: string; at: BlockedAt }
  | { type: 'note'; id: string; text: string; tooltip?: string }
  | GoroutineNode;

/** FindingsChanged subscribes to "a session's findings got better" (their source lines were read). */
export type FindingsChanged = (listener: (session: ProfileSession) => void) => { dispose(): void };

/** FindingsOf returns a comparison's diagnosis as rows (the report's DiagnosisCache.rows); [] when there is none. */
export type FindingsOf = (session: ProfileSession) => Promise<FindingRow[]>;

/** TopState is the tree's top level for one session and view: pending until the worker answers. */
interface TopState {
  session: ProfileSession;
  key: string;
  answer?: HotspotsAnswer;
  findings?: FindingRow[];
  error?: string;
  /** The goroutine profiles' handles the findings were asked with. */
  alongside: string;
  /** Aborted when another state replaces this one: its query stops in the worker instead of delaying the next. */
  abort: AbortController;
  /** Settles when the rows (or the error) are in. */
  pending?: Promise<void>;
  /** A getChildren call waits for `pending` and delivers the rows itself: no refresh (a round trip through the window) needed. */
  awaited?: boolean;
  /** Settles when the findings are in (comparisons). */
  findingsPending?: Promise<void>;
  /** The rows were held back once for the findings (FINDINGS_GRACE_MS). */
  graceUsed?: boolean;
  /** How long the rows took to compute (ms): the findings of a pair whose rows took long take seconds. */
  rowsMs?: number;
}

/**
 * FINDINGS_GRACE_MS is how long the first rows wait for the findings still being computed: the
 * findings group goes above the rows, and arriving just after them it pushed every row down under
 * the pointer. Small profiles' findings come well within it. A pair whose rows took over
 * SLOW_ROWS_MS is big, its findings take seconds: its rows do not wait.
 */
const FINDINGS_GRACE_MS = 150;
const SLOW_ROWS_MS = 250;

/** HotspotTreeProvider feeds the Heap Hotspots view from the active session. */
export class HotspotTreeProvider implements vscode.TreeDataProvider<HotspotNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<HotspotNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly messageChanged = new vscode.EventEmitter<string | undefined>();
  /** onDidChangeMessage fires with the line to show above the rows (pending, summary or nothing). */
  readonly onDidChangeMessage = this.messageChanged.event;
  private state: TopState | undefined;
  private readonly goroutineTree: GoroutineTree | undefined;

  constructor(
    private readonly sessions: SessionRegistry,
    private readonly sources: SourceResolver,
    private readonly findings?: FindingsOf,
    goroutineViews?: GoroutineViews,
  ) {
    // Goroutine profiles are ranked by where goroutines wait, not by the runtime.gopark leaf.
    this.goroutineTree = goroutineViews && new GoroutineTree(goroutineViews, sources, (text) => this.messageChanged.fire(text));
  }

  /** refresh redraws the whole tree (the session or how sources resolve changed). */
  refresh(): void {
    this.changed.fire(undefined);
  }

  /**
   * prepare asks for the active session's first rows now: waiting for the view's getChildren costs
   * a round trip through the window (0.2–0.3 s while a 61 MB pair's comparison opens).
   */
  prepare(): void {
    const s = this.sessions.active;
    if (s && !(this.goroutineTree && isGoroutineSession(s))) this.current(s);
  }

  /** current returns the active session's top level, starting its queries when the view changed. */
  private current(s: ProfileSession): TopState {
    const key = JSON.stringify([s.id, s.view, s.target.handle, s.base?.handle]);
    const alongside = s.alongside.map((p) => p.handle).join(',');
    if (this.state?.session === s && this.state.key === key) {
      // Goroutine profiles given to the comparison change its findings (blockedAt), not its hotspots.
      if (this.state.alongside !== alongside) {
        this.state.alongside = alongside;
        this.askFindings(this.state);
      }
      return this.state;
    }
    const state: TopState = { session: s, key, alongside, abort: new AbortController() };
    this.state?.abort.abort();
    this.state = state;
    this.messageChanged.fire(vscode.l10n.t('Computing hotspots of {0} ({1})…', s.title, s.sampleType));
    const done = (): boolean => this.state === state;
    const asked = Date.now();
    const top = s.hotspots(TOP_ROWS, state.abort.signal).then((answer) => {
      if (!done()) return;
      state.answer = answer;
      state.rowsMs = Date.now() - asked;
      // Each row's item waits for its file to be resolved: start now, while the window is asked.
      for (const row of answer.rows) if (row.file) void this.sources.resolve(row.file);
      this.messageChanged.fire(summary(s, answer));
      if (!state.awaited) this.refresh();
    }, (e) => {
      if (!done() || isCancelled(e)) return; // superseded: the next settings' state takes over
      state.error = describeError(s.title, e);
      this.messageChanged.fire(s.title);
      if (!state.awaited) this.refresh();
    });
    state.pending = top;
    void vscode.window.withProgress({ location: { viewId: HOTSPOT_VIEW } }, () => top);
    this.askFindings(state);
    return state;
  }

  /** askFindings fetches the diagnosis rows of a state's session and shows them once the top rows are there. */
  private askFindings(state: TopState): void {
    if (!this.findings || !state.session.isComparison) return;
    state.findingsPending = this.findings(state.session).then((rows) => {
      if (this.state !== state) return;
      state.findings = rows;
      if (state.answer) this.refresh();
    }, () => undefined);
  }

  /** findingsChanged re-reads a session's findings when the diagnosis got better (its source lines were read). */
  findingsChanged(session: ProfileSession): void {
    if (this.state?.session === session) this.askFindings(this.state);
  }

  async getChildren(node?: HotspotNode): Promise<HotspotNode[]> {
    const s = this.sessions.active;
    if (!s) return [];
    if (this.goroutineTree && isGoroutineSession(s)) {
      this.state?.abort.abort();
      this.state = undefined;
      return node ? this.goroutineTree.children(node as GoroutineNode) : this.goroutineTree.roots(s);
    }
    if (!node) {
      const state = this.current(s);
      if (!state.answer && !state.error && state.pending) {
        state.awaited = true;
        await state.pending;
        // Superseded while waiting (another session or view): deliver the latest rows instead.
        if (this.state !== state) return this.getChildren();
      }
      if (state.error) return [{ type: 'note', id: 'error', text: state.error }];
      if (!state.answer) return [];
      if (state.findings === undefined && state.findingsPending && !state.graceUsed && (state.rowsMs ?? 0) <= SLOW_ROWS_MS) {
        state.graceUsed = true;
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([state.findingsPending, new Promise((r) => { timer = setTimeout(r, FINDINGS_GRACE_MS); })]);
        clearTimeout(timer);
        if (this.state !== state) return this.getChildren();
      }
      return [...this.findingsNodes(s, state.findings ?? []), ...this.topNodes(state.answer, s)];
    }
    if (node.type === 'findings') {
      const significant = node.rows.filter((r) => r.significant);
      if (significant.length === 0) return [{ type: 'note', id: `${node.id}/noise`, text: vscode.l10n.t('No change stands out from sampling noise'), tooltip: vscode.l10n.t('Export Growth Report lists every candidate with the reason.') }];
      return significant.map((finding, i) => ({ type: 'finding', id: `${node.id}/${i}:${finding.label}${finding.finding.blockedAt ? ':blocked' : ''}`, finding }));
    }
    if (node.type === 'finding') {
      const at = node.finding.finding.blockedAt;
      return at ? [{ type: 'blocked', id: `${node.id}/blocked`, at }] : [];
    }
    if (node.type !== 'row' || node.row.kind === 'line') return [];
    try {
      const children = await s.hotspotChildren(node.row.name);
      return children.map((row) => ({ type: 'row', id: `${node.id}/${rowKey(row)}`, row, context: node.context }));
    } catch (e) {
      return isCancelled(e) ? [] : [{ type: 'note', id: `${node.id}/error`, text: describeError(s.title, e) }];
    }
  }

  /** findingsNodes is the findings group of a comparison, when the diagnosis found anything. */
  private findingsNodes(s: ProfileSession, rows: FindingRow[]): HotspotNode[] {
    return rows.length > 0 ? [{ type: 'findings', id: `${s.id}/findings/${s.sampleType}`, rows }] : [];
  }

  private topNodes(answer: HotspotsAnswer, session: ProfileSession): HotspotNode[] {
    const sessionId = session.id;
    const context: RowContext = { session, sampleType: answer.sampleType.type, unit: answer.sampleType.unit, isDiff: answer.isDiff, total: answer.total };
    const nodes: HotspotNode[] = answer.rows.map((row) => ({ type: 'row', id: `${sessionId}/${rowKey(row)}`, row, context }));
    if (answer.rows.length === 0) {
      const text = answer.isDiff ? vscode.l10n.t('No change in {0} between the two profiles', context.sampleType) : vscode.l10n.t('No {0} in this profile', context.sampleType);
      nodes.push({ type: 'note', id: `${sessionId}/empty`, text });
    }
    if (answer.more > 0) nodes.push({ type: 'note', id: `${sessionId}/more`, text: vscode.l10n.t('{0} more functions', answer.more), tooltip: vscode.l10n.t('Smaller changes; the comparison panel lists them all.') });
    return nodes;
  }

  async getTreeItem(node: HotspotNode): Promise<vscode.TreeItem> {
    if (isGoroutineNode(node)) return this.goroutineTree ? this.goroutineTree.item(node) : new vscode.TreeItem('');
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
    if (node.type === 'blocked') {
      // One click to the line where they wait.
      const at = node.at;
      const item = new vscode.TreeItem(displayName(blockedAtText(at), MAX_TREE_LABEL), vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.iconPath = new vscode.ThemeIcon('debug-pause');
      item.tooltip = vscode.l10n.t('Where the goroutines holding this memory wait, from the goroutine profile taken alongside');
      item.accessibilityInformation = { label: isolateName(blockedAtText(at)) };
      item.command = goToSourceCommand({ file: at.file, line: at.line, function: at.function });
      return item;
    }
    if (node.type === 'note') {
      const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.tooltip = node.tooltip;
      item.iconPath = new vscode.ThemeIcon('info');
      return item;
    }
    const row = node.row;
    const { isDiff, unit } = node.context;
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
    // The tooltip is made when the row is hovered (resolveTreeItem): VS Code parses every Markdown
    // tooltip on the extension host's thread, and 200 rows of tables at once stalled it.
    return item;
  }

  /** resolveTreeItem fills in the tooltip of the row being hovered. */
  async resolveTreeItem(item: vscode.TreeItem, node: HotspotNode): Promise<vscode.TreeItem> {
    if (isGoroutineNode(node)) return item;
    if (node.type === 'finding') {
      item.tooltip = new vscode.MarkdownString(plainTooltipMarkdown(node.finding.tooltip));
      return item;
    }
    if (node.type !== 'row') return item;
    let row = node.row;
    const session = node.context.session;
    if (row.cum === undefined && session.sampleType === node.context.sampleType) {
      // A first row (ranked from flat alone): its cum comes from the full aggregate, by now usually prefetched.
      try {
        row = { ...row, ...(await session.hotspotNumbers([row.name]))[row.name] };
        node.row = row;
      } catch {
        // Cancelled or failed: the tooltip shows flat only.
      }
    }
    const { isDiff, unit, sampleType, total } = node.context;
    const resolved = row.file ? await this.sources.resolve(row.file) : undefined;
    const source = resolved
      ? vscode.l10n.t('Source: {0} ({1})', markdownCode(resolved.path), resolved.rule)
      : row.file ? `$(warning) ${vscode.l10n.t('Source not found in this workspace — right-click or use **Locate File…** to point heaplens at it.')}` : vscode.l10n.t('The profile names no file for this function.');
    item.tooltip = new vscode.MarkdownString(rowTooltipMarkdown(row, { sampleType, unit, isDiff, total, source }), true);
    return item;
  }

  /** findingItem shows one finding; a click opens the user's own line (else the allocation site). */
  private async findingItem(node: Extract<HotspotNode, { type: 'finding' }>): Promise<vscode.TreeItem> {
    const f = node.finding;
    // The label is "function file:line": the function isolated on its own, so an override in it
    // cannot reverse the file and line after it.
    const fn = f.target.function;
    const label = f.label.startsWith(fn) ? `${displayName(fn, MAX_TREE_LABEL)}${f.label.slice(fn.length)}` : displayName(f.label, MAX_TREE_LABEL);
    const item = new vscode.TreeItem(label, f.finding.blockedAt ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    const resolved = f.target.file ? await this.sources.resolve(f.target.file) : undefined;
    item.description = f.description + (resolved ? '' : ` · ${vscode.l10n.t('source not found')}`);
    item.accessibilityInformation = { label: vscode.l10n.t('finding: {0} {1}', label, f.description) };
    const color = new vscode.ThemeColor(f.kind === 'shrinking' ? 'heaplens.shrinkForeground' : 'heaplens.growthForeground');
    item.iconPath = new vscode.ThemeIcon(f.kind === 'churn' ? 'sync' : f.kind === 'shrinking' ? 'arrow-down' : f.significant ? 'flame' : 'circle-small', color);
    item.contextValue = resolved ? 'function finding' : 'function finding unresolved';
    item.command = goToSourceCommand({ file: f.target.file, line: f.target.line, function: f.target.function });
    return item;
  }

  dispose(): void {
    this.changed.dispose();
    this.messageChanged.dispose();
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
export function registerHotspotTree(sessions: SessionRegistry, sources: SourceResolver, findings?: FindingsOf, findingsChanged?: FindingsChanged, goroutineViews?: GoroutineViews): vscode.Disposable {
  const provider = new HotspotTreeProvider(sessions, sources, findings, goroutineViews);
  const view = vscode.window.createTreeView(HOTSPOT_VIEW, { treeDataProvider: provider, showCollapseAll: true });
  // The sample type is in the message (and the status bar), not view.description: that would
  // rename the view's header, which tests and screen readers find it by.
  const update = (): void => {
    if (!sessions.active) view.message = undefined;
    provider.prepare();
    provider.refresh();
  };
  update();
  const changed = findingsChanged?.((s) => provider.findingsChanged(s));
  return vscode.Disposable.from(
    provider, view,
    provider.onDidChangeMessage((text) => { view.message = sessions.active ? text : undefined; }),
    sessions.onDidChangeActive(update),
    sources.onDidChange(() => provider.refresh()),
    { dispose: () => changed?.dispose() },
  );
}

/** summary is the line above the rows: what is compared and the overall change. */
function summary(s: ProfileSession, a: HotspotsAnswer): string {
  const unit = a.sampleType.unit;
  const type = isolateName(s.sampleType);
  if (!a.isDiff) return `${isolateName(s.target.name)}: ${formatValue(a.newTotal, unit)} ${type} (${sampleTypeDescription(s.sampleType)})`;
  return vscode.l10n.t('{0} vs base {1}: {2} {3} ({4} → {5})', isolateName(s.target.name), isolateName(s.base?.name ?? ''), formatSigned(a.newTotal - a.baseTotal, unit), type, formatValue(a.baseTotal, unit), formatValue(a.newTotal, unit));
}
