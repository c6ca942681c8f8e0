// README screenshots, regenerated from the real extension so they never go stale:
//   npm run screenshots        (= bash scripts/e2e/run.sh scripts/screenshots.mjs, under the e2e lock)
// Runs in the e2e harness (code-server + headless Chromium, test/e2e/vscode.mjs) on the e2e
// workspace: compares the `bodies` scenario, and captures a short series from the fixtures' leaky Go
// service (built here, needs `go`) for the trend. Each view is shot in Light and Dark Modern at
// 1280×800 and written to media/screenshots/<view>-<theme>.png, reduced to a 256-colour palette
// by pngquant when it is installed (`apt-get install pngquant`; a UI screenshot loses nothing
// visible and the file shrinks to about a third), else kept as Chromium wrote it (said loudly).
import { after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { env, session } from '../test/e2e/vscode.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'media', 'screenshots');
const GOOD = 'profiles/bodies/good_heap.prof';
const BAD = 'profiles/bodies/bad_heap.prof';
const SERIES = '.heaplens';
const THEMES = [['light', 'Light Modern', 'vs'], ['dark', 'Dark Modern', 'vs-dark']];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const has = (cmd) => { try { execFileSync(cmd, ['--version'], { stdio: 'ignore' }); return true; } catch { return false; } };
const PNGQUANT = has('pngquant');

describe('README screenshots', () => {
  const vsc = session('screenshots', { viewport: { width: 1280, height: 800 } });
  let service;
  let work = '';
  let series = [];

  // A real series for the trend: the fixtures' leaky service, captured 4 times with the CLI.
  before(async () => {
    if (!PNGQUANT) console.warn('screenshots: pngquant not found — PNGs are written as Chromium makes them (about 3× larger)');
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'heaplens-shots-'));
    const binary = path.join(work, 'leakyservice');
    execFileSync('go', ['build', '-o', binary, '.'], { cwd: path.join(env.fixtures, 'go', 'leakyservice'), stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });
    service = spawn(binary, ['-addr', '127.0.0.1:0', '-duration', '120s', '-leak-every', '50ms'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const address = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('leakyservice did not say where it listens within 10 s')), 10_000);
      let out = '';
      service.stdout.on('data', (d) => {
        out += String(d);
        const m = /^listening on (127\.0\.0\.1:\d+)$/m.exec(out);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      });
    });
    const dir = path.join(env.workspace, SERIES);
    execFileSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'capture', '--count', '4', '--interval', '1', '--gc', '--heap-only', '--out', dir, address], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 60_000 });
    series = fs.readdirSync(dir).filter((f) => f.endsWith('.pb.gz')).sort().map((f) => `${SERIES}/${f}`);
    assert.ok(series.length >= 3, `captured ${series.length} profiles`);
    fs.mkdirSync(OUT, { recursive: true });
  }, { timeout: 180_000 });

  after(() => {
    service?.kill('SIGTERM');
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  /** save writes one README screenshot (of the whole window, or of `clip`), palette-reduced when possible. */
  async function save(name, clip) {
    const file = path.join(OUT, `${name}.png`);
    const raw = PNGQUANT ? path.join(work, `${name}.raw.png`) : file;
    await vsc.page.screenshot({ path: raw, ...(clip ? { clip } : {}) });
    if (PNGQUANT) execFileSync('pngquant', ['--speed', '1', '--strip', '--force', '--output', file, '256', raw]);
    console.log(`screenshots: ${path.relative(ROOT, file)} ${(fs.statSync(file).size / 1024).toFixed(0)} KB`);
  }

  async function setTheme(label, cls) {
    await vsc.runCommand('Preferences: Color Theme');
    const input = vsc.page.locator('.quick-input-widget .quick-input-box input');
    await input.fill(label);
    await vsc.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', {
      has: vsc.page.locator('.label-name', { hasText: new RegExp(`^\\s*${label}\\s*$`) }),
    }).first().click();
    await vsc.page.waitForFunction((c) => document.querySelector('.monaco-workbench')?.classList.contains(c), cls, { timeout: 20_000 });
    await sleep(1000); // webviews re-theme on their next frame
  }

  /** sidebar shows or hides the primary side bar (panel and trend shots get the whole width). */
  async function sidebar(visible) {
    const shown = await vsc.page.locator('.part.sidebar').isVisible();
    if (shown !== visible) await vsc.runCommand('View: Toggle Primary Side Bar Visibility');
    await vsc.page.locator('.part.sidebar').waitFor({ state: visible ? 'visible' : 'hidden' });
  }

  const web = () => vsc.webview();
  const tab = async (title) => {
    await web().locator('vscode-tab-header', { hasText: title }).click();
  };

  vsc.step('compare the bodies scenario (bad_heap.prof against good_heap.prof)', async () => {
    await vsc.open();
    await vsc.waitForView('Heap Hotspots');
    await vsc.selectInExplorer(GOOD, BAD);
    await vsc.contextMenu(await vsc.explorerItem(BAD), 'Compare Profiles');
    await vsc.statusItem('bad_heap.prof vs good_heap.prof').first().waitFor({ timeout: 30_000 });
    await vsc.page.locator('.notification-toast .codicon-notifications-clear, .notification-toast .codicon-close').first().click().catch(() => {});
  }, { timeout: 120_000 });

  for (const [theme, label, cls] of THEMES) {
    vsc.step(`${theme}: comparison with annotations (tree, annotated line, hover)`, async () => {
      await setTheme(label, cls);
      await vsc.runCommand('View: Close All Editors');
      await sidebar(true);
      await vsc.showFolders(false); // room for the tree
      await vsc.expandView('Heap Hotspots');
      const rows = await vsc.viewRowTexts('Heap Hotspots');
      await vsc.viewRow('Heap Hotspots', rows[1].description).first().click(); // the first finding: the user's line
      await vsc.waitForAfterDecoration('inuse');
      const line = vsc.page.locator('.editor-group-container.active .view-line', { hasText: 'buf.ReadFrom(r.Body)' }).first();
      await line.locator('span', { hasText: 'ReadFrom' }).first().hover();
      await vsc.page.locator('.monaco-hover:not(.hidden)', { hasText: 'Top call paths through this line' }).first().waitFor();
      await save(`comparison-${theme}`);
      await vsc.page.keyboard.press('Escape');
    });

    vsc.step(`${theme}: the panel — Diagnosis and Top`, async () => {
      await vsc.runCommand('View: Close All Editors');
      await vsc.runCommand('heaplens: Show Comparison Panel');
      await sidebar(false);
      await web().locator('.top-rows .top-row .source-link').first().waitFor({ timeout: 30_000 });
      await tab('Top');
      await web().locator('section.findings h2').waitFor();
      await sleep(500);
      await save(`diagnosis-top-${theme}`);
    });

    vsc.step(`${theme}: the call graph`, async () => {
      await tab('Call graph');
      await web().locator('.graph-node', { hasText: 'readBody' }).first().waitFor({ timeout: 30_000 });
      // The fitted chain of nine nodes is small: zoom in twice (keyboard, around the centre).
      await web().locator('.graph-canvas').focus();
      for (let i = 0; i < 2; i++) await vsc.page.keyboard.press('+');
      await sleep(500);
      await save(`call-graph-${theme}`);
    });

    vsc.step(`${theme}: the flame graph`, async () => {
      await tab('Flame graph');
      await web().locator('canvas.flame-canvas[data-frames]').waitFor({ timeout: 30_000 });
      await sleep(500);
      await save(`flame-graph-${theme}`);
      await tab('Top'); // the next theme starts from the Top tab
    });

    vsc.step(`${theme}: the trend of a captured series`, async () => {
      await vsc.runCommand('View: Close All Editors');
      await sidebar(true);
      await vsc.showFolders(true);
      await vsc.selectInExplorer(...series);
      await vsc.contextMenu(await vsc.explorerItem(series[series.length - 1]), 'Show Trend Across Profiles');
      // Selecting the files opened one in heaplens' editor: keep only the trend, full width.
      const trendTab = vsc.page.locator('.tabs-container .tab', { hasText: 'Growth Trend' }).first();
      await trendTab.waitFor();
      await trendTab.click();
      await vsc.runCommand('View: Close Editors in Other Groups');
      await sidebar(false);
      await web().locator('#suspects tbody tr').first().waitFor({ timeout: 30_000 });
      await sleep(500);
      // The view is short: keep the window down to just below its content.
      const frame = await vsc.page.locator('iframe.webview.ready').filter({ visible: true }).first().boundingBox();
      const bottom = await web().locator('#trend').evaluate((e) => e.getBoundingClientRect().bottom);
      const height = Math.min(800, Math.ceil((frame?.y ?? 0) + bottom + 24));
      await save(`trend-${theme}`, { x: 0, y: 0, width: 1280, height });
    });
  }
});
