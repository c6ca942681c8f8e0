// Goroutines and process memory in a real VS Code: two goroutine dumps of the goroutineleak fixture
// (a real Go program: subscribers parked on a channel nobody closes, sessions in a select, a lock,
// connections read without a deadline) compared from the Explorer; the Hotspots view ranks where
// goroutine counts grew; the waiting line and the `go` statement that started them are painted;
// the hover explains; then two debug=1 heap profiles of the same run show where the process memory
// is — the Summary's stacked bars, whose parts are checked against the fixture's runtime.MemStats;
// a series of heap profiles and dumps shows its trend: goroutine suspects and stacks next to heap sites.
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { env, session } from './vscode.mjs';

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const VIEW = 'Heap Hotspots';
const SRC = path.join(env.fixtures, 'go', 'goroutineleak');
const PROFILES = path.join(env.fixtures, 'goroutineleak', 'profiles', 'default');
const BASE = 'profiles/goroutineleak/t1.goroutine-dump.txt';
const NEW = 'profiles/goroutineleak/t3.goroutine-dump.txt';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const lineOf = (file, needle) => fs.readFileSync(path.join(SRC, file), 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;
const WAIT_LINE = lineOf('feed.go', 'for u := range f.updates');
const GO_LINE = lineOf('feed.go', 'go f.follow(');

/** memStats reads a debug=1 heap profile's `# runtime.MemStats` block: name → [first, second] numbers. */
function memStats(file) {
  const out = new Map();
  for (const line of fs.readFileSync(path.join(PROFILES, file), 'utf8').split('\n')) {
    const m = /^# (\w+) = (\d+)(?: \/ (\d+))?$/.exec(line);
    if (m) out.set(m[1], [Number(m[2]), m[3] === undefined ? undefined : Number(m[3])]);
  }
  return out;
}

// The workspace is a copy made for this file: the program's sources and the profiles join it, as a
// user's checkout holds both.
if (env.workspace) {
  fs.mkdirSync(path.join(env.workspace, 'goroutineleak'), { recursive: true });
  for (const f of fs.readdirSync(SRC)) fs.copyFileSync(path.join(SRC, f), path.join(env.workspace, 'goroutineleak', f));
  fs.mkdirSync(path.join(env.workspace, 'profiles', 'goroutineleak'), { recursive: true });
  for (const f of ['t1.goroutine-dump.txt', 't3.goroutine-dump.txt', 't1.heap.txt', 't3.heap.txt']) {
    fs.copyFileSync(path.join(PROFILES, f), path.join(env.workspace, 'profiles', 'goroutineleak', f));
  }
  // A series as a capture saves it: four bundles a minute apart (text forms carry no time: the
  // trend orders them by file time).
  fs.mkdirSync(path.join(env.workspace, 'profiles', 'goroutineleak', 'series'), { recursive: true });
  const start = Date.now() / 1000 - 3600;
  for (const [i, t] of ['t0', 't1', 't2', 't3'].entries()) {
    for (const kind of ['heap.txt', 'goroutine-dump.txt']) {
      const to = path.join(env.workspace, 'profiles', 'goroutineleak', 'series', `${t}.${kind}`);
      fs.copyFileSync(path.join(PROFILES, `${t}.${kind}`), to);
      fs.utimesSync(to, start + i * 60, start + i * 60);
    }
  }
}
// Two capture bundles (heap-STAMP + goroutine-STAMP, one timestamp each), as Capture Heap Profile… saves them.
const BUNDLES = [['t1', '20260101-120100'], ['t3', '20260101-120300']];
if (env.workspace) {
  fs.mkdirSync(path.join(env.workspace, 'profiles', 'goroutineleak', 'bundles'), { recursive: true });
  for (const [t, stamp] of BUNDLES) {
    fs.copyFileSync(path.join(PROFILES, `${t}.heap.txt`), path.join(env.workspace, 'profiles', 'goroutineleak', 'bundles', `heap-${stamp}.txt`));
    fs.copyFileSync(path.join(PROFILES, `${t}.goroutine-dump.txt`), path.join(env.workspace, 'profiles', 'goroutineleak', 'bundles', `goroutine-${stamp}.txt`));
  }
}
const BUNDLE_HEAPS = BUNDLES.map(([, stamp]) => `profiles/goroutineleak/bundles/heap-${stamp}.txt`);
const SESSION_WAIT = lineOf('sessions.go', 'select {') || 22;
const SERIES = ['t0', 't1', 't2', 't3'].flatMap((t) => [`profiles/goroutineleak/series/${t}.heap.txt`, `profiles/goroutineleak/series/${t}.goroutine-dump.txt`]);

/** rows waits until the tree's first level shows goroutine rows and returns them. */
async function goroutineRows(vsc) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const rows = (await vsc.viewRowTexts(VIEW)).filter((r) => r.level === 1);
    if (rows.length >= 4 && rows.every((r) => /goroutines/.test(r.description))) return rows;
    if (Date.now() > deadline) throw new Error(`no goroutine rows: ${JSON.stringify(rows)}`);
    await sleep(200);
  }
}

describe('goroutines: compare, tree, annotations, hover; process memory bars', { skip: env.workspace ? false : 'needs the e2e workspace' }, () => {
  const vsc = session('goroutines');

  vsc.step('the workspace opens with the goroutine fixture in it', async () => {
    await vsc.open();
    await vsc.waitForView(VIEW);
    await vsc.expandView(VIEW);
  });

  vsc.step('Explorer: two goroutine dumps → right-click → Compare', async () => {
    await vsc.selectInExplorer(BASE, NEW);
    await vsc.contextMenu(await vsc.explorerItem(NEW), 'Compare Profiles');
    // Dumps carry no time: the order is the selection's, and the message says so.
    await vsc.notification(/comparing t3\.goroutine-dump\.txt against base t1\.goroutine-dump\.txt/).waitFor();
    await vsc.showFolders(false); // room for the hotspot tree
  });

  vsc.step('the tree ranks where goroutine counts grew: the subscribers first, each with wait reason and go statement', async () => {
    const rows = await goroutineRows(vsc);
    assert.deepEqual(rows.slice(0, 4).map((r) => r.label), [
      `main.(*feed).follow feed.go:${WAIT_LINE}`, 'main.(*session).run sessions.go:22', 'main.(*registry).register registry.go:40', 'main.(*service).serveConn conns.go:26',
    ]);
    assert.equal(rows[0].description, `+500 goroutines · chan receive · started at feed.go:${GO_LINE}`);
    assert.match(rows[1].description, /^\+80 goroutines · select · started at sessions\.go:\d+$/);
    assert.match(rows[2].description, /^\+40 goroutines · semacquire · /);
    assert.match(rows[3].description, /^\+40 goroutines · IO wait · /);
    await vsc.view(VIEW).getByText(/\+660 goroutines \(338 → 998\)/).first().waitFor();
    // Screen readers hear the row's whole sentence, not a tooltip.
    assert.match(await vsc.viewRow(VIEW, 'main.(*feed).follow').first().getAttribute('aria-label'), /main\.\(\*feed\)\.follow feed\.go:\d+, \+500 goroutines/);
    await vsc.shot('tree');
  });

  vsc.step('a row opens the line where they wait, painted with Δ goroutines; the go statement line is painted too', async () => {
    await vsc.viewRow(VIEW, 'main.(*feed).follow').first().click();
    await vsc.activeTab('feed.go').waitFor();
    await vsc.waitForCursor(WAIT_LINE, 1);
    const title = await vsc.page.title();
    assert.ok(!title.includes('heaplens-goroutine-build'), `the workspace's copy is open: ${title}`);
    assert.equal(await vsc.annotationOn(WAIT_LINE, /goroutines/), '+500 goroutines waiting (chan receive)');
    assert.equal(await vsc.annotationOn(GO_LINE, /goroutines/), '+500 goroutines started here');
    await vsc.shot('annotations');
  });

  vsc.step('the hover explains: how many wait, in what, since base, started where (a link to the go statement)', async () => {
    const line = vsc.page.locator('.editor-group-container.active .view-line', { hasText: 'range f.updates' }).first();
    await line.locator('span', { hasText: 'updates' }).first().hover();
    const hover = vsc.page.locator('.monaco-hover:not(.hidden)', { hasText: 'parked in' }).first();
    await hover.waitFor();
    const text = (await hover.innerText()).replace(/\s+/g, ' ');
    assert.match(text, new RegExp(`750 goroutines parked in chan receive here, \\+500 since base, started by the go statement at feed\\.go:${GO_LINE}`));
    assert.match(text, /Shape: receiving from a channel nobody sends on or closes\./);
    assert.match(text, /250 of 750 have waited a minute or more/);
    await vsc.shot('hover');
    await hover.getByRole('link', { name: `feed.go:${GO_LINE}` }).first().click();
    await vsc.waitForCursor(GO_LINE, 1);
  });

  vsc.step('a row’s children: the go statement that started them opens its line', async () => {
    const row = vsc.viewRow(VIEW, 'main.(*feed).follow').first();
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
    const started = vsc.viewRow(VIEW, 'go statement that started them').first();
    await started.waitFor();
    await vsc.page.keyboard.press('Escape');
    await started.click();
    await vsc.activeTab('feed.go').waitFor();
    await vsc.waitForCursor(GO_LINE, 1);
  });

  vsc.step('the comparison panel’s Diagnosis box lists the goroutine growth', async () => {
    await vsc.runCommand('heaplens: Show Comparison Panel');
    const web = vsc.webview();
    const box = web.locator('.findings-list');
    await box.waitFor({ timeout: 30_000 });
    const items = await box.locator('li').allInnerTexts();
    assert.match(items[0], /Goroutines went from 338 to 998 \(\+660\)/);
    assert.match(items[1].replace(/\s+/g, ' '), /^\+500 goroutines · main\.\(\*feed\)\.follow \(feed\.go:\d+\)/);
    await vsc.shot('panel-goroutines');
  });

  vsc.step('Export Growth Report on the goroutine comparison writes the goroutine growth report', async () => {
    await vsc.runCommand('heaplens: Export Growth Report');
    const deadline = Date.now() + 20_000;
    let text = '';
    while (!/Goroutine growth report/.test(text)) {
      if (Date.now() > deadline) throw new Error(`no goroutine report: ${text}`);
      await sleep(250);
      text = (await vsc.editorLines()).map((l) => l.text).join('\n');
    }
    assert.match(text, /Where goroutines pile up/);
    assert.match(text, /main\.\(\*feed\)\.follow/);
    await vsc.shot('report');
    // The report is an unsaved document: revert and close it, so closing editors later asks nothing.
    await vsc.runCommand('View: Revert and Close Editor');
  });

  vsc.step('one goroutine profile opens in heaplens’ editor and says what it is: a dump of 998 goroutines', async () => {
    await vsc.runCommand('View: Close All Editors');
    await vsc.showFolders(true);
    await vsc.contextMenu(await vsc.explorerItem(NEW), 'Open Profile');
    await vsc.activeTab('t3.goroutine-dump.txt').waitFor();
    const web = vsc.webview();
    await web.locator('vscode-tab-header', { hasText: 'Summary' }).click({ timeout: 30_000 });
    const total = web.locator('.summary-totals tr[data-sample-type="goroutine"] td');
    await total.first().waitFor();
    assert.equal((await total.allInnerTexts())[0], '998');
    assert.match(await web.locator('.summary-profiles').innerText(), /goroutine dump \(debug=2\)/);
    await vsc.view(VIEW).getByText('t3.goroutine-dump.txt: 998 goroutines').first().waitFor();
    await vsc.shot('open-dump');
  });

  vsc.step('a series of heap profiles and goroutine dumps → Show Trend: goroutine suspects and stack growth next to the heap site', async () => {
    await vsc.runCommand('View: Close All Editors');
    await vsc.selectInExplorer(...SERIES);
    await vsc.contextMenu(await vsc.explorerItem(SERIES[SERIES.length - 1]), 'Show Trend Across Profiles');
    await vsc.waitForView('Growth Trend', { timeout: 30_000 });
    await vsc.expandView('Growth Trend');
    await vsc.viewRow('Growth Trend', `main.(*feed).follow:${WAIT_LINE}`).first().waitFor({ timeout: 30_000 });
    const rows = await vsc.viewRowTexts('Growth Trend');
    // Heap site first, then where goroutines wait (same figures as `heaplens trend`), then the stacks.
    assert.deepEqual(rows.map((r) => [r.label, r.description]), [
      ['main.(*session).run:19', '▁▃▆█ +8.26MB/min'],
      [`main.(*feed).follow:${WAIT_LINE}`, '▁▃▆█ goroutines +250/min'],
      ['main.(*session).run:22', '▁▃▆█ goroutines +40/min'],
      ['main.(*registry).register:40', '▁▃▆█ goroutines +20/min'],
      ['main.(*service).serveConn:26', '▁▃▆█ goroutines +20/min'],
      ['Goroutine stacks (runtime.MemStats)', '▁▃▆█ +31.53MB/min'],
    ]);
    const tab = vsc.page.locator('.tabs-container .tab', { hasText: 'Growth Trend (5 suspects)' }).first();
    await tab.waitFor({ timeout: 30_000 });
    await tab.click();
    const web = vsc.webview();
    const first = web.locator('#goroutine-suspects tbody tr').first();
    await first.waitFor({ timeout: 30_000 });
    assert.match(await web.locator('#goroutines h3').first().innerText(), /^Goroutine leak suspects — goroutines waiting here rise steadily/);
    assert.match((await first.innerText()).replace(/\s+/g, ' '), /main\.\(\*feed\)\.follow feed\.go:\d+ .*0 → 750 \+250\/min rose 3\/3/);
    assert.match((await web.locator('#suspects tbody tr').first().innerText()).replace(/\s+/g, ' '), /main\.\(\*session\)\.run sessions\.go:19/);
    const memory = (await web.locator('#memory tbody tr').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    assert.deepEqual(memory, ['Sys 13.23MB → 146.24MB +44.51MB/min', 'stacks 224kB → 94.81MB +31.53MB/min', 'live heap 129.48kB → 31.57MB +10.48MB/min']);
    await vsc.shot('trend-goroutines');
    // One click from the goroutine suspect to the line where they wait.
    await first.locator('button.frame').first().click();
    await vsc.activeTab('feed.go').waitFor();
    await vsc.waitForCursor(WAIT_LINE);
  });

  vsc.step('two debug=1 heap profiles: the Summary draws where the process memory is, parts = the fixture’s MemStats', async () => {
    await vsc.runCommand('View: Close All Editors');
    await vsc.selectInExplorer('profiles/goroutineleak/t1.heap.txt', 'profiles/goroutineleak/t3.heap.txt');
    await vsc.contextMenu(await vsc.explorerItem('profiles/goroutineleak/t3.heap.txt'), 'Compare Profiles');
    await vsc.notification(/comparing t3\.heap\.txt against base t1\.heap\.txt/).waitFor();
    await vsc.runCommand('heaplens: Show Comparison Panel');
    const web = vsc.webview();
    await web.locator('vscode-tab-header', { hasText: 'Summary' }).click({ timeout: 30_000 });
    const bars = web.locator('.memory-bar');
    await bars.first().waitFor();
    assert.equal(await bars.count(), 2);
    for (const [i, file] of [[0, 't1.heap.txt'], [1, 't3.heap.txt']]) {
      const ms = memStats(file);
      const sys = ms.get('Sys')[0];
      const bar = bars.nth(i);
      const parts = Object.fromEntries(await bar.locator('.memory-segment').evaluateAll((segs) => segs.map((s) => [s.dataset.part, Number(s.dataset.bytes)])));
      assert.equal(parts.stacks, ms.get('Stack')[1], `${file}: stacks = StackSys`);
      assert.equal(parts.heapLive, ms.get('HeapAlloc')[0], `${file}: live heap = HeapAlloc`);
      assert.equal(parts.heapReleased ?? 0, ms.get('HeapReleased')[0], `${file}: released = HeapReleased`);
      assert.equal(Object.values(parts).reduce((a, b) => a + b, 0), sys, `${file}: the parts sum to Sys`);
      const label = await bar.getAttribute('aria-label');
      assert.match(label, new RegExp(`^${i === 0 ? 'base' : 'new'}: Sys [\\d.]+[kMG]B = live heap .*goroutine stacks [\\d.]+[kMG]B`));
    }
    // The longer bar is the larger Sys; the growth is told in words and as a table (the text alternative).
    const widths = await bars.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
    assert.ok(widths[1] > widths[0] * 2, `t3's bar is much longer: ${widths}`);
    const stacksRow = await web.locator('.summary-memory tr[data-part="stacks"] td').allInnerTexts();
    assert.equal(stacksRow.length, 3);
    assert.match(stacksRow[2], /^\+[\d.]+MB$/);
    assert.match(await web.locator('.memory-growth').innerText(), /Stacks grew/);
    await web.locator('.memory-section').scrollIntoViewIfNeeded();
    await vsc.shot('memory-bars');
  });

  for (const theme of ['Light Modern', 'Dark Modern', 'Dark High Contrast']) {
    vsc.step(`the memory bars in ${theme}: every part 3:1 against the page as painted, axe finds nothing serious`, async () => {
      await vsc.runCommand('Preferences: Color Theme');
      await vsc.page.locator('.quick-input-widget .quick-input-box input').fill(theme);
      await vsc.page.keyboard.press('Enter');
      const cls = /High Contrast/.test(theme) ? 'hc-black' : /Light/.test(theme) ? 'vs' : 'vs-dark';
      await vsc.page.waitForFunction((c) => document.querySelector('.monaco-workbench')?.classList.contains(c), cls, { timeout: 20_000 });
      await sleep(800); // the webview re-themes on the next frame
      const outer = await vsc.page.locator('iframe.webview.ready').filter({ visible: true }).first().elementHandle();
      const frame = await (await (await outer.contentFrame()).locator('#active-frame').elementHandle()).contentFrame();
      const ratios = await frame.evaluate(() => {
        const rgb = (s) => (/rgba?\(([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(s) ?? []).slice(1).map(Number);
        const lum = (c) => c.map((v) => { const x = v / 255; return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; }).reduce((a, x, i) => a + x * [0.2126, 0.7152, 0.0722][i], 0);
        const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)]; return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
        const page = rgb(getComputedStyle(document.body).backgroundColor);
        // A missing theme colour would paint nothing (transparent): count it as 1:1.
        const fill = (el) => getComputedStyle(el).backgroundColor;
        return [...document.querySelectorAll('.memory-segment')].map((el) => ({ part: el.dataset.part, ratio: /^rgba\(.*,\s*0\)$|transparent/.test(fill(el)) ? 1 : ratio(rgb(fill(el)), page) }));
      });
      assert.ok(ratios.length >= 10, JSON.stringify(ratios));
      for (const r of ratios) assert.ok(r.ratio >= 3, `${theme}: ${r.part} at ${r.ratio.toFixed(2)}:1`);
      if (!(await frame.evaluate(() => 'axe' in window))) await frame.evaluate(AXE);
      const violations = await frame.evaluate(async () => (await window.axe.run(document.querySelector('.tab-summary'), { resultTypes: ['violations'] })).violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })));
      assert.deepEqual(violations, []);
      await vsc.shot(`memory-${theme}`);
    });
  }

  vsc.step('a heap comparison of two capture bundles shows where the goroutines holding memory wait: tree, panel, report', async () => {
    await vsc.runCommand('View: Close All Editors');
    await vsc.selectInExplorer(...BUNDLE_HEAPS);
    await vsc.contextMenu(await vsc.explorerItem(BUNDLE_HEAPS[1]), 'Compare Profiles');
    // The bundles' goroutine dumps are paired by name: the goroutine finding gets a child row.
    const blocked = `120 goroutines wait at main.(*session).run goroutineleak/sessions.go:${SESSION_WAIT} (select)`;
    await vsc.showFolders(false);
    await vsc.viewRow(VIEW, blocked).first().waitFor({ timeout: 30_000 });
    const rows = await vsc.viewRowTexts(VIEW);
    const at = rows.findIndex((r) => r.label === blocked);
    assert.ok(at > 0 && rows[at].level === rows[at - 1].level + 1 && /goroutines/.test(rows[at - 1].description), JSON.stringify(rows.slice(0, at + 1)));
    await vsc.shot('blocked-at-tree');
    // One click to the line where they wait.
    await vsc.viewRow(VIEW, blocked).first().click();
    await vsc.activeTab('sessions.go').waitFor();
    await vsc.waitForCursor(SESSION_WAIT);
    await vsc.runCommand('heaplens: Show Comparison Panel');
    const web = vsc.webview();
    const link = web.locator('.findings-list .finding-blocked a');
    await link.first().waitFor({ timeout: 30_000 });
    assert.equal((await link.first().innerText()).trim(), blocked);
    await vsc.shot('blocked-at-panel');
    await link.first().click();
    await vsc.activeTab('sessions.go').waitFor();
    await vsc.waitForCursor(SESSION_WAIT);
    await vsc.runCommand('heaplens: Export Growth Report');
    const deadline = Date.now() + 30_000;
    let text = '';
    while (!/Where the goroutines holding this memory wait/.test(text)) {
      if (Date.now() > deadline) throw new Error(`no blockedAt section in the report: ${text.slice(-600)}`);
      await sleep(250);
      // The section ends the report: only the lines on screen are in the page.
      await vsc.page.keyboard.press('Control+End');
      text = (await vsc.editorLines()).map((l) => l.text).join('\n');
    }
    // The editor wraps long lines (a wrap keeps its space at the line's end): read them joined.
    const flat = text.replace(/\n/g, '');
    assert.match(flat, /From `goroutine-20260101-120100\.txt` → `goroutine-20260101-120300\.txt`:/);
    assert.match(flat, /120 goroutines wait at `main\.\(\*session\)\.run` .*sessions\.go:\d+.* \(select\)/);
    // Above it, as in `heaplens report`, where the process memory is (the bundles' memstats files):
    // the table's last row, Sys, is on screen with the end of the document.
    assert.match(flat, /\| \*\*Sys\*\* \| \*\*[\d.]+[kMG]?B\*\* \|/);
    await vsc.runCommand('View: Revert and Close Editor');
  });
});
