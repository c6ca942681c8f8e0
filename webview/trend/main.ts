import type { TrendFromWebview, TrendLabels, TrendRow, TrendToWebview, TrendViewModel } from '../../src/protocol/trend';
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

const saved = vscode.getState() as TrendViewModel | undefined;
// A model saved by an older version has no labels: wait for the host's.
if (saved?.labels) render(saved);
vscode.postMessage({ type: 'ready' });

function render(model: TrendViewModel): void {
  const text = model.labels;
  document.documentElement.lang = text.language;
  const header = el('header');
  header.append(el('h1', model.title), el('p', model.subtitle, 'subtitle'));
  const parts: Node[] = [header];
  if (model.note) parts.push(el('p', model.note, 'note'));
  if (model.suspects.length > 0) parts.push(section(text.suspects, model.suspects, 'suspects', text));
  if (model.risers.length > 0) parts.push(section(model.suspects.length > 0 ? text.otherRisers : text.risers, model.risers, 'risers', text));
  if (model.suspects.length === 0 && model.risers.length === 0) parts.push(el('p', text.noGrowth, 'note'));
  parts.push(snapshots(model.snapshots, text));
  root.replaceChildren(...parts);
}

function section(title: string, rows: TrendRow[], id: string, text: TrendLabels): HTMLElement {
  const s = el('section');
  s.id = id;
  const table = el('table');
  const head = el('tr');
  for (const h of text.columns) head.append(el('th', h));
  table.append(el('thead'), el('tbody'));
  table.tHead!.append(head);
  rows.forEach((row, i) => table.tBodies[0].append(rowElement(row, i + 1, text)));
  s.append(el('h2', title), table);
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

function snapshots(names: string[], text: TrendLabels): HTMLElement {
  const details = el('details');
  const list = el('ol');
  for (const n of names) list.append(el('li', n));
  details.append(el('summary', text.profiles), list);
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
