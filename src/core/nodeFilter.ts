import type { Filters } from './filter';

// Turning "focus on / ignore / hide this row" into pprof's regex filters, so the action applies
// to every view (table, graph, flame graph, tree, annotations) through the one Filters value.
// pprof matches a filter against function names and file names, so a node is named by an
// anchored, escaped function name, or by its file when the node has no name (file granularity).

/** NodeFilterAction is a per-node filter action, in pprof's words. */
export type NodeFilterAction = 'focus' | 'ignore' | 'hide';

/** nodeFilterPattern returns a regex matching exactly this node's function (or its file). */
export function nodeFilterPattern(node: { name: string; file: string }): string {
  if (node.name !== '') return `^${escapeRegExp(node.name)}$`;
  if (node.file !== '') return `${escapeRegExp(node.file)}$`;
  return '';
}

/**
 * withNodeFilter adds a node's pattern to filters: focus replaces the focus (like pprof's
 * interactive `focus=`), ignore and hide extend theirs with `|` so earlier choices stay.
 */
export function withNodeFilter(filters: Filters, action: NodeFilterAction, pattern: string): Filters {
  const next: Filters = { ...filters };
  if (pattern === '') return next;
  if (action === 'focus') {
    next.focus = pattern;
    return next;
  }
  const current = filters[action];
  next[action] = current ? `${current}|${pattern}` : pattern;
  return next;
}

/** escapeRegExp quotes every regex metacharacter of `s`. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
