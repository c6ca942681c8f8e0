import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { aggregateDiff } from '../../src/core/aggregate';
import { nodeStrings, topColumns } from '../../src/core/topColumns';
import { synthComparison } from './panel';

// The panel's budget measured where it is spent: the built webview bundle (dist/webview.js) in
// headless Chromium, fed a 100k-row comparison view the way the host sends it. Reports the time from
// the view message to the first painted rows (what the panel itself records), then a sort by a
// column header click and a filter keystroke, each until the next frame is painted.
//
//   npm run build && node --import tsx test/bench/panelBrowser.ts [--nodes 100000]

const args = process.argv.slice(2);
const nodes = Number(args[args.indexOf('--nodes') + 1] || 100_000);
const ROOT = join(__dirname, '../..');

// The page's globals, as the functions passed to page.evaluate see them (this file is type-checked
// for Node, without the DOM library).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Page = any;

async function main(): Promise<void> {
  const { base, target } = synthComparison(nodes, 4 * nodes);
  const agg = aggregateDiff({ base, target }, { sampleIndex: 'inuse_space' });
  const top = topColumns(agg, nodeStrings(agg.nodes));
  // Playwright passes plain JSON: the panel's normaliser turns the arrays back into typed arrays,
  // which only adds to the time measured.
  const plain = JSON.parse(JSON.stringify(top, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v)));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--headless'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const css = readFileSync(join(ROOT, 'media/panel.css'), 'utf8');
    const script = readFileSync(join(ROOT, 'dist/webview.js'), 'utf8');
    await page.setContent(`<!DOCTYPE html><html><head><style>${css}</style></head><body class="vscode-dark"><div id="app"></div></body></html>`);
    await page.evaluate(() => {
      (globalThis as Page).acquireVsCodeApi = () => ({ postMessage() {}, getState() { return undefined; }, setState() {} });
    });
    await page.addScriptTag({ content: script });
    await page.evaluate((top) => {
      const w = globalThis as Page;
      const session = { mode: 'comparison', title: 'bench', newName: 'new', baseName: 'base', newUri: 'file:///new', baseUri: 'file:///base', sampleTypes: [{ type: 'inuse_space', unit: 'bytes' }], sampleType: 'inuse_space', granularity: 'functions', filters: {}, summary: { totals: [], newProfile: { name: 'new', format: 'pprof-proto', gzipped: true, timeNanos: 0, durationNanos: 0, period: 0, periodType: '', samples: 0, comments: [] } }, findings: [] };
      w.dispatchEvent(new w.MessageEvent('message', { data: { type: 'init', session, graphvizScript: '' } }));
      w.dispatchEvent(new w.MessageEvent('message', { data: { type: 'view', generation: 1, top } }));
    }, plain);
    await page.waitForFunction(() => (globalThis as Page).document.body.dataset.topPaintMs !== undefined, undefined, { timeout: 30_000 });
    const paint = Number(await page.evaluate(() => (globalThis as Page).document.body.dataset.topPaintMs));
    await page.waitForTimeout(1000); // a person reads the first rows before clicking (labels warm meanwhile)
    const untilPainted = (action: string) => page.evaluate(async (what) => {
      const w = globalThis as Page;
      const t = performance.now();
      if (what === 'sort') w.document.querySelector('.top-header [data-column="cum"]').click();
      else {
        const input = w.document.querySelector('.tab-top vscode-textfield').shadowRoot.querySelector('input');
        input.value = 'Handler1';
        input.dispatchEvent(new w.Event('input', { bubbles: true, composed: true }));
      }
      const handled = performance.now() - t;
      await new Promise((r) => w.requestAnimationFrame(() => w.requestAnimationFrame(r)));
      return [handled, performance.now() - t];
    }, action);
    const [sortHandled, sort] = await untilPainted('sort');
    const [filterHandled, filter] = await untilPainted('filter');
    const rows = await page.locator('.top-rows .top-row:not([hidden])').count();
    console.log(`panel in Chromium, ${top.count} rows: first rows painted ${paint} ms after the view message; sort by cum ${sortHandled.toFixed(0)} ms (${sort.toFixed(0)} ms to the next painted frame); filter keystroke ${filterHandled.toFixed(0)} ms (${filter.toFixed(0)} ms to the next painted frame); ${rows} row elements in the DOM`);
  } finally {
    await browser.close();
  }
}

void main();
