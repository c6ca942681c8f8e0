import * as l10n from '@vscode/l10n';
import type { CallGraph } from '../src/core/callgraph';
import { callGraphDot, edgeLabel, edgeWidth } from '../src/core/callgraphDot';
import { formatPercent, formatSigned, formatValue } from '../src/core/format';
import type { CallGraphRequest } from '../src/protocol/messages';
import { isolateName } from '../src/core/text/nameDisplay';
import { clear, h, iconButton, svg, textField } from './dom';
import { formatCount } from './locale';
import { type GraphGeometry, type GraphvizJson, graphGeometry } from './graphLayout';
import type { GraphvizLoader } from './graphvizLoader';
import type { NodeIdentity, PanelState } from './panelState';
import { sameNode } from './panelState';
import { type DiffPalette, type RGB, css, mix, nodeFill, readableText } from './theme';

// The call graph: pprof's trimmed graph (built on the host, src/core/callgraph.ts), laid out by
// Graphviz compiled to WebAssembly — the same layout engine `go tool pprof -http` uses, with nothing
// to install — and drawn as SVG we build ourselves. Nodes: size from flat (font 8–24 like pprof),
// fill from cum Δ (growth / shrink theme colours; intensity by share of the total). Edges: width and
// colour from their weight, dotted when they skip trimmed frames. Drag to pan, wheel to zoom,
// click a node for its source, right-click to centre the graph on its neighbourhood.

/** CallGraphActions is what the graph asks of the panel. */
export interface CallGraphActions {
  requestGraph(request: Omit<CallGraphRequest, 'focusNode'>, focus: NodeIdentity | undefined): void;
  select(id: NodeIdentity): void;
  openSource(id: NodeIdentity): void;
  exportSvg(svg: string): void;
  stateChanged(): void;
  painted(rows: number): void;
  problem(message: string): void;
}

const FONT = 'Helvetica, Arial, sans-serif';
/** How far one arrow key pans (pixels) and one +/− zooms (factor). */
const PAN_STEP = 60;
const ZOOM_STEP = 1.25;

// Visible and spoken strings of this view, in one place (read when used: after init set the language).
const TEXT = {
  canvas: () => l10n.t('Call graph. Arrow keys pan, + and − zoom, 0 fits the graph; Tab moves through the nodes, Enter opens a node\'s source, Shift+Enter shows its neighbourhood'),
  graph: (sampleType: string) => l10n.t('Call graph of {0}', sampleType),
};
/** Zoom limits: 0.002× still fits a graph 500 times the window's size. */
const MIN_SCALE = 0.002;
const MAX_SCALE = 8;

/** CallGraphView renders call graphs. */
export class CallGraphView {
  private readonly status: HTMLSpanElement;
  private readonly focusChip: HTMLSpanElement;
  private readonly canvas: HTMLDivElement;
  private graph: CallGraph | undefined;
  private geometry: GraphGeometry | undefined;
  private svgRoot: SVGSVGElement | undefined;
  private viewport: SVGGElement | undefined;
  private palette: DiffPalette | undefined;
  private selected: NodeIdentity | undefined;
  private drag: { x: number; y: number; startX: number; startY: number; moved: boolean } | undefined;
  private renderToken = 0;
  private readonly inputs: { nodeCount: HTMLElement & { value: string }; nodeFraction: HTMLElement & { value: string }; edgeFraction: HTMLElement & { value: string } };

  constructor(root: HTMLElement, private readonly state: PanelState, private readonly loader: GraphvizLoader, private readonly actions: CallGraphActions) {
    const number = (label: string, value: number, step: string) => {
      const input = textField('number', label, String(value));
      input.setAttribute('step', step);
      input.setAttribute('min', '0');
      input.addEventListener('change', () => this.request());
      return input;
    };
    const g = state.graph;
    this.inputs = {
      nodeCount: number(l10n.t('Node count (pprof -nodecount; 0 = all)'), g.nodeCount, '10'),
      nodeFraction: number(l10n.t('Node fraction (pprof -nodefraction)'), g.nodeFraction, '0.001'),
      edgeFraction: number(l10n.t('Edge fraction (pprof -edgefraction)'), g.edgeFraction, '0.001'),
    };
    this.status = h('span', { className: 'muted graph-status' });
    this.focusChip = h('span', { className: 'chip', attrs: { hidden: '' } });
    const toolbar = h('div', { className: 'toolbar' },
      h('label', { title: 'pprof -nodecount' }, `${l10n.t('nodes')} `, this.inputs.nodeCount),
      h('label', { title: 'pprof -nodefraction' }, `${l10n.t('node fraction')} `, this.inputs.nodeFraction),
      h('label', { title: 'pprof -edgefraction' }, `${l10n.t('edge fraction')} `, this.inputs.edgeFraction),
      iconButton('discard', l10n.t('Reset to pprof defaults (80, 0.005, 0.001)'), () => this.resetTrim()),
      this.focusChip,
      iconButton('screen-full', l10n.t('Fit to window'), () => this.fit()),
      iconButton('export', l10n.t('Export SVG…'), () => this.export()),
      this.status);
    this.canvas = h('div', { className: 'graph-canvas', attrs: { tabindex: '0', role: 'region', 'aria-label': TEXT.canvas() } });
    this.canvas.addEventListener('keydown', (e) => this.onKey(e));
    root.append(toolbar, this.canvas);
    this.canvas.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    this.canvas.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    this.canvas.addEventListener('pointermove', (e) => this.onPointerMove(e));
    this.canvas.addEventListener('pointerup', (e) => this.onPointerUp(e));
    this.keepCentreOnResize();
  }

  /**
   * keepCentreOnResize moves the view by half of each size change, so the point at the centre stays
   * there: a view fitted to a wide panel otherwise leaves the graph off-screen when the panel narrows.
   * A hidden tab measures 0 × 0 and is ignored.
   */
  private keepCentreOnResize(): void {
    let size = { w: 0, h: 0 };
    new ResizeObserver(() => {
      const w = this.canvas.clientWidth;
      const hgt = this.canvas.clientHeight;
      if (!w || !hgt) return;
      const v = this.state.graph.view;
      if (v && size.w && this.viewport) {
        this.state.graph.view = { ...v, x: v.x + (w - size.w) / 2, y: v.y + (hgt - size.h) / 2 };
        this.applyView();
      }
      size = { w, h: hgt };
    }).observe(this.canvas);
  }

  /** request asks the host for a graph with the current knobs (and focus). */
  request(): void {
    const g = this.state.graph;
    g.nodeCount = clampInt(this.inputs.nodeCount.value, g.nodeCount);
    g.nodeFraction = clampFraction(this.inputs.nodeFraction.value, g.nodeFraction);
    g.edgeFraction = clampFraction(this.inputs.edgeFraction.value, g.edgeFraction);
    this.inputs.nodeCount.value = String(g.nodeCount);
    this.inputs.nodeFraction.value = String(g.nodeFraction);
    this.inputs.edgeFraction.value = String(g.edgeFraction);
    this.status.textContent = l10n.t('Building the graph…');
    this.actions.stateChanged();
    this.actions.requestGraph({ nodeCount: g.nodeCount, nodeFraction: g.nodeFraction, edgeFraction: g.edgeFraction }, g.focus);
  }

  /** focusOn centres the graph on a node's neighbourhood (undefined: the whole graph). */
  focusOn(id: NodeIdentity | undefined): void {
    this.state.graph.focus = id;
    this.state.graph.view = undefined;
    this.request();
  }

  /** setPalette switches colours after a theme change. */
  setPalette(palette: DiffPalette): void {
    this.palette = palette;
    if (this.graph && this.geometry) this.draw();
  }

  /** setSelected highlights a node chosen elsewhere. */
  setSelected(id: NodeIdentity | undefined): void {
    this.selected = id;
    this.svgRoot?.querySelectorAll('.graph-node').forEach((el) => {
      const n = this.graph?.nodes[Number((el as SVGElement).dataset.index)];
      el.classList.toggle('selected', !!n && sameNode(id, n));
    });
  }

  /** show lays out and draws a graph from the host. */
  async show(graph: CallGraph): Promise<void> {
    const token = ++this.renderToken;
    this.graph = graph;
    const focus = this.state.graph.focus;
    this.focusChip.hidden = !focus;
    clear(this.focusChip);
    if (focus) {
      this.focusChip.append(h('span', { text: l10n.t('neighbourhood of {0}', focus.name || focus.file) }), iconButton('close', l10n.t('Show the whole graph'), () => this.focusOn(undefined)));
    }
    if (graph.nodes.length === 0) {
      clear(this.canvas);
      this.canvas.append(h('p', { className: 'empty', text: graph.isDiff ? l10n.t('No node changed by more than the node fraction of the total.') : l10n.t('No samples to draw.') }));
      this.status.textContent = '';
      return;
    }
    this.status.textContent = l10n.t('Laying out…');
    try {
      const viz = await this.loader.load();
      if (token !== this.renderToken) return;
      const json = viz.renderJSON(callGraphDot(graph, { fontName: FONT })) as GraphvizJson;
      this.geometry = graphGeometry(json);
    } catch (e) {
      const message = l10n.t('The call graph could not be laid out: {0}', (e as Error).message);
      this.status.textContent = message;
      this.actions.problem(message);
      return;
    }
    this.draw();
    const shown = graph.nodes.length;
    this.status.textContent = l10n.t('{0} nodes, {1} edges', formatCount(shown), formatCount(graph.edges.length)) +
      (graph.droppedNodes + Math.max(0, graph.origCount - shown) > 0 ? l10n.t(' (of {0} nodes; trimmed like pprof)', formatCount(graph.origCount + graph.droppedNodes)) : '') +
      (graph.droppedEdges > 0 ? l10n.t(', {0} light edges dropped', formatCount(graph.droppedEdges)) : '');
    requestAnimationFrame(() => this.actions.painted(shown));
  }

  private draw(): void {
    const graph = this.graph!;
    const geo = this.geometry!;
    const p = this.palette!;
    clear(this.canvas);
    const root = svg('svg', { class: 'graph-svg', xmlns: 'http://www.w3.org/2000/svg', 'font-family': FONT, role: 'group', 'aria-label': TEXT.graph(graph.sampleType) });
    const viewport = svg('g', { class: 'graph-viewport' });
    root.append(viewport);
    const scale = graph.total || 1;
    for (const e of geo.edges) {
      const edge = graph.edges.find((x) => x.src === e.src && x.dst === e.dst);
      if (!edge || !e.path) continue;
      const colour = edgeColour(p, graph, edge.weight, scale);
      const g = svg('g', { class: 'graph-edge' });
      const title = `${isolateName(graph.nodes[edge.src].name)} ${edge.residual ? '…' : '→'} ${isolateName(graph.nodes[edge.dst].name)}: ${edgeLabel(graph, edge)}`;
      g.append(svg('title', {}, title));
      g.append(svg('path', { d: e.path, fill: 'none', stroke: css(colour), 'stroke-width': edgeWidth(edge.weight, graph.total), ...(edge.residual ? { 'stroke-dasharray': '2,3' } : {}) }));
      if (e.arrow.length > 0) g.append(svg('polygon', { points: e.arrow.map(([x, y]) => `${x},${y}`).join(' '), fill: css(colour), stroke: css(colour) }));
      for (const t of e.texts) g.append(svg('text', { x: t.x, y: t.y, 'font-size': t.size, 'text-anchor': t.anchor, fill: css(p.foreground) }, t.text));
      viewport.append(g);
    }
    for (const box of geo.nodes) {
      const node = graph.nodes[box.index];
      if (!node) continue;
      const fill = nodeFill(p, graph, node.cum, scale);
      const g = svg('g', { class: `graph-node${sameNode(this.selected, node) ? ' selected' : ''}`, 'data-index': box.index, tabindex: 0, role: 'button' });
      g.append(svg('title', {}, nodeTooltip(graph, box.index)));
      g.append(svg('rect', { x: box.x, y: box.y, width: box.width, height: box.height, rx: 2, fill: css(fill), stroke: css(p.border ?? mix(fill, p.foreground, 0.5)), 'stroke-width': p.highContrast ? 2 : 1 }));
      const ink = readableText(fill);
      for (const t of box.texts) g.append(svg('text', { x: t.x, y: t.y, 'font-size': t.size, 'text-anchor': t.anchor, fill: css(ink) }, t.text));
      viewport.append(g);
    }
    root.addEventListener('click', (e) => this.onNodeEvent(e, false));
    root.addEventListener('contextmenu', (e) => this.onNodeEvent(e, true));
    root.addEventListener('keydown', (e) => { if (e.key === 'Enter') this.onNodeEvent(e, e.shiftKey); });
    this.canvas.append(root);
    this.svgRoot = root;
    this.viewport = viewport;
    if (this.state.graph.view) this.applyView();
    else this.fit();
  }

  private onNodeEvent(e: Event, focus: boolean): void {
    const el = (e.target as Element).closest<SVGGElement>('.graph-node');
    if (!el || !this.graph || this.drag?.moved) return;
    const n = this.graph.nodes[Number(el.dataset.index)];
    const id = { name: n.name, file: n.file, line: n.line };
    e.preventDefault();
    this.selected = id;
    this.setSelected(id);
    this.actions.select(id);
    if (focus) this.focusOn(id);
    else this.actions.openSource(id);
  }

  private fit(): void {
    if (!this.geometry || !this.svgRoot) return;
    const w = this.canvas.clientWidth || 800;
    const hgt = this.canvas.clientHeight || 600;
    const pad = 16;
    // The whole graph in view, however small that makes it (zoom in with the wheel or +).
    const scale = Math.max(MIN_SCALE, Math.min(1.5, (w - 2 * pad) / Math.max(1, this.geometry.width), (hgt - 2 * pad) / Math.max(1, this.geometry.height)));
    this.state.graph.view = {
      scale,
      x: (w - this.geometry.width * scale) / 2,
      y: Math.max(pad, (hgt - this.geometry.height * scale) / 2),
    };
    this.applyView();
    this.actions.stateChanged();
  }

  private applyView(): void {
    const v = this.state.graph.view;
    if (!v || !this.viewport || !this.svgRoot) return;
    this.viewport.setAttribute('transform', `translate(${v.x} ${v.y}) scale(${v.scale})`);
  }

  /** onKey pans with the arrows and zooms with + / − around the centre; 0 fits. Enter on a node is the node's. */
  private onKey(e: KeyboardEvent): void {
    const v = this.state.graph.view;
    if (!v) return;
    const pan: Record<string, [number, number]> = { ArrowLeft: [PAN_STEP, 0], ArrowRight: [-PAN_STEP, 0], ArrowUp: [0, PAN_STEP], ArrowDown: [0, -PAN_STEP] };
    const zoom: Record<string, number> = { '+': ZOOM_STEP, '=': ZOOM_STEP, '-': 1 / ZOOM_STEP, '_': 1 / ZOOM_STEP };
    if (e.key in pan) {
      const [dx, dy] = pan[e.key];
      this.state.graph.view = { ...v, x: v.x + dx, y: v.y + dy };
    } else if (e.key in zoom) {
      this.zoomAt(this.canvas.clientWidth / 2, this.canvas.clientHeight / 2, zoom[e.key]);
    } else if (e.key === '0') {
      this.fit();
      e.preventDefault();
      return;
    } else {
      return;
    }
    e.preventDefault();
    this.applyView();
    this.actions.stateChanged();
  }

  /** zoomAt scales the view by k around a point of the canvas, within the zoom limits. */
  private zoomAt(mx: number, my: number, k: number): void {
    const v = this.state.graph.view;
    if (!v) return;
    const scale = Math.max(MIN_SCALE, Math.min(MAX_SCALE, v.scale * k));
    const f = scale / v.scale;
    this.state.graph.view = { scale, x: mx - (mx - v.x) * f, y: my - (my - v.y) * f };
  }

  private onWheel(e: WheelEvent): void {
    const v = this.state.graph.view;
    if (!v) return;
    e.preventDefault();
    const rect = this.canvas.getBoundingClientRect();
    this.zoomAt(e.clientX - rect.left, e.clientY - rect.top, Math.exp(-e.deltaY * 0.0015));
    this.applyView();
    this.actions.stateChanged();
  }

  private onPointerDown(e: PointerEvent): void {
    if (e.button !== 0 || !this.state.graph.view) return;
    this.drag = { x: e.clientX, y: e.clientY, startX: this.state.graph.view.x, startY: this.state.graph.view.y, moved: false };
  }

  private onPointerMove(e: PointerEvent): void {
    const d = this.drag;
    const v = this.state.graph.view;
    if (!d || !v) return;
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (!d.moved && Math.hypot(dx, dy) < 4) return;
    if (!d.moved) this.canvas.setPointerCapture(e.pointerId);
    d.moved = true;
    this.state.graph.view = { ...v, x: d.startX + dx, y: d.startY + dy };
    this.applyView();
  }

  private onPointerUp(e: PointerEvent): void {
    const d = this.drag;
    if (d?.moved) {
      this.canvas.releasePointerCapture(e.pointerId);
      this.actions.stateChanged();
      // The click that ends a drag must not open a source: clear the flag after it is dispatched.
      setTimeout(() => { this.drag = undefined; }, 0);
    } else {
      this.drag = undefined;
    }
  }

  private resetTrim(): void {
    this.inputs.nodeCount.value = '80';
    this.inputs.nodeFraction.value = '0.005';
    this.inputs.edgeFraction.value = '0.001';
    this.request();
  }

  private export(): void {
    if (!this.svgRoot || !this.geometry || !this.palette) return;
    const copy = this.svgRoot.cloneNode(true) as SVGSVGElement;
    const { width, height } = this.geometry;
    copy.setAttribute('width', String(Math.ceil(width + 16)));
    copy.setAttribute('height', String(Math.ceil(height + 16)));
    copy.setAttribute('viewBox', `-8 -8 ${Math.ceil(width + 16)} ${Math.ceil(height + 16)}`);
    copy.querySelector('.graph-viewport')?.removeAttribute('transform');
    copy.insertBefore(svg('rect', { x: -8, y: -8, width: '100%', height: '100%', fill: css(this.palette.background) }), copy.firstChild);
    this.actions.exportSvg(new XMLSerializer().serializeToString(copy));
  }
}


function edgeColour(p: DiffPalette, graph: CallGraph, weight: number, total: number): RGB {
  const t = 0.35 + 0.65 * Math.sqrt(Math.min(1, Math.abs(weight) / total));
  if (!graph.isDiff || weight === 0) return mix(p.background, p.foreground, t * 0.8);
  return mix(p.background, weight > 0 ? p.growth : p.shrink, t);
}

function nodeTooltip(graph: CallGraph, index: number): string {
  const n = graph.nodes[index];
  const name = [n.name, n.line ? `${n.file}:${n.line}` : n.file].filter(Boolean).map(isolateName).join(' ');
  const pct = (v: number) => formatPercent(v, graph.total).trim();
  const hint = l10n.t('click: source · right-click: neighbourhood');
  if (!graph.isDiff) return `${name}\nflat ${formatValue(n.flat, graph.unit)} (${pct(n.flat)}), cum ${formatValue(n.cum, graph.unit)} (${pct(n.cum)})\n${hint}`;
  return `${name}\ncum ${formatValue(n.baseCum, graph.unit)} → ${formatValue(n.baseCum + n.cum, graph.unit)} (${formatSigned(n.cum, graph.unit)})\nflat ${formatValue(n.baseFlat, graph.unit)} → ${formatValue(n.baseFlat + n.flat, graph.unit)} (${formatSigned(n.flat, graph.unit)})\n${hint}`;
}

function clampInt(text: string, fallback: number): number {
  const v = Math.floor(Number(text));
  return Number.isFinite(v) && v >= 0 ? v : fallback;
}

function clampFraction(text: string, fallback: number): number {
  const v = Number(text);
  return Number.isFinite(v) && v >= 0 && v <= 1 ? v : fallback;
}
