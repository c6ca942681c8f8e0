// Capture from a live Go service inside VS Code: the test builds and starts the fixtures' leaky
// service (net/http/pprof on a loopback port), runs "Capture Heap Profile…" and "Capture Series…"
// from the Command Palette, and checks the saved files, the opened profile, the Growth Trend tree and
// the trend panel — whose first suspect must be the service's leaking line.
import { after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { env, session } from './vscode.mjs';

const SERVICE = path.join(env.fixtures, 'go', 'leakyservice');
const LEAK_LINE = fs.readFileSync(path.join(SERVICE, 'leak.go'), 'utf8').split('\n')
  .findIndex((l) => l.includes('event := make([]byte, size)')) + 1;
const hasGo = (() => { try { execFileSync('go', ['version'], { stdio: 'ignore' }); return true; } catch { return false; } })();
const CAPTURES = path.join(env.workspace, '.heaplens');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** captured lists the heap-*.pb.gz files saved so far. */
function captured() {
  try { return fs.readdirSync(CAPTURES).filter((f) => /^heap-\d{8}-\d{6}(-\d+)?\.pb\.gz$/.test(f)).sort(); } catch { return []; }
}

/** everything lists every file in .heaplens/ (bundles add goroutine-… and memstats-… files). */
function everything() {
  try { return fs.readdirSync(CAPTURES); } catch { return []; }
}

async function waitFor(what, check, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

describe('capture and trend from a running Go service', { skip: hasGo && env.workspace ? false : 'needs go and the e2e workspace' }, () => {
  let child;
  let address = '';
  let work = '';
  const hadCaptures = fs.existsSync(CAPTURES);
  const before0 = new Set(captured());
  const beforeAll = new Set(everything());

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'heaplens-e2e-leaky-'));
    const binary = path.join(work, 'leakyservice');
    execFileSync('go', ['build', '-o', binary, '.'], { cwd: SERVICE, stdio: ['ignore', 'ignore', 'inherit'], timeout: 90_000 });
    child = spawn(binary, ['-addr', '127.0.0.1:0', '-duration', '240s', '-leak-every', '50ms'], { stdio: ['ignore', 'pipe', 'inherit'] });
    address = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('leakyservice did not print "listening on" within 10 s')), 10_000);
      let out = '';
      child.stdout.on('data', (d) => {
        out += String(d);
        const m = /^listening on (127\.0\.0\.1:\d+)$/m.exec(out);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      });
      child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`leakyservice exited early (${code})`)); });
    });
  }, { timeout: 120_000 });

  after(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    }
    // Leave the shared workspace as it was: remove only what this test captured.
    for (const f of everything()) if (!beforeAll.has(f)) fs.rmSync(path.join(CAPTURES, f), { force: true });
    if (!hadCaptures) fs.rmSync(CAPTURES, { recursive: true, force: true });
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  const vsc = session('capture');
  let series = [];
  const quickInput = () => vsc.page.locator('.quick-input-widget .quick-input-box input');
  /** answer waits for the input box titled `title` (the widget is reused between questions), types and confirms. */
  const answer = async (title, value) => {
    await vsc.page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor();
    await quickInput().fill(value);
    await vsc.page.keyboard.press('Enter');
  };

  vsc.step('opens the workspace', async () => {
    await vsc.open();
    await vsc.waitForView('Heap Hotspots');
  });

  vsc.step('Capture Heap Profile… takes host:port, saves under .heaplens/ and opens the profile', async () => {
    await vsc.runCommand('heaplens: Capture Heap Profile…');
    await quickInput().fill(address);
    // What was typed is shown with the URL it stands for.
    await vsc.page.locator('.quick-input-list .monaco-list-row', { hasText: `http://${address}/debug/pprof/heap` }).first().waitFor();
    await vsc.shot('url-typed');
    await vsc.page.keyboard.press('Enter');
    // The second question: the two switches of net/http/pprof's heap handler.
    await vsc.page.locator('.quick-input-list .monaco-list-row', { hasText: 'debug=1' }).first().waitFor();
    const options = await vsc.quickPickItems();
    assert.ok(options.includes('gc=1') && options.includes('debug=1'), options.join(' | '));
    // A bundle by default, as on the command line: the goroutine dump and MemStats come along.
    assert.ok(options.some((o) => o.startsWith('goroutines + MemStats')), options.join(' | '));
    await vsc.shot('options');
    await vsc.page.keyboard.press('Enter');
    const [file] = await waitFor('a captured profile in .heaplens/', () => {
      const fresh = captured().filter((f) => !before0.has(f));
      return fresh.length > 0 ? fresh : undefined;
    });
    await vsc.activeTab(file).waitFor();
    assert.ok(fs.statSync(path.join(CAPTURES, file)).size > 0);
    const stamp = /^heap-(.+)\.pb\.gz$/.exec(file)[1];
    for (const part of [`goroutine-${stamp}.txt`, `memstats-${stamp}.txt`]) {
      assert.ok(fs.existsSync(path.join(CAPTURES, part)), `${part} saved beside ${file}`);
    }
    assert.match(fs.readFileSync(path.join(CAPTURES, `goroutine-${stamp}.txt`), 'utf8'), /^goroutine \d+ \[/);
    // The heap profile's Summary shows the bundle's MemStats as the process-memory bar.
    const panel = vsc.webview();
    await panel.locator('vscode-tab-header', { hasText: 'Summary' }).click({ timeout: 20_000 });
    await panel.locator('.memory-bar').first().waitFor({ timeout: 20_000 });
    assert.match(await panel.locator('.memory-row').first().innerText(), new RegExp(`memstats-${stamp}\\.txt`));
    await vsc.shot('bundle-memory');
  });

  vsc.step('Capture Series… (3 × 1 s) opens the trend: the leaking line is the first suspect', async () => {
    const already = new Set(captured());
    await vsc.runCommand('heaplens: Capture Series…');
    // The address is remembered: it is offered as a recent entry.
    await vsc.page.locator('.quick-input-list .monaco-list-row', { hasText: `http://${address}/debug/pprof/heap` }).first().waitFor();
    await vsc.page.keyboard.press('Enter');
    await answer('how many snapshots?', '3');
    await answer('seconds between snapshots?', '1');
    await vsc.page.locator('.quick-input-widget .quick-input-title', { hasText: 'capture options' }).waitFor();
    await vsc.page.keyboard.press('Enter');
    series = await waitFor('three new snapshots', () => {
      const fresh = captured().filter((f) => !already.has(f));
      return fresh.length >= 3 ? fresh : undefined;
    });
    await vsc.waitForView('Growth Trend', { timeout: 30_000 });
    await vsc.expandView('Growth Trend');
    await vsc.viewRow('Growth Trend', `main.recordAuditEvent:${LEAK_LINE}`).first().waitFor();
    const rows = await vsc.viewRowTexts('Growth Trend');
    assert.equal(rows[0].label, `main.recordAuditEvent:${LEAK_LINE}`);
    assert.match(rows[0].description, /^[▁▂▃▄▅▆▇█]{3} \+[\d.]+[kMG]B\/min$/);
    await vsc.shot('trend');
  });

  vsc.step('the trend panel lists the suspect with its sparkline', async () => {
    const frames = vsc.page.locator('iframe.webview.ready').filter({ visible: true });
    const deadline = Date.now() + 20_000;
    let panel;
    while (!panel) {
      for (let i = 0; i < await frames.count(); i++) {
        const f = vsc.webview({ nth: i });
        if (await f.locator('#suspects').count()) { panel = f; break; }
      }
      if (!panel && Date.now() > deadline) throw new Error('no visible webview shows the trend suspects');
      if (!panel) await sleep(250);
    }
    const first = panel.locator('#suspects tbody tr').first();
    await first.waitFor();
    const text = (await first.innerText()).replace(/\s+/g, ' ');
    assert.match(text, new RegExp(`main\\.recordAuditEvent leak\\.go:${LEAK_LINE}`));
    assert.match(text, /rose 2\/2/);
    assert.equal(await first.locator('svg polyline').count(), 1);
    await vsc.shot('trend-panel');
    // One click from the suspect to its line (the service's source is outside the workspace: opened by its absolute path).
    await first.locator('button.frame', { hasText: 'main.recordAuditEvent' }).click();
    await vsc.activeTab('leak.go').waitFor();
    await vsc.waitForCursor(LEAK_LINE);
  });

  vsc.step('three profiles selected in the Explorer → Show Trend Across Profiles', async () => {
    await vsc.runCommand('View: Close All Editors');
    const paths = series.map((f) => `.heaplens/${f}`);
    await vsc.selectInExplorer(...paths);
    await vsc.contextMenu(await vsc.explorerItem(paths[2]), 'Show Trend Across Profiles');
    await vsc.page.locator('.tabs-container .tab', { hasText: 'Growth Trend' }).waitFor();
    const frames = vsc.page.locator('iframe.webview.ready').filter({ visible: true });
    let found = false;
    for (const deadline = Date.now() + 20_000; !found && Date.now() < deadline; await sleep(250)) {
      for (let i = 0; i < await frames.count() && !found; i++) {
        const row = vsc.webview({ nth: i }).locator('#suspects tbody tr').first();
        found = (await row.count()) > 0 && /main\.recordAuditEvent/.test(await row.innerText());
      }
    }
    assert.ok(found, 'the trend panel shows main.recordAuditEvent as a suspect');
    await vsc.shot('explorer-trend');
  });

  vsc.step('a Growth Trend row opens the leaking line too', async () => {
    await vsc.runCommand('View: Close All Editors');
    await vsc.viewRow('Growth Trend', `main.recordAuditEvent:${LEAK_LINE}`).first().click();
    await vsc.activeTab('leak.go').waitFor();
    await vsc.waitForCursor(LEAK_LINE);
    // The leaking line carries its slope while the trend is shown.
    const hit = await vsc.waitForAfterDecoration('leak suspect');
    assert.equal(hit.line, LEAK_LINE, 'the slope sits on the leaking line');
    assert.match(hit.after.find((a) => a.includes('leak suspect')), /\u2197 \+[\d.]+[kMG]?B\/min inuse_space .* leak suspect/);
    await vsc.shot('trend-slope-annotation');
  });
});
