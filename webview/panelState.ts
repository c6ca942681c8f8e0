import type { RestoreInfo } from '../src/protocol/messages';
import { TOP_COLUMN_IDS, type TopColumnId } from './topTableColumns';

// What the panel remembers across hide/show (vscode.getState/setState) and window reloads (the
// serializer hands the same object back to the host). Nodes are remembered by identity (name, file,
// line), never by id: ids belong to one aggregation and change with filters or granularity.

/** PanelTab is a top-level view of the panel. */
export type PanelTab = 'summary' | 'top' | 'graph' | 'flame';

/** DeltaOf chooses whether the base/new/Δ columns compare flat or cum values. */
export type DeltaOf = 'flat' | 'cum';

/** FlameWidth chooses what a flame-graph frame's width measures. */
export type FlameWidth = 'new' | 'change';

/** NodeIdentity names a node across aggregations. */
export interface NodeIdentity {
  name: string;
  file: string;
  line: number;
}

/** PanelState is everything the webview persists. */
export interface PanelState {
  version: 1;
  restore?: RestoreInfo;
  tab: PanelTab;
  sort: { column: TopColumnId; descending: boolean };
  deltaOf: DeltaOf;
  tableFilter: string;
  tableScroll: number;
  selected?: NodeIdentity;
  graph: { nodeCount: number; nodeFraction: number; edgeFraction: number; focus?: NodeIdentity; view?: { x: number; y: number; scale: number } };
  flame: { width: FlameWidth; zoom: NodeIdentity[]; search: string };
}

/** defaultPanelState is the state of a panel opened for the first time. */
export function defaultPanelState(): PanelState {
  return {
    version: 1,
    tab: 'top',
    sort: { column: 'flat', descending: true },
    deltaOf: 'flat',
    tableFilter: '',
    tableScroll: 0,
    graph: { nodeCount: 80, nodeFraction: 0.005, edgeFraction: 0.001 },
    flame: { width: 'new', zoom: [], search: '' },
  };
}

const TABS: readonly PanelTab[] = ['summary', 'top', 'graph', 'flame'];

/** restorePanelState validates a saved state field by field; anything malformed falls back to the default. */
export function restorePanelState(saved: unknown): PanelState {
  const state = defaultPanelState();
  if (!isObject(saved) || saved.version !== 1) return state;
  if (isObject(saved.restore) && typeof saved.restore.newUri === 'string') state.restore = saved.restore as unknown as RestoreInfo;
  if (TABS.includes(saved.tab as PanelTab)) state.tab = saved.tab as PanelTab;
  if (isObject(saved.sort) && TOP_COLUMN_IDS.includes(saved.sort.column as TopColumnId)) {
    state.sort = { column: saved.sort.column as TopColumnId, descending: saved.sort.descending !== false };
  }
  if (saved.deltaOf === 'cum') state.deltaOf = 'cum';
  if (typeof saved.tableFilter === 'string') state.tableFilter = saved.tableFilter;
  if (isFiniteNumber(saved.tableScroll) && saved.tableScroll >= 0) state.tableScroll = saved.tableScroll;
  if (isIdentity(saved.selected)) state.selected = saved.selected;
  if (isObject(saved.graph)) {
    const g = saved.graph;
    if (isFiniteNumber(g.nodeCount) && g.nodeCount >= 0) state.graph.nodeCount = Math.floor(g.nodeCount);
    if (isFiniteNumber(g.nodeFraction) && g.nodeFraction >= 0 && g.nodeFraction <= 1) state.graph.nodeFraction = g.nodeFraction;
    if (isFiniteNumber(g.edgeFraction) && g.edgeFraction >= 0 && g.edgeFraction <= 1) state.graph.edgeFraction = g.edgeFraction;
    if (isIdentity(g.focus)) state.graph.focus = g.focus;
    if (isObject(g.view) && isFiniteNumber(g.view.x) && isFiniteNumber(g.view.y) && isFiniteNumber(g.view.scale) && g.view.scale > 0) {
      state.graph.view = { x: g.view.x, y: g.view.y, scale: g.view.scale };
    }
  }
  if (isObject(saved.flame)) {
    const f = saved.flame;
    if (f.width === 'change') state.flame.width = 'change';
    if (Array.isArray(f.zoom) && f.zoom.every(isIdentity)) state.flame.zoom = f.zoom as NodeIdentity[];
    if (typeof f.search === 'string') state.flame.search = f.search;
  }
  return state;
}

/** sameNode tells whether two identities name the same node. */
export function sameNode(a: NodeIdentity | undefined, b: NodeIdentity | undefined): boolean {
  return !!a && !!b && a.name === b.name && a.file === b.file && a.line === b.line;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function isIdentity(v: unknown): v is NodeIdentity {
  return isObject(v) && typeof v.name === 'string' && typeof v.file === 'string' && isFiniteNumber(v.line);
}
