import type { CallGraph, CallGraphEdge, CallGraphNode } from './callgraph';
import { formatPercent, formatSigned, formatValue } from './format';
import { printableName } from './nodes';
import { abbreviateName } from './text/nameDisplay';

// A call graph as DOT, for Graphviz to lay out, with pprof's labels and sizes (internal/graph
// dotgraph.go). Only geometry comes back from Graphviz: the panel draws the text itself, so DOT
// escaping here is about keeping the graph's structure intact, not about markup.

/** DotOptions tune the DOT text handed to Graphviz for layout. */
export interface DotOptions {
  /** Font for Graphviz's text metrics; the renderer should draw with the same one. */
  fontName?: string;
}

/**
 * callGraphDot writes the graph as DOT for layout, with pprof's labels and sizes: a node's label is
 * its name split at dots, then flat (flat%) and "of cum (cum%)"; font size grows from 8 to 24 with
 * √(|flat| / max|flat|); edge weight and width grow with |weight| / total. Node ids are N1…Nk (never
 * names), and every user string is escaped for a DOT quoted string, so no name can change the graph.
 */
export function callGraphDot(graph: CallGraph, options: DotOptions = {}): string {
  const font = dotString(options.fontName ?? 'Helvetica,Arial,sans-serif');
  const lines = [
    'digraph "callgraph" {',
    `graph [fontname="${font}"]`,
    `node [shape=box style=filled fontname="${font}"]`,
    `edge [fontname="${font}" fontsize=10]`,
  ];
  let maxFlat = 0;
  for (const n of graph.nodes) maxFlat = Math.max(maxFlat, Math.abs(n.flat));
  graph.nodes.forEach((n, i) => {
    lines.push(`N${i + 1} [label="${nodeLabel(graph, n).map(dotString).join('\\n')}" fontsize=${nodeFontSize(n.flat, maxFlat)}]`);
  });
  for (const e of graph.edges) {
    const attrs = [`label=" ${dotString(edgeLabel(graph, e))}"`];
    if (graph.total !== 0) {
      const weight = 1 + Math.min(Math.trunc(Math.abs((e.weight * 100) / graph.total)), 100);
      if (weight > 1) attrs.push(`weight=${weight}`);
      const width = edgeWidth(e.weight, graph.total);
      if (width > 1) attrs.push(`penwidth=${width}`);
    }
    if (e.residual) attrs.push('style="dotted"');
    lines.push(`N${e.src + 1} -> N${e.dst + 1} [${attrs.join(' ')}]`);
  }
  lines.push('}');
  return lines.join('\n');
}

/** nodeLabel returns the label lines of a node: name parts, then its values (pprof's addNode). */
export function nodeLabel(graph: CallGraph, n: CallGraphNode): string[] {
  const out = nameLines(n);
  const fmt = (v: number) => (graph.isDiff ? formatSigned(v, graph.unit) : formatValue(v, graph.unit));
  const pct = (v: number) => formatPercent(v, graph.total).trim();
  if (n.flat !== 0) out.push(`${fmt(n.flat)} (${pct(n.flat)})`);
  else out.push('0');
  if (n.cum !== n.flat) out.push(`of ${fmt(n.cum)} (${pct(n.cum)})`);
  return out;
}

/** edgeLabel is an edge's value, plus "(inline)" for inlined calls. */
export function edgeLabel(graph: CallGraph, e: CallGraphEdge): string {
  const v = graph.isDiff ? formatSigned(e.weight, graph.unit) : formatValue(e.weight, graph.unit);
  return e.inline ? `${v} (inline)` : v;
}

/** nodeFontSize is pprof's 8 + ⌈16·√(|flat|/maxFlat)⌉. */
export function nodeFontSize(flat: number, maxFlat: number): number {
  if (maxFlat === 0 || flat === 0 || Math.abs(flat) > maxFlat) return 8;
  return 8 + Math.ceil(16 * Math.sqrt(Math.abs(flat) / maxFlat));
}

/** edgeWidth is pprof's pen width: 1 + min(|weight|·5/total, 5), truncated. */
export function edgeWidth(weight: number, total: number): number {
  if (total === 0) return 1;
  return 1 + Math.min(Math.trunc(Math.abs((weight * 5) / total)), 5);
}

/** MAX_LABEL_LINE is the longest label line (characters): a longer one is abbreviated, the tooltip has it whole. */
export const MAX_LABEL_LINE = 48;
/** MAX_NAME_LINES is how many lines a name may take in a node; more keep the first and last few around "…". */
export const MAX_NAME_LINES = 8;

/**
 * nameLines splits a node's name like pprof's multilinePrintableName: package path, then each dot.
 * Unlike pprof, lines are abbreviated (a 3,000-character name made a node ~19,000 px wide) and a
 * name with hundreds of dots keeps its first and last parts.
 */
function nameLines(n: CallGraphNode): string[] {
  const parts = fullNameLines(n).map((line) => abbreviateName(line, MAX_LABEL_LINE));
  if (parts.length <= MAX_NAME_LINES) return parts;
  const tail = MAX_NAME_LINES - 4;
  return [...parts.slice(0, 3), '…', ...parts.slice(parts.length - tail)];
}

function fullNameLines(n: CallGraphNode): string[] {
  const parts: string[] = [];
  if (n.address !== 0) parts.push(n.address.toString(16).padStart(16, '0'));
  if (n.name !== '') parts.push(...shortName(n.name).replace(/\[\.\.\.\]/g, '[…]').split('.'));
  const base = n.file.slice(n.file.lastIndexOf('/') + 1);
  if (n.line !== 0) parts.push(`${base}:${n.line}`);
  else if (n.file !== '') parts.push(base);
  if (parts.length === 0) parts.push(printableName({ name: n.name, file: n.file, line: n.line, address: n.address }));
  return parts;
}

/** shortName drops a Go function's package path, like pprof's ShortenFunctionName: a/b/c.(*T).m → c.(*T).m. */
export function shortName(name: string): string {
  const paren = name.indexOf('(');
  const head = paren >= 0 ? name.slice(0, paren) : name;
  const slash = head.lastIndexOf('/');
  return slash >= 0 ? name.slice(slash + 1) : name;
}

/** dotString escapes a string for a DOT double-quoted string: backslash and quote, newlines as \l. */
export function dotString(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\l');
}
