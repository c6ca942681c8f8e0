import type {
  MemoryTrendView, TrendFromWebview, TrendLabels, TrendPart, TrendRow, TrendToWebview, TrendViewModel,
} from '../../src/protocol/trend';
import { isolateName } from '../../src/core/text/nameDisplay';
import './trend.css';

// The trend view: suspects with SVG sparklines, built with DOM calls only — function names and
// paths are data and go in through textContent, never through innerHTML.

declare function acquireVsCodeApi(): {
  postMessage(message: TrendFromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
};

const vscode = acquireVsCodeApi();
const SVG = 'http://www.w3.org/2000/svg';
const root = document.getElementById('trend')!;

window.addEventListener('message', (event: MessageEvent<TrendToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'show':
      vscode.setState(message.model);
      render(message.model);
      break;
  }
});

// Keyboard: the frame links are buttons (Tab, Enter, Space); Up and Down move between them, Home
// and End to the first and last, so a long list of sites does not take a Tab press per link.
root.addEventListener('keydown', (e) => {
  const target = e.target as HTMLElement;
  if (!target.matches('button.frame')) return;
  const buttons = [...root.querySelectorAll<HTMLButtonElement>('button.frame')];
  const at = buttons.indexOf(target as HTMLButtonElement);
  const to: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: buttons.length - 1 };
  if (!(e.key in to)) return;
  buttons[Math.max(0, Math.min(buttons.length - 1, to[e.key]))].focus();
  e.preventDefault();
});

const saved = vscode.getState() as TrendViewModel | undefined;
// A model saved by an older version has no labels or parts: wait for the host's.
if (saved?.labels && saved.parts) render(saved);
vscode.postMessage({ type: 'ready' });

function render(model: TrendViewModel): void {
  const text = model.labels;
  document.documentElement.lang = text.language;
  const parts: Node[] = [];
  if (model.parts.length === 1) {
    // One kind: its title is the page's, its tables' headings are h2 (as before goroutines joined).
    const part = model.parts[0];
    const header = el('header');
    header.append(el('h1', part.title), el('p', part.subtitle, 'subtitle'));
    parts.push(header, ...partBody(part, text, 2));
  } else {
    parts.push(el('header'));
    (parts[0] as HTMLElement).append(el('h1', model.title));
    for (const part of model.parts) {
      const s = el('section', undefined, 'part');
      s.id = part.kind;
      s.append(el('h2', part.title), el('p', part.subtitle, 'subtitle'), ...partBody(part, text, 3));
      parts.push(s);
    }
  }
  if (model.memory) parts.push(memorySection(model.memory, text));
  root.replaceChildren(...parts);
}

/** partBody is one kind's note, suspects, risers and profile list; table ids carry the kind ("goroutine-suspects"). */
function partBody(part: TrendPart, text: TrendLabels, level: 2 | 3): Node[] {
  const prefix = part.kind === 'goroutines' ? 'goroutine-' : '';
  const out: Node[] = [];
  if (part.note) out.push(el('p', part.note, 'note'));
  if (part.suspects.length > 0) out.push(section(part.headings.suspects, part.suspects, `${prefix}suspects`, text, level));
  if (part.risers.length > 0) out.push(section(part.suspects.length > 0 ? part.headings.otherRisers : part.headings.risers, part.risers, `${prefix}risers`, text, level));
  if (part.suspects.length === 0 && part.risers.length === 0) out.push(el('p', part.headings.noGrowth, 'note'));
  out.push(snapshots(part.snapshots, part.headings.profiles));
  return out;
}

function section(title: string, rows: TrendRow[], id: string, text: TrendLabels, level: 2 | 3): HTMLElement {
  const s = el('section');
  s.id = id;
  const table = el('table');
  const head = el('tr');
  for (const h of text.columns) head.append(el('th', h));
  table.append(el('thead'), el('tbody'));
  table.tHead!.append(head);
  rows.forEach((row, i) => table.tBodies[0].append(rowElement(row, i + 1, text)));
  s.append(el(level === 2 ? 'h2' : 'h3', title), table);
  return s;
}

/** memorySection is the MemStats table: Sys, stacks and live heap with a sparkline and a slope each. */
function memorySection(memory: MemoryTrendView, text: TrendLabels): HTMLElement {
  const s = el('section');
  s.id = 'memory';
  const table = el('table');
  const head = el('tr');
  for (const h of text.memoryColumns) head.append(el('th', h));
  table.append(el('thead'), el('tbody'));
  table.tHead!.append(head);
  for (const row of memory.rows) {
    const tr = el('tr');
    const spark = el('td', undefined, 'spark');
    spark.append(sparkline(row.series, `${row.label}: ${text.series}`), el('div', row.range, 'range'));
    tr.append(el('th', row.label, 'what'), spark, el('td', row.slope, 'slope'));
    tr.firstElementChild!.setAttribute('scope', 'row');
    table.tBodies[0].append(tr);
  }
  s.append(el('h2', memory.title), table);
  return s;
}

function rowElement(row: TrendRow, rank: number, text: TrendLabels): HTMLTableRowElement {
  const tr = el('tr', undefined, row.suspect ? 'suspect' : 'riser');
  const where = el('td', undefined, 'where');
  const link = el('button', row.userFrame.function, 'frame');
  link.type = 'button';
  link.title = `${isolateName(row.userFrame.function)} ${isolateName(row.userFrame.file)}:${row.userFrame.line}`;
  link.addEventListener('click', () => open(row.userFrame.file, row.userFrame.line));
  where.append(link, el('span', ` ${baseName(row.userFrame.file)}:${row.userFrame.line}`, 'location'));
  if (row.site) {
    const site = el('div', undefined, 'site');
    const siteLink = el('button', row.site.function, 'frame secondary');
    siteLink.type = 'button';
    siteLink.title = `${isolateName(row.site.function)} ${isolateName(row.site.file)}:${row.site.line}`;
    siteLink.addEventListener('click', () => open(row.site!.file, row.site!.line));
    site.append(`${text.allocatesIn} `, siteLink, el('span', ` ${baseName(row.site.file)}:${row.site.line}`, 'location'));
    where.append(site);
  }
  const spark = el('td', undefined, 'spark');
  spark.append(sparkline(row.series, text.series), el('div', row.range, 'range'));
  const slope = el('td', undefined, 'slope');
  slope.append(el('div', row.slope, 'rate'), el('div', row.steadiness, 'steady'));
  tr.append(el('td', String(rank), 'rank'), where, spark, slope);
  return tr;
}

/** sparkline draws the series as an SVG polyline scaled to its own min..max. */
function sparkline(series: number[], label: string): SVGSVGElement {
  const w = 100;
  const h = 28;
  const pad = 3;
  const min = Math.min(...series);
  const max = Math.max(...series);
  const x = (i: number): number => pad + (series.length > 1 ? (i * (w - 2 * pad)) / (series.length - 1) : (w - 2 * pad) / 2);
  const y = (v: number): number => (max === min ? h / 2 : h - pad - ((v - min) * (h - 2 * pad)) / (max - min));
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  svg.setAttribute('width', String(w));
  svg.setAttribute('height', String(h));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  const points = series.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('points', points);
  line.setAttribute('class', 'line');
  const dot = document.createElementNS(SVG, 'circle');
  dot.setAttribute('cx', x(series.length - 1).toFixed(1));
  dot.setAttribute('cy', y(series[series.length - 1]).toFixed(1));
  dot.setAttribute('r', '2.5');
  dot.setAttribute('class', 'last');
  svg.append(line, dot);
  return svg;
}

function snapshots(names: string[], summary: string): HTMLElement {
  const details = el('details');
  const list = el('ol');
  for (const n of names) list.append(el('li', n));
  details.append(el('summary', summary), list);
  return details;
}

function open(file: string, line: number): void {
  vscode.postMessage({ type: 'openSource', file, line });
}

function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}
