import * as vscode from 'vscode';
import type { SeriesTrend } from '../../core/seriesTrend';
import { displayName, isolateName } from '../../core/text/nameDisplay';
import { plainTooltipMarkdown } from '../hotspots/hotspotRows';
import { type TrendTreeRow, trendTreeRows } from './trendModel';

// The "Growth Trend" view in the Explorer: the leak suspects of the last trend (heap sites, then
// sites where goroutines wait), each with a block sparkline and its slope; a click opens the
// user's line. Shown only while a trend exists.

/** TREND_TREE_VIEW is the view id contributed in package.json. */
export const TREND_TREE_VIEW = 'heaplens.trend';
/** OPEN_TREND_SOURCE is the (palette-hidden) command a row runs to open its line. */
export const OPEN_TREND_SOURCE = 'heaplens.trendOpenSource';
/** The longest name a row shows; the tooltip has the whole one. */
const MAX_TREND_LABEL = 100;

/** TrendTree provides the rows of the Growth Trend view. */
export class TrendTree implements vscode.TreeDataProvider<TrendTreeRow> {
  private readonly changed = new vscode.EventEmitter<void>();
  /** onDidChangeTreeData fires when another trend is shown. */
  readonly onDidChangeTreeData = this.changed.event;
  private rows: TrendTreeRow[] = [];

  /** setTrend replaces the rows. */
  setTrend(trend: SeriesTrend | undefined): void {
    this.rows = trend ? trendTreeRows(trend) : [];
    this.changed.fire();
  }

  getChildren(element?: TrendTreeRow): TrendTreeRow[] {
    return element ? [] : this.rows;
  }

  getTreeItem(row: TrendTreeRow): vscode.TreeItem {
    const item = new vscode.TreeItem(displayName(row.label, MAX_TREND_LABEL), vscode.TreeItemCollapsibleState.None);
    item.description = row.description;
    item.tooltip = new vscode.MarkdownString(plainTooltipMarkdown(row.tooltip));
    item.iconPath = new vscode.ThemeIcon(row.suspect ? 'warning' : row.kind === 'memory' ? 'server-process' : 'arrow-up', new vscode.ThemeColor(row.suspect ? 'heaplens.growthForeground' : 'heaplens.neutralForeground'));
    item.contextValue = row.kind === 'memory' ? 'trendMemory' : row.suspect ? 'trendSuspect' : 'trendRiser';
    item.accessibilityInformation = { label: `${isolateName(row.label)} ${row.description}${row.suspect ? vscode.l10n.t(', leak suspect') : ''}` };
    if (row.frame) item.command = { command: OPEN_TREND_SOURCE, title: vscode.l10n.t('Go to Source'), arguments: [row.frame.file, row.frame.line] };
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
