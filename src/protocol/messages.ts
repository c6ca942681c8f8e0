// Messages between the extension host and the panel webview. Two discriminated unions, one per
// direction; the host answers in one switch over `message.type`. Types only: both sides import it.
// Bulk data travels as columns (typed arrays, deduplicated strings), never as 100k objects.

import type { CallGraph } from '../core/callgraph';
import type { Filters } from '../core/filter';
import type { FlameTree } from '../core/flamegraph';
import type { Granularity } from '../core/nodes';
import type { PeekTable } from '../core/peek';
import type { ProfileSummary } from '../core/profileSummary';
import type { TopColumns } from '../core/topColumns';
import type { NodeIdentity } from './analysis';

/** PanelMode says whether the panel shows a comparison (base → new) or one profile. */
export type PanelMode = 'comparison' | 'single';

/** CallGraphRequest holds pprof's trimming knobs and an optional node to centre the graph on. */
export interface CallGraphRequest {
  nodeCount: number;
  nodeFraction: number;
  edgeFraction: number;
  /** Keep only samples through this node of the current view (a graph-local focus). */
  focusNode?: number;
}

/** Finding is one diagnosis result shown above the panel's tabs (from src/core/diagnose when present). */
export interface Finding {
  /** Short headline, e.g. "Request bodies are kept". */
  title: string;
  /** One or two sentences of explanation. */
  detail: string;
  severity: 'high' | 'medium' | 'low' | 'info';
  /** Where to look, when the finding names a source line. */
  location?: { function: string; file: string; line: number };
  /** The text of that source line, when it could be read (shown as code). */
  lineText?: string;
  /** Where the goroutines holding it wait (a goroutine profile taken alongside): the line and the sentence to show. */
  blockedAt?: { function: string; file: string; line: number; text: string };
}

/** SessionInfo describes the profiles shown and the settings every heaplens surface shares. */
export interface SessionInfo {
  mode: PanelMode;
  title: string;
  newName: string;
  baseName?: string;
  /** URIs as strings so a reloaded window can reopen the same files (the serializer reads them back). */
  newUri: string;
  baseUri?: string;
  sampleTypes: Array<{ type: string; unit: string }>;
  sampleType: string;
  granularity: Granularity;
  filters: Filters;
  summary: ProfileSummary;
  findings: Finding[];
}

/** ToWebview is every message the host sends to the panel. */
export type ToWebview =
  /**
   * init answers `ready`: the session, where the lazily loaded Graphviz bundle is, and the display
   * language with its translations (VS Code's l10n bundle of the extension; absent in English).
   */
  | { type: 'init'; session: SessionInfo; graphvizScript: string; language: string; l10n?: Record<string, string> }
  /** session follows a change of base/new order, sample type, granularity or filters. */
  | { type: 'session'; session: SessionInfo }
  /** pending: the view of this generation is being computed; show a skeleton, not the old numbers. */
  | { type: 'pending'; generation: number }
  /** view carries the top table of one aggregation; `generation` names it in later requests. */
  | { type: 'view'; generation: number; top: TopColumns }
  /** callGraph answers requestCallGraph with a trimmed graph of the same generation. */
  | { type: 'callGraph'; generation: number; request: CallGraphRequest; graph: CallGraph }
  /** flameGraph answers requestFlameGraph with the merged call tree of base and new (trimmed as asked). */
  | { type: 'flameGraph'; generation: number; zoom: NodeIdentity[]; tree: FlameTree }
  /** peek answers requestPeek: callers and callees of one node. */
  | { type: 'peek'; generation: number; peek: PeekTable }
  /** error reports a problem the user should see (bad filter, failed export), one line. */
  | { type: 'error'; message: string };

/** FromWebview is every message the panel sends to the host. */
export type FromWebview =
  /** ready: the script is loaded and listening; the host answers with init and a view. */
  | { type: 'ready' }
  /** openSource asks the host to open a frame's source at its line. */
  | { type: 'openSource'; file: string; line: number; function: string }
  /** setSampleType switches the value shown everywhere (tree, annotations, panel). */
  | { type: 'setSampleType'; sampleType: string }
  /** setGranularity switches functions / lines / files / … everywhere. */
  | { type: 'setGranularity'; granularity: Granularity }
  /** setFilters replaces pprof's focus/ignore/hide/show for every view. */
  | { type: 'setFilters'; filters: Filters }
  /** requestCallGraph asks for a trimmed call graph of the current view. */
  | { type: 'requestCallGraph'; generation: number; request: CallGraphRequest }
  /** requestFlameGraph asks for the flame graph of the current view, zoomed along `zoom`, trimmed to frames at least `minFraction` of the zoomed one. */
  | { type: 'requestFlameGraph'; generation: number; zoom: NodeIdentity[]; minFraction: number }
  /** requestPeek asks for a node's callers and callees. */
  | { type: 'requestPeek'; generation: number; node: number }
  /** exportSvg hands the rendered call graph to the host to save where the user chooses. */
  | { type: 'exportSvg'; svg: string; suggestedName: string }
  /** painted reports how long a view took to paint: the table from its data arriving, graphs from their request (logged). */
  | { type: 'painted'; what: 'top' | 'callGraph' | 'flameGraph'; ms: number; rows: number }
  /** problem reports a webview-side failure (a CSP violation, a layout error) to the host's log. */
  | { type: 'problem'; message: string };

/** RestoreInfo is the part of the webview's saved state the host reads back after a window reload. */
export interface RestoreInfo {
  newUri: string;
  baseUri?: string;
  sampleType: string;
  granularity: Granularity;
  filters: Filters;
}
