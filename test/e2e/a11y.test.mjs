// Keyboard and screen readers in a real VS Code: a keyboard-only walk through the Heap Hotspots tree,
// the panel's tabs (WAI-ARIA: arrows, Home/End), the Top table (header sort with Enter, rows by
// arrows with the selection read out, Enter on a row button does that button's action), Peek
// (Enter opens the source), the call graph (arrows pan, + zooms, Enter on a node opens its source)
// and the flame graph (arrows move between frames, read out; Enter zooms; Shift+Enter opens the
// source). axe-core runs inside the panel's webview in the light, dark and high-contrast themes
// and fails on serious or critical violations. Screenshots: test/e2e/shots/a11y/.
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { env, session } from './vscode.mjs';

const GOOD = 'profiles/bodies/good_heap.prof';
const BAD = 'profiles/bodies/bad_heap.prof';
const PANEL = 'heap: bad_heap.prof vs good_heap.prof';
const scenario = JSON.parse(fs.readFileSync(path.join(env.fixtures, 'scenarios.json'), 'utf8')).find((s) => s.name === 'bodies');
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('keyboard and screen readers', () => {
  const vsc = session('a11y', { viewport: { width: 1600, height: 1000 } });
  const web = () => vsc.webview();
  const key = (k) => vsc.page.keyboard.press(k);

  /** frame: the panel's content frame as a Playwright Frame (to evaluate in it). */
  async function frame() {
    const outer = await vsc.page.locator('iframe.webview.ready').filter({ visible: true }).first().elementHandle();
    const host = await outer.contentFrame();
    return (await host.locator('#active-frame').elementHandle()).contentFrame();
  }

  /** focused describes the webview's focused element: tag, classes, a few attributes, its text. */
  async function focused() {
    return (await frame()).evaluate(() => {
      const el = document.activeElement;
      return el ? { tag: el.tagName.toLowerCase(), cls: el.getAttribute('class') ?? '', tab: el.getAttribute('data-tab') ?? '', column: el.getAttribute('data-column') ?? '', action: el.getAttribute('data-action') ?? '', text: (el.textContent ?? '').trim().slice(0, 80), selected: el.getAttribute('aria-selected'), label: el.getAttribute('aria-label') ?? '', inPeek: !!el.closest('aside.peek') } : null;
    });
  }

  /** tabTo presses Tab until the focused element matches `ok` (at most `max` presses). */
  async function tabTo(ok, what, max = 60) {
    for (let i = 0; i < max; i++) {
      const f = await focused();
      if (f && ok(f)) return f;
      await key('Tab');
    }
    throw new Error(`Tab never reached ${what}; focus is on ${JSON.stringify(await focused())}`);
  }

  /** focusPanel puts keyboard focus at the start of the panel (a click on its title, which is not a control). */
  async function focusPanel() {
    await web().locator('.panel-header h1').click();
    await (await frame()).evaluate(() => document.activeElement?.blur());
  }

  /**
   * sourceOpened waits until Go to Source ran: an editor other than the panel became active, or
   * heaplens offered to locate a file this workspace does not have (a standard-library frame).
   */
  async function sourceOpened() {
    await vsc.page.waitForFunction(() => {
      const active = document.querySelector('.editor-group-container.active .tab.active')?.textContent ?? '';
      const toasts = [...document.querySelectorAll('.notifications-toasts .notification-list-item-message')].map((n) => n.textContent);
      return (active && !active.includes('heap:')) || toasts.some((t) => /not in this workspace|names no source file/.test(t));
    }, null, { timeout: 20_000 });
  }

  /** backToPanel brings the comparison panel back to the front (moving between editors is not the panel's job). */
  async function backToPanel() {
    await vsc.tab(PANEL).first().click();
    await web().locator('.panel-header h1').waitFor({ timeout: 30_000 });
  }

  async function setTheme(theme) {
    await vsc.runCommand('Preferences: Color Theme');
    const input = vsc.page.locator('.quick-input-widget .quick-input-box input');
    await input.fill(theme);
    await key('Enter');
    const cls = /High Contrast/.test(theme) ? 'hc-black' : /Light/.test(theme) ? 'vs' : 'vs-dark';
    await vsc.page.waitForFunction((c) => document.querySelector('.monaco-workbench')?.classList.contains(c), cls, { timeout: 20_000 });
    await sleep(800);
  }

  /** axe runs axe-core in the panel and returns its serious and critical violations. */
  async function axe() {
    const f = await frame();
    if (!(await f.evaluate(() => 'axe' in window))) await f.evaluate(AXE);
    const violations = await f.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`) })));
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  }

  vsc.step('compares the bodies scenario', async () => {
    await vsc.open();
    await vsc.waitForView('Heap Hotspots');
    await vsc.selectInExplorer(GOOD, BAD);
    await vsc.contextMenu(await vsc.explorerItem(BAD), 'Compare Profiles');
    await vsc.statusItem('bad_heap.prof vs good_heap.prof').first().waitFor({ timeout: 30_000 });
    await vsc.runCommand('View: Close All Editors');
  }, { timeout: 240_000 });

  vsc.step('tree: the Findings row reads its label; arrows reach a hotspot and Enter opens its source', async () => {
    const findings = vsc.view('Heap Hotspots').locator('.monaco-list-row', { hasText: 'Findings' }).first();
    await findings.waitFor();
    assert.match(await findings.getAttribute('aria-label'), /^Findings, \d+ stands? out/);
    await vsc.runCommand('Explorer: Focus on Heap Hotspots View');
    const row = vsc.view('Heap Hotspots').locator('.monaco-list-row[aria-level="1"]', { hasText: scenario.site.function }).first();
    for (let i = 0; i < 20 && !(await row.evaluate((r) => r.classList.contains('focused'))); i++) await key('ArrowDown');
    await key('Enter');
    await vsc.activeTab(path.basename(scenario.site.file)).waitFor();
    await vsc.waitForCursor(scenario.site.line, 1);
  }, { timeout: 150_000 });

  vsc.step('panel tabs: arrows, Home and End move and select (WAI-ARIA tabs)', async () => {
    await vsc.runCommand('heaplens: Show Comparison Panel');
    await vsc.tab(PANEL).first().waitFor();
    await web().locator('.top-rows .top-row .source-link').first().waitFor({ timeout: 30_000 });
    await focusPanel();
    let f = await tabTo((x) => x.tag === 'vscode-tab-header', 'the selected tab');
    assert.equal(f.selected, 'true', 'only the selected tab is in the Tab order (roving tabindex)');
    await key('End');
    f = await focused();
    assert.equal(f.text, 'Flame graph');
    assert.equal(f.selected, 'true');
    await key('Home');
    assert.equal((await focused()).text, 'Summary');
    await web().locator('.tab-summary h2').first().waitFor();
    await key('ArrowRight');
    f = await focused();
    assert.equal(f.text, 'Top');
    assert.equal(f.selected, 'true');
  }, { timeout: 150_000 });

  vsc.step('Top table: one Tab stop; Up reaches the headers, Enter sorts one; arrows select rows and the selection is read out', async () => {
    await tabTo((x) => x.cls.includes('top-scroll'), 'the table');
    // The headers are cells of the grid, not Tab stops: Up from the first row reaches the sorted column's.
    await key('Home');
    await key('ArrowUp');
    assert.equal((await focused()).column, 'flat', 'Up from the first row focuses the sorted column\'s header');
    await key('End');
    await key('ArrowLeft');
    await key('ArrowLeft');
    assert.equal((await focused()).column, 'delta');
    await key('Enter');
    assert.equal(await web().locator('.top-header [data-column="delta"]').getAttribute('aria-sort'), 'descending');
    assert.equal((await focused()).column, 'delta', 'focus stays on the header after sorting');
    await key(' ');
    assert.equal(await web().locator('.top-header [data-column="delta"]').getAttribute('aria-sort'), 'ascending');
    await key('Enter');
    await key('ArrowDown'); // back to the rows
    assert.ok((await focused()).cls.includes('top-scroll'), 'Down from a header returns to the grid');
    await key('Home');
    const live = web().locator('.panel > [role="status"]');
    await live.filter({ hasText: /row 1 of \d+/ }).waitFor();
    const grid = web().locator('.top-scroll');
    const active = await grid.getAttribute('aria-activedescendant');
    assert.ok(active && (await web().locator(`#${active}`).getAttribute('aria-selected')) === 'true', 'aria-activedescendant names the selected row');
    await key('ArrowDown');
    await live.filter({ hasText: /row 2 of \d+/ }).waitFor();
    await key('Home');
    await live.filter({ hasText: /row 1 of \d+/ }).waitFor();
  }, { timeout: 150_000 });

  vsc.step('Top table: Enter on a row\'s "Focus" button filters (it does not open the selected row\'s source)', async () => {
    await tabTo((x) => x.action === 'focus', 'the selected row\'s Focus button');
    await key('Enter');
    await web().locator('.filter-chips .chip', { hasText: 'focus:' }).waitFor();
    assert.ok(await vsc.tab(PANEL).first().evaluate((t) => t.classList.contains('active')), 'the panel is still the active editor');
    await web().locator('.top-rows .top-row').first().waitFor();
    await focusPanel();
    await tabTo((x) => x.label === 'Remove the focus filter', 'the chip\'s remove button');
    await key('Enter');
    await web().locator('.filter-chips .chip').waitFor({ state: 'detached' });
  }, { timeout: 150_000 });

  vsc.step('Peek: a caller link opens its source with Enter', async () => {
    await web().locator('aside.peek .peek-title').waitFor();
    const link = await tabTo((x) => x.inPeek && x.tag === 'a' && x.cls === 'source-link', 'a Peek caller link');
    assert.ok(link.text, 'the link has a name');
    await key('Enter');
    await sourceOpened();
    await backToPanel();
  }, { timeout: 150_000 });

  vsc.step('call graph: arrows pan, + zooms, a node opens its source with Enter', async () => {
    await web().locator('.top-rows .top-row').first().waitFor({ timeout: 30_000 });
    await focusPanel();
    await tabTo((x) => x.tag === 'vscode-tab-header', 'the tabs');
    await key('ArrowRight');
    assert.equal((await focused()).text, 'Call graph');
    await web().locator('.graph-node').first().waitFor({ timeout: 30_000 });
    await tabTo((x) => x.cls.includes('graph-canvas'), 'the graph area');
    const transform = () => web().locator('.graph-viewport').getAttribute('transform');
    const before = await transform();
    await key('+');
    const zoomed = await transform();
    assert.notEqual(zoomed, before);
    await key('ArrowLeft');
    assert.notEqual(await transform(), zoomed);
    await key('0');
    const node = await tabTo((x) => x.cls.includes('graph-node'), 'a graph node');
    assert.ok(node, 'nodes are in the Tab order');
    await key('Enter');
    await sourceOpened();
    await backToPanel();
  }, { timeout: 150_000 });

  vsc.step('flame graph: arrows move between frames and read them out; Enter zooms; Shift+Enter opens the source', async () => {
    await web().locator('.top-rows .top-row:visible, .graph-node:visible').first().waitFor({ timeout: 30_000 });
    await focusPanel();
    await tabTo((x) => x.tag === 'vscode-tab-header', 'the tabs');
    await key('End');
    await web().locator('canvas.flame-canvas[data-frames]').waitFor({ timeout: 20_000 });
    await tabTo((x) => x.tag === 'canvas', 'the flame graph');
    const canvas = web().locator('canvas.flame-canvas');
    const status = web().locator('#flame-focus-text');
    await status.filter({ hasText: /all samples/ }).waitFor();
    await key('ArrowDown');
    await key('ArrowDown');
    const frameAfter = await canvas.getAttribute('data-focused-frame');
    assert.notEqual(frameAfter, '0');
    assert.match(await status.innerText(), /MB/);
    await key('ArrowUp');
    assert.notEqual(await canvas.getAttribute('data-focused-frame'), frameAfter);
    await key('ArrowDown');
    const outline = await canvas.evaluate((c) => getComputedStyle(c).outlineStyle);
    assert.notEqual(outline, 'none', 'the canvas shows its focus');
    await key('Enter');
    await web().locator('aside.peek .peek-title').waitFor();
    await key('Escape');
    await key('Shift+Enter');
    await sourceOpened();
    await backToPanel();
  }, { timeout: 150_000 });

  vsc.step('every control has an accessible name (the dropdowns and number fields\' inner controls too)', async () => {
    await web().locator('.top-rows .top-row:visible, .graph-node:visible, canvas.flame-canvas:visible').first().waitFor({ timeout: 30_000 });
    const unnamed = await (await frame()).evaluate(() => {
      const out = [];
      const visit = (root) => {
        for (const el of root.querySelectorAll('*')) {
          if (el.shadowRoot) visit(el.shadowRoot);
          const role = el.getAttribute('role');
          const control = el.matches('input, select, button, a[href], [role="combobox"], [role="spinbutton"], [role="button"], [role="tab"]');
          if (!control || el.closest('[hidden]')) continue;
          const name = el.getAttribute('aria-label') || el.getAttribute('title') || el.textContent.trim() || (el.id && root.querySelector(`label[for="${el.id}"]`)?.textContent);
          if (!name) out.push(`${el.tagName.toLowerCase()}${role ? `[role=${role}]` : ''}.${el.className}`);
        }
      };
      visit(document);
      return out;
    });
    assert.deepEqual(unnamed, []);
  }, { timeout: 150_000 });

  for (const theme of ['Light Modern', 'Dark Modern', 'Dark High Contrast']) {
    vsc.step(`axe-core finds no serious or critical violation (${theme})`, async (_, t) => {
      await setTheme(theme);
      await vsc.tab(PANEL).first().click();
      const problems = [];
      for (const tab of ['Top', 'Call graph', 'Flame graph', 'Summary']) {
        await web().locator('vscode-tab-header', { hasText: tab }).click();
        await sleep(500);
        await vsc.shot(`${theme}-${tab}`);
        for (const v of await axe()) problems.push({ tab, ...v });
      }
      for (const p of problems) t.diagnostic(JSON.stringify(p));
      assert.deepEqual(problems, []);
    }, { timeout: 150_000 });
  }

  vsc.step('trend view: Tab reaches a site, Up/Down/Home/End move between sites, Enter opens the source', async () => {
    const files = ['profiles/churn/good_heap.prof', 'profiles/bodies/good_heap.prof', 'profiles/bodies/bad_heap.prof'];
    await vsc.runCommand('View: Close All Editors');
    await vsc.selectInExplorer(...files);
    await vsc.contextMenu(await vsc.explorerItem(files[2]), 'Show Trend Across Profiles');
    const trendTab = vsc.page.locator('.tabs-container .tab', { hasText: 'Growth Trend' }).first();
    await trendTab.waitFor({ timeout: 30_000 });
    await trendTab.click();
    await vsc.runCommand('View: Close Editors in Other Groups');
    await web().locator('button.frame').first().waitFor({ timeout: 30_000 });
    const trendFocus = async () => (await frame()).evaluate(() => {
      const el = document.activeElement;
      return { tag: el?.tagName.toLowerCase(), text: el?.textContent ?? '', index: [...document.querySelectorAll('button.frame')].indexOf(el) };
    });
    await web().locator('h1').click();
    let f = await trendFocus();
    for (let i = 0; i < 10 && f.index < 0; i++) { await key('Tab'); f = await trendFocus(); }
    assert.equal(f.index, 0, 'Tab reaches the first site');
    const count = await web().locator('button.frame').count();
    assert.ok(count >= 1, `${count} site buttons`);
    await key('ArrowDown'); // the next site's link, or the same one at the end of the list
    assert.equal((await trendFocus()).index, Math.min(1, count - 1));
    await key('End');
    assert.equal((await trendFocus()).index, count - 1);
    await key('Home');
    assert.equal((await trendFocus()).index, 0);
    const outline = await (await frame()).evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none', 'the focused site shows its focus');
    await key('Enter');
    await sourceOpened();
  }, { timeout: 150_000 });
});
