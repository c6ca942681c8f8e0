import * as l10n from '@vscode/l10n';
import type { FlameTree } from '../src/core/flamegraph';
import { formatPercent, formatSigned, formatSignedPercent, formatValue } from '../src/core/format';
import { clear, h, iconButton, selectBox, textField } from './dom';
import { type FlameKey, type FlameLayout, FlameModel, flameStep, hitTest, positionOf } from './flameLayout';
import type { NodeIdentity, PanelState } from './panelState';
import { sameNode } from './panelState';
import { type DiffPalette, type RGB, css, diffFill, mix, packageFill, readableText } from './theme';
import { tableFilterRegExp } from './topModel';

// The flame graph (an icicle: callers above callees) drawn on a canvas so 100k frames stay smooth:
// only frames at least half a pixel wide are laid out and painted, and hit testing is a binary search
// in the hovered row. Width and colour are explained in flameLayout.ts. Click zooms into a frame
// (and selects it for the peek pane); double-click opens its source; the search box highlights
// matching frames and reports their share of the zoomed frame.

/** FlameActions is what the flame graph asks of the panel. */
export interface FlameActions {
  select(id: NodeIdentity): void;
  openSource(id: NodeIdentity): void;
  stateChanged(): void;
  painted(frames: number): void;
  /** Asks the host for the tree along a zoom path, trimmed to frames at least `minFraction` of the zoomed one. */
  requestTree(zoom: NodeIdentity[], minFraction: number): void;
}

const ROW = 18;

// Visible and spoken strings of this view, in one place (read when used: after init set the language).
const TEXT = {
  canvas: () => l10n.t('Flame graph. Arrow keys move between frames (up: caller, down: callee, left and right: neighbours), Enter zooms into the focused frame, Shift+Enter opens its source, Escape resets the zoom'),
  reset: () => l10n.t('Reset zoom'),
  allSamples: () => l10n.t('all samples'),
  rootHint: () => l10n.t('click: reset zoom'),
  frameHint: () => l10n.t('click: zoom · double-click: open source'),
};

/** FlameView renders a FlameTree. */
export class FlameView {
  private model: FlameModel | undefined;
  private layout: FlameLayout | undefined;
  private zoom = 0;
  private matched: Uint8Array | undefined;
  private palette: DiffPalette | undefined;
  private selected: NodeIdentity | undefined;
  private hover = -1;
  /** The frame with keyboard focus (a frame index, -1 before the first key). */
  private focused = -1;
  private readonly focusText: HTMLDivElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly scroller: HTMLDivElement;
  private readonly tooltip: HTMLDivElement;
  private readonly status: HTMLSpanElement;
  private readonly widthBox: HTMLElement & { value: string };
  private readonly searchBox: HTMLElement & { value: string };
  private frame = 0;
  private pendingPaint = false;
  private fontFamily = 'monospace';

  constructor(root: HTMLElement, private readonly state: PanelState, private readonly actions: FlameActions) {
    this.widthBox = selectBox(l10n.t('Frame width — new: as wide as in the new profile, coloured by Δ; change: as wide as the growth plus shrinkage beneath it, coloured by net Δ'), [['new', l10n.t('width: new profile')], ['change', l10n.t('width: change (Σ|Δ|)')]], state.flame.width);
    this.widthBox.addEventListener('change', () => {
      this.state.flame.width = this.widthBox.value === 'change' ? 'change' : 'new';
      this.relayout();
      this.actions.stateChanged();
    });
    this.searchBox = textField('search', l10n.t('Highlight frames matching a regular expression'), state.flame.search, l10n.t('Search (regex)'));
    this.searchBox.addEventListener('input', () => {
      this.state.flame.search = this.searchBox.value;
      this.applySearch();
      this.draw();
      this.actions.stateChanged();
    });
    this.status = h('span', { className: 'muted' });
    root.append(h('div', { className: 'toolbar' }, this.widthBox, this.searchBox, iconButton('zoom-out', TEXT.reset(), () => this.zoomTo(0)), this.status));
    // The text alternative: the focused frame's values, read out when focus moves (and on demand
    // through aria-describedby).
    this.focusText = h('div', { className: 'sr-only', attrs: { id: 'flame-focus-text', role: 'status', 'aria-live': 'polite' } });
    this.canvas = h('canvas', { className: 'flame-canvas', attrs: { tabindex: '0', role: 'img', 'aria-label': TEXT.canvas(), 'aria-describedby': 'flame-focus-text' } });
    root.append(this.focusText);
    this.tooltip = h('div', { className: 'flame-tooltip', attrs: { role: 'tooltip', hidden: '' } });
    this.scroller = h('div', { className: 'flame-scroll' }, this.canvas, this.tooltip);
    root.append(this.scroller);
    this.canvas.addEventListener('mousemove', (e) => this.onMove(e));
    this.canvas.addEventListener('mouseleave', () => { this.hover = -1; this.tooltip.hidden = true; this.draw(); });
    this.canvas.addEventListener('click', (e) => this.onClick(e));
    this.canvas.addEventListener('dblclick', (e) => this.onDoubleClick(e));
    this.canvas.addEventListener('keydown', (e) => this.onKey(e));
    this.canvas.addEventListener('focus', () => { if (this.focused < 0) this.moveFocus(this.zoom); else this.draw(); });
    this.canvas.addEventListener('blur', () => this.draw());
    new ResizeObserver(() => this.relayout()).observe(this.scroller);
  }

  /** request asks for the tree of the remembered zoom, trimmed to what this canvas can draw. */
  request(): void {
    // A quarter pixel of the current width: still drawable when the panel is made twice as wide.
    this.actions.requestTree(this.state.flame.zoom, 0.25 / Math.max(800, this.scroller.clientWidth));
  }

  /** setTree shows a tree built for `zoom`, unless the user has zoomed elsewhere since it was asked for. */
  setTree(tree: FlameTree, zoom: NodeIdentity[]): void {
    const current = this.state.flame.zoom;
    if (zoom.length !== current.length || zoom.some((id, i) => !sameNode(id, current[i]))) return;
    // A refined tree (after a zoom) keeps the keyboard focus on the same frame, or its nearest
    // ancestor still drawn: otherwise Shift+Enter right after Enter or Escape would do nothing.
    const focusedPath = this.model && this.focused >= 0 ? this.model.path(this.focused) : undefined;
    this.model = new FlameModel(tree);
    this.focused = focusedPath ? this.model.findPath(focusedPath) : -1;
    this.widthBox.hidden = !tree.isDiff;
    this.zoom = this.model.findPath(this.state.flame.zoom);
    this.pendingPaint = true;
    this.relayout();
  }

  /** setPalette switches colours after a theme change. */
  setPalette(palette: DiffPalette): void {
    this.palette = palette;
    this.fontFamily = getComputedStyle(document.body).getPropertyValue('--vscode-editor-font-family').trim() || 'monospace';
    this.draw();
  }

  /** setSelected outlines the frames of a node chosen elsewhere. */
  setSelected(id: NodeIdentity | undefined): void {
    this.selected = id;
    this.draw();
  }

  /** frameCount is the number of frames currently drawn (for tests). */
  get drawnFrames(): number {
    return this.layout?.count ?? 0;
  }

  private zoomTo(frame: number): void {
    if (!this.model) return;
    this.zoom = frame;
    this.state.flame.zoom = this.model.path(frame);
    // Drawn at once from what is here; a trimmed tree is then refined for the new zoom by the worker.
    this.relayout();
    this.actions.stateChanged();
    if (this.model.tree.trim.minFraction > 0) this.request();
  }

  private relayout(): void {
    if (!this.model) return;
    const width = Math.max(100, this.scroller.clientWidth);
    this.layout = this.model.layout(this.state.flame.width, this.zoom, 0.5 / width);
    this.applySearch();
    this.draw();
  }

  private applySearch(): void {
    const model = this.model;
    const layout = this.layout;
    this.matched = undefined;
    this.status.textContent = '';
    if (!model || !layout) return;
    const { regex, error } = tableFilterRegExp(this.state.flame.search);
    if (!regex) return;
    const result = model.search(regex, layout, this.state.flame.width);
    this.matched = result.matched;
    const share = `${(result.share * 100).toFixed(1)}%`;
    this.status.textContent = `${error ? `${error}; ` : ''}${this.zoom === 0 ? l10n.t('matches {0} of the graph', share) : l10n.t('matches {0} of the zoomed frame', share)}`;
  }

  private draw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.paint();
    });
  }

  private paint(): void {
    const model = this.model;
    const layout = this.layout;
    const p = this.palette;
    if (!model || !layout || !p) return;
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(100, this.scroller.clientWidth);
    const height = (layout.maxDepth + 1) * ROW + 4;
    if (this.canvas.width !== Math.floor(width * ratio) || this.canvas.height !== Math.floor(height * ratio)) {
      this.canvas.width = Math.floor(width * ratio);
      this.canvas.height = Math.floor(height * ratio);
      this.canvas.style.width = `${width}px`;
      this.canvas.style.height = `${height}px`;
    }
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.font = `11px ${this.fontFamily}`;
    ctx.textBaseline = 'middle';
    const t = model.tree;
    const charWidth = ctx.measureText('m').width || 7;
    const zoomDepth = model.depth[this.zoom];
    for (let i = 0; i < layout.count; i++) {
      const f = layout.frame[i];
      const x = layout.x[i] * width;
      const w = layout.width[i] * width;
      const y = layout.depth[i] * ROW;
      let fill: RGB = t.isDiff ? diffFill(p, t.newCum[f] - t.baseCum[f], model.maxAbsDelta) : f === 0 ? p.neutral : packageFill(p, model.label(f));
      const dimmed = (this.matched && !this.matched[f]) || layout.depth[i] < zoomDepth;
      if (dimmed) fill = mix(fill, p.background, 0.55);
      ctx.fillStyle = css(fill);
      ctx.fillRect(x, y, Math.max(0.5, w - 1), ROW - 1);
      if (f === this.focused && document.activeElement === this.canvas) {
        // Keyboard focus: a thick ring in the theme's focus colour, drawn after the fill.
        ctx.strokeStyle = css(p.focus ?? p.foreground);
        ctx.lineWidth = 3;
        ctx.strokeRect(x + 1.5, y + 1.5, Math.max(0.5, w - 4), ROW - 4);
      }
      const outlined = f === this.hover || (this.selected && f > 0 && sameNode(this.selected, model.identity(f))) || (this.matched?.[f] ?? 0);
      if (outlined || p.highContrast) {
        ctx.strokeStyle = css(outlined ? p.foreground : p.border ?? p.foreground);
        ctx.lineWidth = outlined ? 2 : 1;
        ctx.strokeRect(x + 0.5, y + 0.5, Math.max(0.5, w - 2), ROW - 2);
      }
      if (w > 3 * charWidth) {
        const label = model.label(f);
        const fits = Math.floor((w - 6) / charWidth);
        ctx.fillStyle = css(readableText(fill));
        ctx.fillText(label.length > fits ? `${label.slice(0, Math.max(1, fits - 1))}…` : label, x + 3, y + ROW / 2);
      }
    }
    if (this.pendingPaint) {
      this.pendingPaint = false;
      this.canvas.dataset.frames = String(layout.count);
      this.actions.painted(layout.count);
    }
  }

  private frameAt(e: MouseEvent): number {
    if (!this.layout) return -1;
    const rect = this.canvas.getBoundingClientRect();
    const x = (e.clientX - rect.left) / Math.max(1, rect.width);
    const depth = Math.floor((e.clientY - rect.top) / ROW);
    const i = hitTest(this.layout, x, depth);
    return i < 0 ? -1 : this.layout.frame[i];
  }

  private onMove(e: MouseEvent): void {
    const f = this.frameAt(e);
    if (f !== this.hover) {
      this.hover = f;
      this.draw();
    }
    if (f < 0 || !this.model) {
      this.tooltip.hidden = true;
      return;
    }
    // One block per line: a name's bidi overrides end with its own line, never reach the numbers.
    clear(this.tooltip);
    for (const line of this.describe(f)) this.tooltip.append(h('div', { text: line }));
    this.tooltip.hidden = false;
    const box = this.scroller.getBoundingClientRect();
    const x = Math.min(e.clientX - box.left + 12, box.width - this.tooltip.offsetWidth - 4);
    this.tooltip.style.transform = `translate(${Math.max(0, x)}px, ${e.clientY - box.top + this.scroller.scrollTop + 14}px)`;
  }

  private describe(f: number): string[] {
    const model = this.model!;
    const t = model.tree;
    const id = model.identity(f);
    const where = id.line ? `${id.file}:${id.line}` : id.file;
    const lines = [f === 0 ? TEXT.allSamples() : id.name || where, ...(f !== 0 && id.name && where ? [where] : [])];
    const v = (x: number) => formatValue(x, t.unit);
    if (t.isDiff) {
      const delta = t.newCum[f] - t.baseCum[f];
      lines.push(l10n.t('base {0} → new {1}', v(t.baseCum[f]), v(t.newCum[f])), l10n.t('Δ {0} ({1}), {2} of the base total', formatSigned(delta, t.unit), formatSignedPercent(delta, t.baseCum[f]), formatPercent(delta, t.total).trim()));
      const selfDelta = t.newSelf[f] - t.baseSelf[f];
      if (t.newSelf[f] || t.baseSelf[f]) lines.push(l10n.t('self {0} → {1} ({2})', v(t.baseSelf[f]), v(t.newSelf[f]), formatSigned(selfDelta, t.unit)));
    } else {
      const share = `${v(t.newCum[f])} (${formatPercent(t.newCum[f], t.total).trim()})`;
      lines.push(t.newSelf[f] ? l10n.t('{0}, self {1}', share, v(t.newSelf[f])) : share);
    }
    lines.push(f === 0 ? TEXT.rootHint() : TEXT.frameHint());
    return lines;
  }

  private onKey(e: KeyboardEvent): void {
    const layout = this.layout;
    if (!layout || !this.model) return;
    const arrows: readonly string[] = ['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight'];
    if (arrows.includes(e.key)) {
      const from = positionOf(layout, this.focused);
      const to = from < 0 ? positionOf(layout, this.zoom) : flameStep(layout, from, e.key as FlameKey);
      if (to >= 0) this.moveFocus(layout.frame[to]);
    } else if (e.key === 'Enter' && this.focused >= 0) {
      if (e.shiftKey) {
        if (this.focused > 0) this.actions.openSource(this.model.identity(this.focused));
      } else {
        this.zoomTo(this.focused);
        if (this.focused > 0) {
          this.selected = this.model.identity(this.focused);
          this.actions.select(this.selected);
        }
      }
    } else if (e.key === 'Escape' && this.zoom !== 0) {
      this.zoomTo(0);
    } else {
      return;
    }
    e.preventDefault();
  }

  /** moveFocus gives a frame the keyboard focus: ring, scroll into view, and its values read out. */
  private moveFocus(frame: number): void {
    this.focused = frame;
    const layout = this.layout;
    const i = layout ? positionOf(layout, frame) : -1;
    if (layout && i >= 0) {
      const y = layout.depth[i] * ROW;
      if (y < this.scroller.scrollTop) this.scroller.scrollTop = y;
      else if (y + ROW > this.scroller.scrollTop + this.scroller.clientHeight) this.scroller.scrollTop = y + ROW - this.scroller.clientHeight;
    }
    this.focusText.textContent = this.describe(frame).slice(0, -1).join(', ');
    this.canvas.dataset.focusedFrame = String(frame);
    this.draw();
  }

  private onClick(e: MouseEvent): void {
    const f = this.frameAt(e);
    if (f < 0 || !this.model) return;
    this.zoomTo(f);
    if (f > 0) {
      this.selected = this.model.identity(f);
      this.actions.select(this.selected);
    }
  }

  private onDoubleClick(e: MouseEvent): void {
    const f = this.frameAt(e);
    if (f > 0 && this.model) this.actions.openSource(this.model.identity(f));
  }
}
