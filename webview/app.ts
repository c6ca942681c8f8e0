import * as l10n from '@vscode/l10n';
import type { Filters } from '../src/core/filter';
import type { NodeFilterAction } from '../src/core/nodeFilter';
import { nodeFilterPattern, withNodeFilter } from '../src/core/nodeFilter';
import { GRANULARITIES, type Granularity } from '../src/core/nodes';
import type { SessionInfo, ToWebview } from '../src/protocol/messages';
import { CallGraphView } from './callGraphView';
import { normalizeTop, normalizeTree } from './columns';
import { isolateName } from '../src/core/text/nameDisplay';
import { clear, h, selectBox } from './dom';
import { FlameView } from './flameView';
import { GraphvizLoader } from './graphvizLoader';
import type { WebviewHost } from './host';
import { type NodeIdentity, type PanelState, type PanelTab, restorePanelState, sameNode } from './panelState';
import { PeekView } from './peekView';
import { SummaryView, renderFindings } from './summaryView';
import { resolvePalette } from './palette';
import { TopModel } from './topModel';
import { TopTable } from './topTable';

// The panel: a header (profiles, sample type, granularity, active filters), diagnosis findings,
// tabs (Summary, Top, Call graph, Flame graph) and the peek pane. It keeps the view state, routes
// the host's messages to the views, and turns the views' actions into messages. Data for the graph
// and the flame graph is requested when their tab is first shown for a view, not before.

// Titles are read when the panel is built (after init configured the translations), not at load.
const TABS: Array<{ id: PanelTab; title: () => string }> = [
  { id: 'summary', title: () => l10n.t('Summary') },
  { id: 'top', title: () => l10n.t('Top') },
  { id: 'graph', title: () => l10n.t('Call graph') },
  { id: 'flame', title: () => l10n.t('Flame graph') },
];

/** PanelApp is the webview's controller. */
export class PanelApp {
  private readonly state: PanelState;
  private session: SessionInfo | undefined;
  private generation = 0;
  private model: TopModel | undefined;
  private readonly loader = new GraphvizLoader();
  private readonly summary: SummaryView;
  private readonly table: TopTable;
  private readonly graph: CallGraphView;
  private readonly flame: FlameView;
  private readonly peek: PeekView;
  private readonly tabs: HTMLElement;
  private readonly header: HTMLElement;
  private readonly findings: HTMLElement;
  private readonly errorBar: HTMLElement;
  private readonly pendingNote: HTMLElement;
  /** A polite live region: selection changes and sorting are read out from here. */
  private readonly announcer: HTMLElement;
  private readonly requested = new Set<PanelTab>();
  /** When each view's data arrived (top) or was requested (graph, flame graph), for the paint timings. */
  private readonly started = { top: 0, callGraph: 0, flameGraph: 0 };

  constructor(private readonly root: HTMLElement, private readonly host: WebviewHost) {
    this.state = restorePanelState(host.getState());
    clear(root);
    root.className = 'panel';
    this.header = h('header', { className: 'panel-header' });
    this.findings = h('section', { className: 'findings', attrs: { hidden: '' } });
    this.errorBar = h('div', { className: 'error-bar', attrs: { role: 'alert', hidden: '' } });
    this.pendingNote = h('div', { className: 'pending-note', attrs: { role: 'status', hidden: '' } });
    const panels = TABS.map((t) => h('vscode-tab-panel', { className: `tab-panel tab-${t.id}` }));
    this.tabs = h('vscode-tabs', { className: 'tabs' },
      ...TABS.map((t) => h('vscode-tab-header', { text: t.title(), attrs: { slot: 'header', 'data-tab': t.id } })),
      ...panels);
    const peekPane = h('aside', { className: 'peek', attrs: { hidden: '', 'aria-label': l10n.t('Callers and callees') } });
    this.announcer = h('div', { className: 'sr-only', attrs: { role: 'status', 'aria-live': 'polite' } });
    root.append(this.header, this.errorBar, this.findings, this.pendingNote, h('div', { className: 'panel-body' }, this.tabs, peekPane), this.announcer);

    const [summaryEl, topEl, graphEl, flameEl] = panels;
    this.summary = new SummaryView(summaryEl);
    this.table = new TopTable(topEl, this.state, {
      select: (id) => this.select(id),
      openSource: (id) => this.openSource(id),
      nodeFilter: (action, id) => this.nodeFilter(action, id),
      stateChanged: () => this.saveState(),
      painted: (rows) => this.painted('top', rows),
      announce: (text) => this.announce(text),
    });
    this.graph = new CallGraphView(graphEl, this.state, this.loader, {
      requestGraph: (request, focus) => this.requestGraph(request, focus),
      select: (id) => this.select(id),
      openSource: (id) => this.openSource(id),
      exportSvg: (svg) => this.host.postMessage({ type: 'exportSvg', svg, suggestedName: `${this.session?.newName ?? 'heap'}.callgraph.svg` }),
      stateChanged: () => this.saveState(),
      painted: (rows) => this.painted('callGraph', rows),
      problem: (message) => this.host.postMessage({ type: 'problem', message }),
    });
    this.flame = new FlameView(flameEl, this.state, {
      select: (id) => this.select(id),
      openSource: (id) => this.openSource(id),
      stateChanged: () => this.saveState(),
      painted: (frames) => this.painted('flameGraph', frames),
      requestTree: (zoom, minFraction) => this.requestFlame(zoom, minFraction),
    });
    this.peek = new PeekView(peekPane, {
      select: (id) => this.select(id),
      openSource: (id) => this.openSource(id),
      focusGraph: (id) => { this.showTab('graph'); this.graph.focusOn(id); },
      close: () => { this.state.selected = undefined; this.peek.clear(); this.saveState(); },
    });
    this.tabs.addEventListener('keydown', (e) => this.onTabKey(e));
    this.tabs.addEventListener('vsc-tabs-select', (e) => {
      const index = (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
      this.onTab(TABS[index]?.id ?? 'top');
    });
    this.applyTheme();
    new MutationObserver(() => this.applyTheme()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  }

  /** receive handles one message from the host. */
  receive(message: ToWebview): void {
    switch (message.type) {
      case 'init':
        this.loader.setSource(message.graphvizScript);
        this.setSession(message.session);
        this.showTab(this.state.tab);
        return;
      case 'session':
        this.setSession(message.session);
        return;
      case 'pending':
        // The numbers on screen belong to the old settings: hide them until the new view arrives.
        this.generation = message.generation;
        this.requested.clear();
        this.root.classList.add('pending');
        this.root.setAttribute('aria-busy', 'true');
        this.pendingNote.textContent = this.session
          ? l10n.t('Computing {0} by {1}…', this.session.sampleType, this.session.granularity)
          : l10n.t('Computing the view…');
        this.pendingNote.hidden = false;
        return;
      case 'view':
        this.root.classList.remove('pending');
        this.root.removeAttribute('aria-busy');
        this.pendingNote.hidden = true;
        this.started.top = performance.now();
        this.generation = message.generation;
        this.requested.clear();
        this.hideError();
        this.model = new TopModel(normalizeTop(message.top));
        this.table.setModel(this.model, this.state.selected);
        this.onTab(this.state.tab);
        if (this.state.selected) this.requestPeek(this.state.selected);
        return;
      case 'callGraph':
        if (message.generation === this.generation) void this.graph.show(message.graph);
        return;
      case 'flameGraph':
        if (message.generation === this.generation) this.flame.setTree(normalizeTree(message.tree), message.zoom);
        return;
      case 'peek':
        if (message.generation === this.generation && this.model) this.peek.render(message.peek, this.model.top.unit, this.model.top.isDiff);
        return;
      case 'error':
        this.showError(message.message);
        return;
    }
  }

  private setSession(session: SessionInfo): void {
    this.session = session;
    this.state.restore = { newUri: session.newUri, baseUri: session.baseUri, sampleType: session.sampleType, granularity: session.granularity, filters: session.filters };
    this.renderHeader(session);
    this.summary.render(session);
    renderFindings(this.findings, session.findings, (f) => f.location && this.host.postMessage({ type: 'openSource', file: f.location.file, line: f.location.line, function: f.location.function }));
    this.saveState();
  }

  private renderHeader(s: SessionInfo): void {
    clear(this.header);
    const titles = h('div', { className: 'titles' },
      s.mode === 'comparison'
        ? h('h1', { title: isolateName(s.title) }, h('bdi', { text: s.baseName }), ' → ', h('bdi', { text: s.newName }))
        : h('h1', { title: isolateName(s.title) }, h('bdi', { text: s.newName })),
      h('span', { className: 'muted', text: s.mode === 'comparison' ? l10n.t('comparison (new − base, like go tool pprof -diff_base)') : l10n.t('single profile') }));
    const sampleType = select(l10n.t('Sample type'), s.sampleTypes.map((t) => t.type), s.sampleType, (v) => this.host.postMessage({ type: 'setSampleType', sampleType: v }));
    const granularity = select(l10n.t('Granularity'), [...GRANULARITIES], s.granularity, (v) => this.host.postMessage({ type: 'setGranularity', granularity: v as Granularity }));
    const controls = h('div', { className: 'controls' }, sampleType, granularity, this.filterChips(s.filters));
    this.header.append(titles, controls);
  }

  private filterChips(filters: Filters): HTMLElement {
    const box = h('div', { className: 'filter-chips', attrs: { role: 'group', 'aria-label': l10n.t('Active filters') } });
    const keys = (['focus', 'ignore', 'hide', 'show'] as const).filter((k) => filters[k]);
    for (const k of keys) {
      const chip = h('span', { className: 'chip', title: `pprof -${k}=${isolateName(filters[k] ?? '')}` }, h('span', {}, `${k}: `, h('bdi', { text: filters[k] })));
      const remove = h('button', { className: 'icon-button codicon codicon-close', title: l10n.t('Remove the {0} filter', k), attrs: { type: 'button', 'aria-label': l10n.t('Remove the {0} filter', k) } });
      remove.addEventListener('click', () => {
        const next = { ...filters };
        delete next[k];
        this.host.postMessage({ type: 'setFilters', filters: next });
      });
      chip.append(remove);
      box.append(chip);
    }
    if (keys.length > 1) {
      const clearAll = h('vscode-button', { text: l10n.t('Clear filters'), attrs: { secondary: '' } });
      clearAll.addEventListener('click', () => this.host.postMessage({ type: 'setFilters', filters: {} }));
      box.append(clearAll);
    }
    return box;
  }

  private showTab(tab: PanelTab): void {
    const index = TABS.findIndex((t) => t.id === tab);
    (this.tabs as HTMLElement & { selectedIndex: number }).selectedIndex = index < 0 ? 1 : index;
    this.onTab(tab);
  }

  private onTab(tab: PanelTab): void {
    if (this.state.tab !== tab) {
      this.state.tab = tab;
      this.saveState();
    }
    this.root.classList.toggle('on-summary', tab === 'summary');
    if (!this.model || this.requested.has(tab)) return;
    if (tab === 'graph') {
      this.requested.add(tab);
      this.graph.request();
    } else if (tab === 'flame') {
      this.requested.add(tab);
      this.started.flameGraph = performance.now();
      this.flame.request();
    }
  }

  private requestFlame(zoom: NodeIdentity[], minFraction: number): void {
    if (this.model) this.host.postMessage({ type: 'requestFlameGraph', generation: this.generation, zoom, minFraction });
  }

  private requestGraph(request: { nodeCount: number; nodeFraction: number; edgeFraction: number }, focus: NodeIdentity | undefined): void {
    if (!this.model) return;
    let focusNode: number | undefined;
    if (focus) {
      const row = this.model.rowOf(focus);
      if (row >= 0) focusNode = this.model.top.node[row];
    }
    this.started.callGraph = performance.now();
    this.host.postMessage({ type: 'requestCallGraph', generation: this.generation, request: { ...request, focusNode } });
  }

  private select(id: NodeIdentity): void {
    if (!sameNode(this.state.selected, id)) {
      this.state.selected = id;
      this.saveState();
    }
    if (this.model) {
      const row = this.model.rowOf(id);
      this.table.selectRow(row);
    }
    this.graph.setSelected(id);
    this.flame.setSelected(id);
    this.requestPeek(id);
  }

  private requestPeek(id: NodeIdentity): void {
    const row = this.model?.rowOf(id) ?? -1;
    if (row < 0 || !this.model) return;
    this.host.postMessage({ type: 'requestPeek', generation: this.generation, node: this.model.top.node[row] });
  }

  private openSource(id: NodeIdentity): void {
    this.host.postMessage({ type: 'openSource', file: id.file, line: id.line, function: id.name });
  }

  private nodeFilter(action: NodeFilterAction, id: NodeIdentity): void {
    if (!this.session) return;
    const pattern = nodeFilterPattern(id);
    if (pattern === '') return;
    this.host.postMessage({ type: 'setFilters', filters: withNodeFilter(this.session.filters, action, pattern) });
  }

  private painted(what: 'top' | 'callGraph' | 'flameGraph', rows: number): void {
    const ms = performance.now() - this.started[what];
    document.body.dataset[`${what}PaintMs`] = ms.toFixed(0);
    this.host.postMessage({ type: 'painted', what, ms, rows });
    // Graphviz loads only when a call graph is asked for, never ahead of need: in VS Code's browser
    // builds a webview closed or hidden while one of its resources still loads leaves that request
    // pending in the webview service worker for 30 s, and no new webview (the next panel, or this one
    // shown again) starts until then. A warm-up after the table painted did that in the e2e suite.
  }

  private applyTheme(): void {
    const palette = resolvePalette(document);
    this.graph.setPalette(palette);
    this.flame.setPalette(palette);
  }

  /**
   * onTabKey completes the WAI-ARIA tabs pattern on top of vscode-tabs (which moves focus with the
   * arrows and selects on Enter): Home and End reach the first and last tab, and the tab that gets
   * focus is shown at once (automatic activation; every tab renders quickly).
   */
  private onTabKey(e: KeyboardEvent): void {
    const header = (e.target as HTMLElement).closest?.('vscode-tab-header');
    if (!header) return;
    const headers = [...this.tabs.querySelectorAll<HTMLElement>('vscode-tab-header')];
    let index = headers.indexOf(header as HTMLElement);
    if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      index = e.key === 'Home' ? 0 : headers.length - 1;
    } else if (e.key === ' ') {
      e.preventDefault();
    } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      // vscode-tabs has already moved focus to the neighbour.
      index = headers.indexOf(document.activeElement as HTMLElement);
    } else {
      return;
    }
    const tab = TABS[index];
    if (!tab) return;
    this.showTab(tab.id);
    // Roving tabindex now, not after vscode-tabs' next render: an element without one cannot take focus.
    headers.forEach((h, k) => { h.tabIndex = k === index ? 0 : -1; });
    headers[index].focus();
  }

  private announce(text: string): void {
    // Cleared first so that the same text said twice is read twice.
    this.announcer.textContent = '';
    requestAnimationFrame(() => { this.announcer.textContent = text; });
  }

  private showError(message: string): void {
    this.errorBar.textContent = message;
    this.errorBar.hidden = false;
  }

  private hideError(): void {
    this.errorBar.hidden = true;
  }

  private saveState(): void {
    // At once: a click that opens a source hides this webview right away, and a hidden webview is
    // destroyed (views call this at most once per frame while scrolling or zooming).
    this.host.setState(this.state);
  }
}

function select(label: string, options: string[], value: string, onChange: (value: string) => void): HTMLElement {
  const box = selectBox(label, options.map((o) => [o, isolateName(o)]), value);
  box.addEventListener('change', () => {
    if (box.value !== value) onChange(box.value);
  });
  return h('label', { className: 'control' }, h('span', { className: 'control-label', text: label }), box);
}

