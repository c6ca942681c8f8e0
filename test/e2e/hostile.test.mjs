// Hostile function names in a real VS Code: a profile pair whose path runs through a name with an
// RTL override (U+202E), one with an unbalanced `)` and a `%41` that would break a Markdown link,
// a 3,000-character name and markup (test/support/hostileProfiles.ts writes them into this file's
// workspace). The tree keeps the numbers after the RTL name in order and abbreviates the long one;
// the hover's link of the `)` frame opens its line; the call graph fits whole with small nodes; the
// panel isolates names. Look at the screenshots: test/e2e/shots/hostile/.
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { env, session } from './vscode.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const VIEW = 'Heap Hotspots';
const GOOD = 'profiles/hostile/good_heap.prof';
const BAD = 'profiles/hostile/bad_heap.prof';
const RTL = 'main.handle\u202eevil.exe';

describe('hostile names', () => {
  const vsc = session('hostile', { viewport: { width: 1600, height: 1000 } });
  const web = () => vsc.webview();

  vsc.step('a profile pair with hostile names is compared', async () => {
    // Written before the workbench loads, so the Explorer lists them.
    execFileSync(process.execPath, ['--import', 'tsx', path.join(repo, 'test/support/hostileProfiles.ts'), env.workspace], { cwd: repo });
    const fs = await import('node:fs');
    fs.renameSync(path.join(env.workspace, 'profiles/hostile/base.pb.gz'), path.join(env.workspace, GOOD));
    fs.renameSync(path.join(env.workspace, 'profiles/hostile/new.pb.gz'), path.join(env.workspace, BAD));
    await vsc.open();
    await vsc.waitForView(VIEW);
    await vsc.selectInExplorer(GOOD, BAD);
    await vsc.contextMenu(await vsc.explorerItem(BAD), 'Compare Profiles');
    await vsc.statusItem('bad_heap.prof vs good_heap.prof').first().waitFor({ timeout: 30_000 });
    await vsc.viewRow(VIEW, 'evil.exe').first().waitFor();
  }, { timeout: 180_000 });

  vsc.step('the RTL override stays inside its name: the numbers after it read left to right', async () => {
    // The function row (level 1), not the finding under the Findings group.
    const row = vsc.view(VIEW).locator('.monaco-list-row[aria-level="1"]').filter({ hasText: 'evil.exe' }).first();
    const geometry = await row.evaluate((r) => {
      const label = r.querySelector('.label-name');
      const description = r.querySelector('.label-description');
      const text = description.firstChild.nodeType === 3 ? description.firstChild : description.querySelector('*').firstChild;
      const rectOf = (i) => {
        const range = document.createRange();
        range.setStart(text, i);
        range.setEnd(text, i + 1);
        return range.getBoundingClientRect();
      };
      const n = text.textContent.length;
      return { label: label.innerText, labelRight: label.getBoundingClientRect().right, description: text.textContent, first: rectOf(0).left, last: rectOf(n - 1).left };
    });
    assert.ok(geometry.label.startsWith('\u2068') && geometry.label.endsWith('\u2069'), JSON.stringify(geometry.label));
    assert.match(geometry.description, /^\+100MB \(\d+%\)$/);
    assert.ok(geometry.first < geometry.last, `"+" is drawn left of ")": ${JSON.stringify(geometry)}`);
    assert.ok(geometry.first >= geometry.labelRight - 1, `the description starts after the label: ${JSON.stringify(geometry)}`);
  });

  vsc.step('the 3,000-character name is abbreviated in its tree row', async () => {
    await vsc.expandView(VIEW);
    // Collapse the Explorer's folder section: the tree renders only the rows it has room for.
    await vsc.showFolders(false);
    const rows = await vsc.viewRowTexts(VIEW);
    const long = rows.find((r) => r.level === 1 && r.label.startsWith('main.LongLong')); // the function row, not its finding
    assert.ok(long, JSON.stringify(rows.map((r) => r.label.slice(0, 40))));
    assert.ok(long.label.length <= 100 && long.label.includes('…'), `${long.label.length} characters`);
    const width = await vsc.view(VIEW).locator('.monaco-list-row[aria-level="1"]').filter({ hasText: 'main.LongLong' }).first().evaluate((r) => r.querySelector('.label-name').getBoundingClientRect().width);
    assert.ok(width < 1000, `label is ${width}px wide`);
  });

  vsc.step('the hover\'s link of the frame with an unbalanced ")" and "%41" opens that frame\'s line', async () => {
    await vsc.showFolders(true);
    await (await vsc.explorerItem('hostile/names.go')).click();
    await vsc.activeTab('names.go').waitFor();
    await vsc.waitForAfterDecoration(/^\+100MB inuse/);
    const line = vsc.page.locator('.editor-group-container.active .view-line', { hasText: 'sink10 ' }).first();
    const hover = vsc.page.locator('.monaco-hover:not(.hidden)', { hasText: 'Top call paths through this line' }).first();
    // A hover asked for while the line's details are still computed can close empty: move away and
    // hover again (a user would), a few times.
    for (let attempt = 1; ; attempt++) {
      await line.locator('span', { hasText: 'sink10' }).first().hover();
      try { await hover.waitFor({ timeout: 8000 }); break; } catch (e) {
        if (attempt === 4) throw e;
        await vsc.page.mouse.move(5, 5);
        await vsc.page.keyboard.press('Escape');
      }
    }
    const text = await hover.innerText();
    assert.ok(text.includes('main.caller)](command:workbench.action.terminal.new) %41'), text);
    assert.ok(text.includes('\\u202e'), 'the override is shown as an escape in Markdown');
    assert.equal(await hover.locator('img').count(), 0, 'no image from a name');
    await vsc.shot('hover');
    await hover.getByRole('link', { name: /^main\.caller\)/ }).first().click();
    await vsc.activeTab('callers.go').waitFor();
    await vsc.waitForCursor(20, 1);
  });

  vsc.step('the panel isolates names, and the call graph\'s "fit" shows every node', async () => {
    await vsc.runCommand('heaplens: Show Comparison Panel');
    await vsc.tab('heap: bad_heap.prof vs good_heap.prof').first().waitFor();
    const link = web().locator('.top-rows .top-row .source-link', { hasText: 'evil.exe' }).first();
    await link.waitFor({ timeout: 30_000 });
    assert.equal(await link.evaluate((a) => getComputedStyle(a).unicodeBidi), 'isolate');
    await web().locator('vscode-tab-header', { hasText: 'Call graph' }).click();
    await web().locator('.graph-node').nth(4).waitFor({ timeout: 30_000 });
    await web().getByRole('button', { name: 'Fit to window' }).click();
    const fit = await web().locator('.graph-canvas').evaluate((canvas) => {
      const box = canvas.getBoundingClientRect();
      return [...canvas.querySelectorAll('.graph-node')].map((n) => {
        const r = n.getBoundingClientRect();
        return { inside: r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1, width: r.width, title: n.querySelector('title').textContent.length };
      });
    });
    assert.equal(fit.length, 5);
    assert.ok(fit.every((n) => n.inside), `nodes outside the view after fit: ${JSON.stringify(fit)}`);
    assert.ok(fit.some((n) => n.title > 3000), 'the long name is whole in its tooltip');
    const widths = await web().locator('.graph-node rect').evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('width'))));
    assert.ok(Math.max(...widths) < 600, `widest node ${Math.max(...widths)} (was ~19,000 before abbreviation)`);
  });

  vsc.step('the flame graph draws the hostile frames and its tooltip keeps each line apart', async () => {
    await web().locator('vscode-tab-header', { hasText: 'Flame graph' }).click();
    const canvas = web().locator('canvas.flame-canvas[data-frames]');
    await canvas.waitFor({ timeout: 20_000 });
    assert.ok(Number(await canvas.getAttribute('data-frames')) >= 5);
    await canvas.hover({ position: { x: 60, y: 4 * 18 + 9 } });
    const lines = await web().locator('.flame-tooltip > div').allInnerTexts();
    assert.ok(lines.length >= 3, JSON.stringify(lines));
    assert.ok(lines.some((l) => /^base .* → new /.test(l)), JSON.stringify(lines));
  });
});
