// The comparison panel in a real VS Code: compare the `bodies` scenario, open the panel, check the
// summary's inuse_space Δ against pprof's totals, the top table's first row against the scenario's
// known growth site, sorting, the call graph (Graphviz in WebAssembly under the panel's CSP), the
// flame graph canvas, clicks that open the source at the right line, and light / dark /
// high-contrast screenshots (look at them: test/e2e/shots/panel/).
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { env, session } from './vscode.mjs';

const GOOD = 'profiles/bodies/good_heap.prof';
const BAD = 'profiles/bodies/bad_heap.prof';
const scenario = JSON.parse(fs.readFileSync(path.join(env.fixtures, 'scenarios.json'), 'utf8')).find((s) => s.name === 'bodies');

/** pprof's total ("of NB total") from a golden -top file written with -unit=B. */
function goldenTotal(file) {
  const text = fs.readFileSync(path.join(env.fixtures, 'golden', 'default', 'bodies', file), 'utf8');
  return Number(/of (\d+)B total/.exec(text)[1]);
}

/** Megabytes as the panel prints them (pprof's units: 1024-based, two decimals). */
function mb(bytes) {
  return `${(Math.abs(bytes) / 1048576).toFixed(2)}MB`;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('comparison panel', () => {
  const vsc = session('panel', { viewport: { width: 1600, height: 1000 } });
  const logs = [];
  /** setTheme picks a colour theme the way a user does (Preferences: Color Theme) and waits for it. */
  async function setTheme(theme) {
    await vsc.runCommand('Preferences: Color Theme');
    const input = vsc.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(theme);
    const row = vsc.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', {
      has: vsc.page.locator('.label-name', { hasText: new RegExp(`^\\s*${theme}\\s*$`) }),
    }).first();
    await row.click();
    const cls = /High Contrast/.test(theme) ? 'hc-black' : /Light/.test(theme) ? 'vs' : 'vs-dark';
    await vsc.page.waitForFunction((c) => document.querySelector('.monaco-workbench')?.classList.contains(c), cls, { timeout: 20_000 });
    await sleep(800); // the webview re-themes on the next frame
  }

  const web = () => vsc.webview();

  vsc.step('compares good_heap.prof and bad_heap.prof of the bodies scenario', async () => {
    vsc.page.on('console', (m) => { if (/\[heaplens\] panel:/.test(m.text())) logs.push(m.text()); });
    await vsc.open();
    await vsc.waitForView('Heap Hotspots');
    await vsc.selectInExplorer(GOOD, BAD);
    await vsc.contextMenu(await vsc.explorerItem(BAD), 'Compare Profiles');
    await vsc.notification(/comparing bad_heap\.prof against base good_heap\.prof/).waitFor({ timeout: 30_000 });
    await vsc.statusItem('bad_heap.prof vs good_heap.prof').first().waitFor({ timeout: 30_000 });
    await vsc.settleWebviews(); // the profile preview is a webview too: let it finish starting
    await vsc.runCommand('View: Close All Editors'); // the single-profile preview is a webview too
  });

  vsc.step('Show Comparison Panel opens the panel with both profiles named', async () => {
    await vsc.runCommand('heaplens: Show Comparison Panel');
    await vsc.tab('heap: bad_heap.prof vs good_heap.prof').first().waitFor();
    const title = web().locator('.panel-header h1');
    await title.waitFor({ timeout: 30_000 });
    assert.equal(await title.innerText(), 'good_heap.prof → bad_heap.prof');
    await web().locator('.top-rows .top-row .source-link').first().waitFor();
  });

  vsc.step('the table is interactive within 1 s of its data arriving', async (_, t) => {
    const ms = Number(await web().locator('body').getAttribute('data-top-paint-ms'));
    t.diagnostic(`top table painted ${ms} ms after the view message arrived`);
    assert.ok(Number.isFinite(ms) && ms < 1000, `first paint took ${ms} ms`);
  });

  vsc.step('the top table\'s first row is the growth site pprof ranks first', async () => {
    const first = web().locator('.top-rows .top-row:not([hidden])').first();
    assert.equal(await first.locator('.source-link').innerText(), scenario.site.function);
    const cells = await first.locator('.cell.num').allInnerTexts();
    // flat Δ = new − base at the allocation site; the whole net growth of inuse_space is there.
    assert.match(cells[0], /^\+\d+(\.\d+)?MB$/);
    assert.equal(await web().locator('.top-header [data-column="flat"]').getAttribute('aria-sort'), 'descending');
  });

  vsc.step('clicking a column header sorts by it, clicking again reverses', async () => {
    const header = web().locator('.top-header [data-column="delta"]');
    await header.click();
    assert.equal(await header.getAttribute('aria-sort'), 'descending');
    const rows = web().locator('.top-rows .top-row:not([hidden])');
    const down = await rows.locator('.col-delta').allInnerTexts();
    await header.click();
    assert.equal(await header.getAttribute('aria-sort'), 'ascending');
    const up = await rows.locator('.col-delta').allInnerTexts();
    assert.ok(down[0].startsWith('+'), `largest Δ first, got ${down[0]}`);
    assert.notDeepEqual(up.slice(0, 3), down.slice(0, 3));
    await web().locator('.top-header [data-column="flat"]').click(); // back to pprof's order
  });

  vsc.step('the filter box narrows the rows by regex', async () => {
    const box = web().locator('.tab-top input[type="search"]');
    await box.fill('^main\\.read');
    const names = await web().locator('.top-rows .top-row:not([hidden]) .source-link').allInnerTexts();
    assert.ok(names.length >= 1 && names.every((n) => /^main\.read/.test(n)), names.join(', '));
    await box.fill('');
  });

  vsc.step('the summary shows pprof\'s inuse_space totals and their Δ', async () => {
    await web().locator('vscode-tab-header', { hasText: 'Summary' }).click();
    const row = web().locator('.summary-totals tr[data-sample-type="inuse_space"]');
    await row.waitFor();
    const [base, now, delta, , growth] = await row.locator('td').allInnerTexts();
    const b = goldenTotal('base.inuse_space.functions.txt');
    const n = goldenTotal('new.inuse_space.functions.txt');
    assert.equal(base, mb(b));
    assert.equal(now, mb(n));
    assert.equal(delta, `+${mb(n - b)}`);
    assert.equal(growth, `×${(n / b).toFixed(2)}`);
  });

  vsc.step('the call graph renders nodes as SVG text', async () => {
    await web().locator('vscode-tab-header', { hasText: 'Call graph' }).click();
    const node = web().locator('.graph-node', { hasText: 'readBody' });
    await node.first().waitFor({ timeout: 30_000 });
    const texts = await web().locator('.graph-node text').evaluateAll((els) => els.map((e) => e.textContent));
    assert.ok(texts.includes('growSlice'), texts.join(' | '));
    assert.ok((await web().locator('.graph-edge path').count()) >= 1);
  });

  vsc.step('clicking a graph node opens its source at the line that grew', async () => {
    await web().locator('.graph-node', { hasText: 'readBody' }).first().click();
    await vsc.activeTab(scenario.userFrame.file).waitFor({ timeout: 20_000 });
    await vsc.waitForCursor(scenario.userFrame.line);
  });

  vsc.step('the peek pane lists the selected function\'s callers and callees', async () => {
    await vsc.tab('heap: bad_heap.prof vs good_heap.prof').first().click();
    const peek = web().locator('aside.peek');
    await peek.locator('.peek-title', { hasText: 'main.readBody' }).waitFor();
    const text = await peek.innerText();
    assert.match(text, /Callers \(1\)/);
    assert.match(text, /main\.ingest/);
    assert.match(text, /bytes\.\(\*Buffer\)\.ReadFrom/);
  });

  vsc.step('the flame graph draws frames on its canvas', async () => {
    await web().locator('vscode-tab-header', { hasText: 'Flame graph' }).click();
    const canvas = web().locator('canvas.flame-canvas');
    await canvas.waitFor();
    await web().locator('canvas.flame-canvas[data-frames]').waitFor({ timeout: 20_000 });
    assert.ok(Number(await canvas.getAttribute('data-frames')) > 5);
    const painted = await canvas.evaluate((c) => {
      const data = c.getContext('2d').getImageData(0, 0, c.width, Math.min(c.height, 200)).data;
      let opaque = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) opaque++;
      return opaque / (data.length / 4);
    });
    assert.ok(painted > 0.2, `only ${(painted * 100).toFixed(1)}% of the canvas is painted`);
  });

  vsc.step('double-clicking a flame frame opens its source', async () => {
    const canvas = web().locator('canvas.flame-canvas');
    // Search highlights matching frames; find readBody's row by hovering down the left edge.
    await web().locator('.tab-flame input[type="search"]').fill('readBody');
    const box = await canvas.boundingBox();
    let hit = false;
    for (let depth = 0; depth < 20 && !hit; depth++) {
      await canvas.hover({ position: { x: 40, y: depth * 18 + 9 } });
      const tip = await web().locator('.flame-tooltip').innerText().catch(() => '');
      if (/^main\.readBody/.test(tip)) {
        await canvas.dblclick({ position: { x: 40, y: depth * 18 + 9 } });
        hit = true;
      }
    }
    assert.ok(hit && box, 'no readBody frame under the left edge of the flame graph');
    await vsc.activeTab(scenario.userFrame.file).waitFor({ timeout: 20_000 });
    await vsc.waitForCursor(scenario.userFrame.line);
    await vsc.tab('heap: bad_heap.prof vs good_heap.prof').first().click();
    await web().locator('.tab-flame input[type="search"]').fill('');
  });

  vsc.step('a row action (focus) applies pprof\'s focus to every view, and clearing restores it', async () => {
    await web().locator('vscode-tab-header', { hasText: 'Top' }).click();
    const row = web().locator('.top-rows .top-row:not([hidden])', { hasText: 'main.readAllBodies' }).first();
    await row.hover();
    await row.locator('[data-action="focus"]').click();
    await web().locator('.filter-chips .chip', { hasText: 'focus: ^main\\.readAllBodies$' }).waitFor();
    await vsc.page.locator('.pane', { has: vsc.viewHeader('Heap Hotspots') }).locator('.monaco-list-row').first().waitFor();
    await web().locator('.filter-chips .chip button').first().click();
    await web().locator('.filter-chips .chip').waitFor({ state: 'detached' });
  });

  vsc.step('screenshots: light, dark and high-contrast themes', async () => {
    await web().locator('vscode-tab-header', { hasText: 'Call graph' }).click();
    await web().locator('.graph-node').first().waitFor();
    for (const theme of ['Light Modern', 'Dark Modern', 'Dark High Contrast']) {
      await setTheme(theme);
      await vsc.shot(`graph-${theme}`);
      await web().locator('vscode-tab-header', { hasText: 'Flame graph' }).click();
      await sleep(300);
      await vsc.shot(`flame-${theme}`);
      await web().locator('vscode-tab-header', { hasText: 'Top' }).click();
      await sleep(300);
      await vsc.shot(`top-${theme}`);
      await web().locator('vscode-tab-header', { hasText: 'Call graph' }).click();
    }
    await setTheme('Light Modern'); // the other test files expect the default theme
  });

  vsc.step('the panel hits no CSP violation (Graphviz\'s WebAssembly included) and logs its timings', async (_, t) => {
    await web().locator('vscode-tab-header', { hasText: 'Call graph' }).click();
    await web().locator('.graph-node').first().waitFor();
    assert.equal(await web().locator('body').getAttribute('data-csp-violations'), null);
    // The host writes the webview's reports to heaplens' Output channel (heaplens.log) and, for panels
    // it renders elsewhere, to the extension host console that VS Code mirrors to the page; the
    // mirror drops lines under load, so both are read, the log file polled for a while.
    const panelLines = () => [...logs, ...vsc.readLogs(/heaplens\.log$/).split('\n').filter((l) => / panel: /.test(l))];
    for (const deadline = Date.now() + 15_000; !panelLines().some((l) => /top painted/.test(l)) && Date.now() < deadline;) await sleep(250);
    const lines = panelLines();
    for (const l of lines.filter((x) => /painted/.test(x)).slice(0, 4)) t.diagnostic(l.replace(/^.*panel: /, 'panel: ').replace(/\s+color:.*$/, ''));
    assert.ok(lines.some((l) => /top painted/.test(l)), `no timing reached the log: [${lines.join(' | ')}]`);
    assert.deepEqual(lines.filter((l) => /blocked|could not/.test(l)), []);
  });

  vsc.step('after a window reload the panel comes back with its data and the state it saved', async () => {
    await vsc.page.reload();
    await vsc.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const tab = vsc.tab('heap: bad_heap.prof vs good_heap.prof').first();
    await tab.waitFor({ timeout: 60_000 });
    await tab.click();
    await web().locator('.panel-header h1', { hasText: 'good_heap.prof → bad_heap.prof' }).waitFor({ timeout: 60_000 });
    // The selection made before the reload (readAllBodies, via the focus row action) is back in peek.
    await web().locator('aside.peek .peek-title', { hasText: 'main.readAllBodies' }).waitFor({ timeout: 30_000 });
    await web().locator('vscode-tab-header', { hasText: 'Top' }).click();
    assert.equal(await web().locator('.top-rows .top-row:not([hidden]) .source-link').first().innerText(), scenario.site.function);
    await web().locator('vscode-tab-header', { hasText: 'Call graph' }).click();
    await web().locator('.graph-node', { hasText: 'readBody' }).first().waitFor({ timeout: 30_000 });
  });
  vsc.step('in a narrow window Peek moves under the tabs and no tab header runs under it', async () => {
    await vsc.page.setViewportSize({ width: 900, height: 1000 });
    await web().locator('aside.peek .peek-title').waitFor();
    await sleep(500); // the webview lays out at its new size
    const peek = await web().locator('aside.peek').boundingBox();
    for (const name of ['Summary', 'Top', 'Call graph', 'Flame graph']) {
      const tab = await web().locator('vscode-tab-header', { hasText: name }).boundingBox();
      const overlaps = tab.x < peek.x + peek.width && peek.x < tab.x + tab.width && tab.y < peek.y + peek.height && peek.y < tab.y + tab.height;
      assert.ok(!overlaps, `${name} tab ${JSON.stringify(tab)} lies under Peek ${JSON.stringify(peek)}`);
    }
    assert.ok(peek.y > (await web().locator('vscode-tab-header', { hasText: 'Top' }).boundingBox()).y, 'Peek is not below the tabs');
    // The graph fitted to the wide window stays in view (its centre is kept as the canvas narrows).
    const canvas = await web().locator('.graph-canvas').evaluate((e) => e.getBoundingClientRect().toJSON()); // the frame's coordinates, like the nodes'
    const nodes = await web().locator('.graph-node rect').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()));
    assert.ok(nodes.some((n) => n.x < canvas.x + canvas.width && canvas.x < n.x + n.width && n.y < canvas.y + canvas.height && canvas.y < n.y + n.height),
      `no call-graph node inside the canvas ${JSON.stringify(canvas)}: ${JSON.stringify(nodes.slice(0, 3))}`);
    await vsc.shot('narrow');
    // Wider than the panel, the Top table scrolls its numbers while the name stays pinned in view.
    await web().locator('vscode-tab-header', { hasText: 'Top' }).click();
    await web().locator('.top-rows .top-row:not([hidden]) .source-link').first().waitFor();
    await sleep(300);
    const scroll = await web().locator('.top-scroll').evaluate((e) => ({ ...e.getBoundingClientRect().toJSON(), overflows: e.scrollWidth > e.clientWidth, scrollLeft: e.scrollLeft, position: getComputedStyle(e.querySelector('.top-rows .col-name')).position }));
    const link = await web().locator('.top-rows .top-row:not([hidden]) .source-link').first().evaluate((e) => e.getBoundingClientRect().toJSON());
    assert.ok(scroll.overflows, 'the Top table fits this narrow panel: the pinned name is not exercised');
    assert.ok(link.x >= scroll.x && link.x + Math.min(link.width, 40) <= scroll.x + scroll.width, `the name ${JSON.stringify(link)} is outside the table's view ${JSON.stringify(scroll)}`);
    await vsc.page.setViewportSize({ width: 1600, height: 1000 });
  });
});
