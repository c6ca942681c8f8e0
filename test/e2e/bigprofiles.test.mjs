// Big profiles without a frozen window: two generated ~50 MB heap profiles (the bench generator,
// test/bench/bigPair.ts) are compared in a real VS Code; then the annotated 12,000-line source file
// they point into, the panel's four tabs and the growth report are opened. Meanwhile the extension
// host's event loop is sampled by the env-gated probe (src/extension/stallProbe.ts, enabled by
// scripts/e2e/run.sh) and its longest stall is asserted. The time from choosing the files to the
// first hotspot row, the time to paint the annotated editor when switching back to it and the
// flame graph's time are measured in the browser and printed next to their targets: speed targets
// are benchmarks (README, Speed and memory), not timed tests. HEAPLENS_E2E_BIG_MB picks another
// size (default 50).
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { env, session } from './vscode.mjs';
import { CpuSampler, describeCpu } from './processCpu.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(here, '../..');
const MB = Number(process.env.HEAPLENS_E2E_BIG_MB ?? '50');
const VIEW = 'Heap Hotspots';
// Issue #12's targets: the host's longest event-loop stall ≤ 100 ms, results visible ≤ 3 s after
// the files are chosen, the annotated editor painted ≤ 300 ms after switching back to it.
// A delay of the host's event loop is the host's own work or the host waiting for a core. On this
// 2-core machine the window (Chromium rendering in software), code-server, the analysis and the
// test take both cores for whole seconds, and the probe sees delays of 100–140 ms in which the
// host's thread ran on a core for at most ~30 ms (the scheduler's figures, read at each tick of the
// probe: src/extension/stallProbe.ts). So two assertions: every delay under a bound this machine
// holds (it catches heaplens blocking the host: the issue measured a 12 s freeze; a returned panel
// object once cost 0.65 s), and the host's own work inside any delay under the target itself.
const STALL_BOUND_MS = 500;
// HEAPLENS_E2E_FIRST_SWITCH=probe is the control of the first switch: the file opened and switched
// back to inside the measured window is then the decoration probe's copy of big.go (one after-text,
// set by src/extension/decorationProbe.ts as soon as VS Code says its editor is visible), so the
// same moment — right after a 12,000-line file opened, with the analysis still busy — is measured
// for any extension's decoration.
const FIRST = process.env.HEAPLENS_E2E_FIRST_SWITCH === 'probe'
  ? { file: 'decoration-probe.go', afterText: 'decoration probe', painted: /decoration probe/ }
  : { file: 'big.go', afterText: 'inuse', painted: /[+-][\d.]+[kMG]?B inuse/ };
const TARGETS = { longestStallMs: 100, resultsMs: 3000, switchMs: 300, flameMs: 1000 };
const stall = { from: 0, to: 0 };
/** cpu samples every process's CPU time during the measured steps: who had the cores during a delay. */
let cpu;
const figures = {};

/** stallWindows reads the probe's 250 ms windows inside [from, to]: `{ t, maxMs }`, t at the window's end. */
function stallWindows(from, to) {
  const lines = fs.readFileSync(env.stallProbe, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  // A window's line is written at its end: the window [t − 250 ms, t] overlaps [from, to] when t ≥ from.
  const inside = lines.filter((l) => l.t >= from && l.t - 250 <= to);
  assert.ok(inside.length > 0, `the stall probe wrote nothing between ${from} and ${to}`);
  return inside;
}

/**
 * hostWorkInDelays is the longest time the host's thread ran on a core inside one delay, with its
 * window: the probe reads the scheduler at each of its 10 ms ticks, so a delay's time on a core is
 * known; the rest of the delay the thread was ready to run and waited for a core. Undefined where
 * the scheduler's figures are missing (not Linux).
 */
function hostWorkInDelays(windows) {
  let longest;
  for (const w of windows) {
    if (w.maxWorkMs === undefined) return undefined;
    if (!longest || w.maxWorkMs > longest.ms) longest = { ms: w.maxWorkMs, window: w };
  }
  return longest;
}

/** phases are the measured steps' start times, to say in which one a long delay fell. */
const phases = [];
const phase = (name) => phases.push({ name, at: Date.now() });
/** phaseAt names the step running at epoch ms `t`. */
const phaseAt = (t) => phases.filter((p) => p.at <= t).at(-1)?.name ?? 'before Compare';

/**
 * drawnAfterClick clicks the panel's tab `tab` inside the webview and returns the ms until `selector`
 * matches there, checked every animation frame in the page (Playwright's polling backs off to 500 ms
 * steps, which made the same work measure ~0.95 s or ~1.45 s); -1 after a minute.
 */
async function drawnAfterClick(web, tab, selector) {
  await web().locator('vscode-tab-header', { hasText: tab }).waitFor();
  return web().locator('body').evaluate(async (_body, { tab, selector }) => {
    const header = [...document.querySelectorAll('vscode-tab-header')].find((h) => (h.textContent ?? '').includes(tab));
    const started = performance.now();
    header.click();
    for (;;) {
      if (document.querySelector(selector)) return performance.now() - started;
      if (performance.now() - started > 60_000) return -1;
      await new Promise((r) => requestAnimationFrame(() => r()));
    }
  }, { tab, selector });
}

describe(`${MB} MB comparison keeps the extension host responsive`, { skip: env.workspace && env.stallProbe ? false : 'needs the e2e workspace and the stall probe (npm run test:e2e)' }, () => {
  const vsc = session('bigprofiles');

  vsc.step('generates the profile pair and its source file into the workspace', async () => {
    execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/bench/bigPair.ts'), env.workspace, String(MB)], { cwd: ROOT, stdio: 'inherit' });
    assert.ok(fs.statSync(path.join(env.workspace, 'profiles/big/bad_heap.prof')).size > MB * 0.8 * 1048576);
    if (FIRST.file !== 'big.go') fs.copyFileSync(path.join(env.workspace, 'bench/big.go'), path.join(env.workspace, 'bench', FIRST.file));
  }, { timeout: 600_000 });

  vsc.step('opens the workspace; VS Code\'s Markdown support is started before the measured window', async () => {
    // The growth report opens as a Markdown document, which activates VS Code's own Markdown
    // extensions on the host (~0.2–0.7 s of module loading and start-up, measured in host CPU
    // profiles): a cost of any first Markdown file, not heaplens'. A note opened first pays it.
    fs.writeFileSync(path.join(env.workspace, 'NOTES.md'), '# Notes\n\nMemory grew after the release.\n');
    await vsc.open();
    await vsc.waitForView(VIEW);
    await (await vsc.explorerItem('NOTES.md')).dblclick();
    await vsc.activeTab('NOTES.md').waitFor();
    // markdown-language-features activates markdown-math about 2 s after it starts (host log).
    await new Promise((r) => setTimeout(r, 3000));
    await vsc.runCommand('View: Close All Editors');
  });

  vsc.step('compares the two profiles: hotspots show up without stalling the host', async () => {
    cpu = new CpuSampler();
    await vsc.selectInExplorer('profiles/big/good_heap.prof', 'profiles/big/bad_heap.prof');
    // A click on the menu entry can be dropped while the preview of the first file opens (seen on a
    // fresh machine: the menu stayed open for 60 s); contextMenu then presses Enter on the entry,
    // and the figure includes that retry (300 ms).
    await vsc.contextMenu(await vsc.explorerItem('profiles/big/bad_heap.prof'), 'Compare Profiles', { beforeClick: () => { stall.from = Date.now(); phase('compare'); } });
    // The comparison's rows: signed changes (+1.2MB, −3kB). Clicking the first file opened its preview,
    // whose single-profile rows can show first when its decode ends before the other file's.
    // Watched in the page every animation frame: Playwright's own polling backs off to 500 ms steps,
    // which showed as figures ~500 ms apart for the same work.
    const rowsAt = await vsc.page.evaluate(async (view) => {
      const started = Date.now();
      for (;;) {
        const pane = [...document.querySelectorAll('.pane')].find((p) => p.querySelector(`.pane-header[aria-label="${view} Section"]`));
        if ([...(pane?.querySelectorAll('.monaco-list-row') ?? [])].some((r) => /[+\u2212]\d/.test(r.textContent ?? ''))) return Date.now();
        if (Date.now() - started > 60_000) return -1;
        await new Promise((r) => requestAnimationFrame(() => r()));
      }
    }, VIEW);
    assert.ok(rowsAt > 0, 'the comparison\'s rows never showed in the Heap Hotspots view');
    figures.resultsMs = rowsAt - stall.from;
  }, { timeout: 120_000 });

  vsc.step('opens the annotated 12,000-line source file', async () => {
    phase('annotated file');
    await vsc.runCommand('View: Close All Editors');
    const item = await vsc.explorerItem(`bench/${FIRST.file}`);
    const openFrom = Date.now();
    await item.dblclick();
    // Checked in the page every animation frame, as the switch below (the editor helpers poll every 200 ms).
    const paintedAt = await vsc.page.evaluate(async (source) => {
      const painted = new RegExp(source);
      const started = Date.now();
      for (;;) {
        const spans = document.querySelectorAll('.editor-group-container.active .monaco-editor .view-lines span');
        if ([...spans].some((s) => painted.test(getComputedStyle(s, '::after').content))) return Date.now();
        if (Date.now() - started > 60_000) return -1;
        await new Promise((r) => requestAnimationFrame(() => r()));
      }
    }, FIRST.painted.source);
    assert.ok(paintedAt > 0, 'the opened file was never annotated');
    figures.annotatedMs = paintedAt - openFrom;
  }, { timeout: 120_000 });

  vsc.step('switching back to the annotated editor paints within the budget', async () => {
    phase('editor switch');
    const m = await switchTo(FIRST.file, FIRST.afterText);
    figures.firstSwitchFile = FIRST.file;
    assert.ok(m.switchMs >= 0, 'the annotated editor never painted its after-text after switching back to it');
    figures.firstSwitchMs = m.switchMs;
    figures.firstSwitchTextMs = m.textMs;
    figures.firstSwitchCpu = describeCpu(cpu.between(m.startedAt, m.startedAt + m.switchMs));
  });

  /**
   * switchTo opens go.mod, then clicks the tab `name` and measures in the page, every animation
   * frame, the ms until its text shows and until an after-text containing `afterText` is painted.
   */
  async function switchTo(name, afterText) {
    await (await vsc.explorerItem('go.mod')).dblclick();
    await vsc.activeTab('go.mod').waitFor();
    const box = await vsc.tab(name).first().boundingBox();
    const startedAt = Date.now();
    const measured = await vsc.page.evaluate(async ({ x, y, afterText }) => {
      const painted = () => [...document.querySelectorAll('.editor-group-container.active .monaco-editor .view-lines span')]
        .some((s) => { const c = getComputedStyle(s, '::after').content; return c && c.includes(afterText); });
      const shown = () => [...document.querySelectorAll('.editor-group-container.active .monaco-editor .view-lines .view-line')]
        .some((l) => /sink\s=\sappend/.test(l.textContent ?? ''));
      const target = document.elementFromPoint(x, y);
      const started = performance.now();
      let textMs = -1;
      target.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, clientX: x, clientY: y, button: 0 }));
      target.dispatchEvent(new MouseEvent('mouseup', { bubbles: true, clientX: x, clientY: y, button: 0 }));
      target.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: x, clientY: y, button: 0 }));
      for (;;) {
        await new Promise((r) => requestAnimationFrame(() => r()));
        if (textMs < 0 && shown()) textMs = performance.now() - started;
        if (painted()) return { switchMs: performance.now() - started, textMs };
        if (performance.now() - started > 20_000) return { switchMs: -1, textMs };
      }
    }, { x: box.x + box.width / 2, y: box.y + box.height / 2, afterText });
    return { tab: name, startedAt, ...measured };
  }

  vsc.step('the panel\'s four tabs show the comparison', async () => {
    phase('panel');
    const panelFrom = Date.now();
    await vsc.runCommand('heaplens: Show Comparison Panel');
    const web = () => vsc.webview();
    await web().locator('.top-rows .top-row').first().waitFor({ timeout: 60_000 });
    figures.panelTopMs = Date.now() - panelFrom;
    await web().locator('vscode-tab-header', { hasText: 'Summary' }).click();
    await web().locator('.summary-totals tr[data-sample-type="inuse_space"]').waitFor();
    figures.callGraphMs = await drawnAfterClick(web, 'Call graph', '.graph-node');
    assert.ok(figures.callGraphMs >= 0, 'the call graph never drew');
    figures.flameMs = await drawnAfterClick(web, 'Flame graph', 'canvas.flame-canvas[data-frames]');
    assert.ok(figures.flameMs >= 0, 'the flame graph never drew');
    figures.flameFrames = Number(await web().locator('canvas.flame-canvas').getAttribute('data-frames'));
    assert.ok(figures.flameFrames > 100, `the flame graph drew ${figures.flameFrames} frames`);
  }, { timeout: 180_000 });

  vsc.step('the growth report opens', async () => {
    phase('report');
    await vsc.runCommand('heaplens: Export Growth Report');
    await vsc.activeTab('Untitled').waitFor({ timeout: 60_000 });
    stall.to = Date.now();
    cpu.stop();
  }, { timeout: 120_000 });

  // After the measured window (so the panel's figures stay comparable with earlier sessions').
  vsc.step('three switches to the annotated editor, each against a switch to a probe\'s copy; its gutter is marked to the end', async () => {
    await vsc.runCommand('View: Focus First Editor Group');
    // The floor: the same 12,000 lines under another name, which heaplens does not annotate and the
    // host's decoration probe (src/extension/decorationProbe.ts) marks with one after-text as soon as
    // VS Code says its editor is visible. Switching to it costs what any extension's decoration costs
    // in this window; the two switches alternate, three times each, under the same load.
    fs.copyFileSync(path.join(env.workspace, 'bench/big.go'), path.join(env.workspace, 'bench/decoration-probe.go'));
    for (const name of ['big.go', 'decoration-probe.go']) {
      await (await vsc.explorerItem(`bench/${name}`)).dblclick();
      await vsc.activeTab(name).waitFor();
    }
    const annotated = [];
    const probe = [];
    for (let round = 0; round < 3; round++) {
      annotated.push(await switchTo('big.go', 'inuse'));
      probe.push(await switchTo('decoration-probe.go', 'decoration probe'));
    }
    // The target is read against the median of the three (one switch moves by ±150 ms with what
    // else the two cores do at that moment); the one inside the measured window and the probe's are printed too.
    const median = (xs) => [...xs].sort((a, b) => a - b)[1];
    figures.switchMs = median(annotated.map((m) => m.switchMs));
    figures.switchTextMs = median(annotated.map((m) => m.textMs));
    figures.switchRunsMs = annotated.map((m) => Math.round(m.switchMs));
    figures.switchTextRunsMs = annotated.map((m) => Math.round(m.textMs));
    figures.probeSwitchRunsMs = probe.map((m) => Math.round(m.switchMs));
    figures.probeTextRunsMs = probe.map((m) => Math.round(m.textMs));
    for (const m of [...annotated, ...probe]) assert.ok(m.switchMs >= 0, `the editor ${m.tab} never painted its after-text after switching to it`);
    // A switch sends the marks near the visible lines with the after-texts and the file's other
    // marks a moment later: at the end of the file, its gutter has bars too.
    await vsc.tab('big.go').first().click();
    await vsc.activeTab('big.go').waitFor();
    await vsc.page.keyboard.press('Control+End');
    const gutterBarsAtEnd = await vsc.page.evaluate(async () => {
      const started = Date.now();
      for (;;) {
        const editor = document.querySelector('.editor-group-container.active .monaco-editor');
        const atEnd = [...(editor?.querySelectorAll('.line-numbers') ?? [])].some((n) => n.textContent === '12000');
        const bars = editor?.querySelectorAll('.cgmr').length ?? 0;
        if (atEnd && bars > 0) return bars;
        if (Date.now() - started > 10_000) return atEnd ? 0 : -1;
        await new Promise((r) => setTimeout(r, 50));
      }
    });
    assert.ok(gutterBarsAtEnd > 0, gutterBarsAtEnd < 0 ? 'Ctrl+End did not reach line 12,000 of big.go' : 'no gutter bar at the end of big.go');
  });

  // The figures are printed together at the end, so one run shows them all.
  vsc.step(`the host never stalled over ${STALL_BOUND_MS} ms, its own work never over ${TARGETS.longestStallMs} ms; the figures against issue #12's targets`, async (_vsc, t) => {
    const windows = stallWindows(stall.from, stall.to);
    figures.longestStallMs = Math.round(Math.max(...windows.map((w) => w.maxMs)));
    const hostWork = hostWorkInDelays(windows);
    figures.hostWorkInStallMs = hostWork?.ms;
    if (hostWork) figures.hostWorkWindow = `at +${((hostWork.window.t - stall.from) / 1000).toFixed(1)} s (${phaseAt(hostWork.window.t - 250)}; in that window the longest delay ${Math.round(hostWork.window.maxMs)} ms, the thread on a core ${hostWork.window.cpuMs} ms and waiting for one ${hostWork.window.waitMs} ms)`;
    // monitorEventLoopDelay's own longest delay, never reset, as a check of the probe's: when it
    // grew inside the window, the probe must have seen that delay too, give or take about a tick (the two
    // timers tick at different moments: 102 ms there was 99 ms here).
    const before = stallWindows(0, stall.from).filter((w) => w.t < stall.from).at(-1)?.eldMaxMs ?? 0;
    const eldMax = Math.max(...windows.map((w) => w.eldMaxMs));
    if (eldMax > before) figures.eldLongestMs = Math.round(eldMax);
    // Where the delays over the target fell (the window's end, from Compare): a figure to read with the others.
    figures.stallsOverTarget = windows.filter((w) => w.maxMs > TARGETS.longestStallMs)
      .map((w) => `${Math.round(w.maxMs)} ms at +${((w.t - stall.from) / 1000).toFixed(1)} s (${phaseAt(w.t - 250)}; thread busy ${Math.round(w.elu * 100)}% of the window${w.cpuMs !== undefined ? ` (on a core ${w.cpuMs} ms, waiting for one ${w.waitMs} ms)` : ''}, GC ${Math.round(w.gcMs)} ms, longest ${Math.round(w.maxGcMs)} ms of kind ${w.maxGcKind}, heap ${w.heapMB} MB; CPU: ${describeCpu(cpu.between(w.t - 250, w.t))})`);
    t.diagnostic(`${MB} MB pair: hotspots ${figures.resultsMs} ms after Compare; ${FIRST.file === 'big.go' ? 'annotated file' : `${FIRST.file} (the control)`} ${figures.annotatedMs} ms after opening; editor switch${FIRST.file === 'big.go' ? '' : ` to ${FIRST.file}`} painted in ${Math.round(figures.firstSwitchMs)} ms (its text in ${Math.round(figures.firstSwitchTextMs)} ms; CPU meanwhile: ${figures.firstSwitchCpu}), after the report a median of ${Math.round(figures.switchMs)} ms (the three switches ${figures.switchRunsMs.join(', ')} ms, text ${figures.switchTextRunsMs.join(', ')}; the probe's one after-text ${figures.probeSwitchRunsMs.join(', ')} ms, text ${figures.probeTextRunsMs.join(', ')}); panel's Top table ${figures.panelTopMs} ms after Show Panel; call graph ${figures.callGraphMs} ms; flame graph ${figures.flameFrames} frames in ${figures.flameMs} ms; longest host stall ${figures.longestStallMs} ms over ${((stall.to - stall.from) / 1000).toFixed(1)} s (the host's thread ran at most ${figures.hostWorkInStallMs ?? '?'} ms on a core inside one delay, ${figures.hostWorkWindow ?? 'no scheduler figures'}; the rest of a delay it waited for a core)${figures.stallsOverTarget.length ? `; over ${TARGETS.longestStallMs} ms: ${figures.stallsOverTarget.join(', ')}` : ''}`);
    for (const [name, target] of Object.entries(TARGETS)) {
      t.diagnostic(`${name}: ${Math.round(figures[name])} (target ${target}: ${figures[name] <= target ? 'met' : 'NOT met'})`);
    }
    console.log(`bigprofiles figures: ${JSON.stringify(figures)}`);
    if (figures.eldLongestMs !== undefined) assert.ok(figures.longestStallMs >= figures.eldLongestMs - 15, `monitorEventLoopDelay saw a ${figures.eldLongestMs} ms delay the probe did not (${figures.longestStallMs} ms)`);
    assert.ok(figures.longestStallMs <= STALL_BOUND_MS, `the extension host stalled for ${figures.longestStallMs} ms (bound ${STALL_BOUND_MS} ms)`);
    // The target itself holds for the host's own work: however long a delay, the host's thread ran
    // on a core for at most 23–31 ms inside it (5 runs on this machine; the delays were 66–125 ms).
    if (figures.hostWorkInStallMs === undefined) t.diagnostic('SKIPPED: the host\'s own work in its delays (the scheduler\'s figures are Linux-only)');
    else assert.ok(figures.hostWorkInStallMs <= TARGETS.longestStallMs, `the extension host's thread ran ${figures.hostWorkInStallMs} ms inside one delay (target ${TARGETS.longestStallMs} ms)`);
  });
});
