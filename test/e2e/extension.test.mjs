// The extension host's user flow in a real VS Code: compare two profiles from the Explorer, read the
// hotspots, land on the source line with the growth painted on it, switch the sample type, open a
// profile on its own, survive a broken file, and resolve a -trimpath build's sources.
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { env, session } from './vscode.mjs';

const VIEW = 'Heap Hotspots';
const scenarios = JSON.parse(fs.readFileSync(path.join(env.fixtures, 'scenarios.json'), 'utf8'));
const bodies = scenarios.find((s) => s.name === 'bodies');
const GOOD = 'profiles/bodies/good_heap.prof';
const BAD = 'profiles/bodies/bad_heap.prof';

/** findFile returns the path of the first file named `name` under `dir` (node_modules and dot folders skipped). */
function findFile(dir, name) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) { const found = findFile(p, name); if (found) return found; } else if (entry.name === name) return p;
  }
  return undefined;
}

/** topRows: the tree's first-level function rows as {label, description} (the Findings group left out). */
async function topRows(vsc) {
  return (await vsc.viewRowTexts(VIEW)).filter((r) => r.level === 1 && r.label !== 'Findings');
}

/** waitForTopRow polls the tree until its first row satisfies `ok` (rows are rebuilt as sessions change). */
async function waitForTopRow(vsc, ok, what) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const [top] = await topRows(vsc);
    if (top && ok(top)) return top;
    if (Date.now() > deadline) throw new Error(`tree's top row never became ${what}: ${JSON.stringify(await vsc.viewRowTexts(VIEW))}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** expandRow opens a tree row by its twistie (a click on the row itself runs Go to Source). */
async function expandRow(vsc, text) {
  const row = vsc.viewRow(VIEW, text).first();
  await row.waitFor();
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
  await vsc.page.waitForFunction((el) => el.getAttribute('aria-expanded') === 'true', await row.elementHandle());
}

describe('extension: compare, hotspots, source annotations', () => {
  const vsc = session('extension');

  vsc.step('the workspace opens and the Heap Hotspots view is there', async () => {
    await vsc.open();
    await vsc.waitForView(VIEW);
    await vsc.expandView(VIEW);
  });

  vsc.step('Explorer: two profiles → right-click → Compare Profiles', async () => {
    await vsc.selectInExplorer(GOOD, BAD);
    await vsc.contextMenu(await vsc.explorerItem(BAD), 'Compare Profiles');
    await vsc.notification(/comparing bad_heap\.prof against base good_heap\.prof/).waitFor();
    await vsc.showFolders(false); // room for the hotspot tree: it only renders the rows it can show
  });

  vsc.step(`the top hotspot is the injected growth site (${bodies.site.function}) and the status bar shows the comparison`, async () => {
    const top = await waitForTopRow(vsc, (r) => r.description.startsWith('+'), 'a growth row');
    assert.equal(top.label, bodies.site.function);
    assert.match(top.description, /^\+\d+(\.\d+)?MB \(\d+%\)$/);
    await vsc.statusItem('bad_heap.prof vs good_heap.prof').waitFor();
    assert.match(await vsc.statusItem('bad_heap.prof vs good_heap.prof').first().innerText(), /inuse_space/);
  });

  vsc.step(`the findings above the hotspots name the user's line (${bodies.userFrame.function}) and the pattern; a click opens it`, async () => {
    // The findings group is inserted above the hotspots when the diagnosis arrives, after the rows.
    const rows = await vsc.viewRowTextsWhen(VIEW, (r) => r[0]?.label === 'Findings');
    assert.equal(rows[0].label, 'Findings');
    const finding = rows[1];
    assert.equal(finding.level, 2);
    assert.match(finding.label, new RegExp(`^${bodies.userFrame.function.replace(/[.*()]/g, '\\$&')} \\S*${bodies.userFrame.file}:${bodies.userFrame.line}$`));
    assert.match(finding.description, new RegExp(`^\\+\\d+(\\.\\d+)?MB ${bodies.expectedKind} · ${bodies.pattern}`));
    await vsc.viewRow(VIEW, finding.description).first().click();
    await vsc.activeTab(bodies.userFrame.file).waitFor();
    await vsc.waitForCursor(bodies.userFrame.line, 1);
    await vsc.annotationOn(bodies.userFrame.line, /^\+\d+(\.\d+)?MB inuse/);
  });

  vsc.step(`clicking the top hotspot opens ${bodies.site.file} at line ${bodies.site.line} with the growth painted on it`, async () => {
    await vsc.viewRow(VIEW, bodies.site.function).first().click();
    await vsc.activeTab(path.basename(bodies.site.file)).waitFor();
    await vsc.waitForCursor(bodies.site.line, 1);
    const text = await vsc.annotationOn(bodies.site.line, /^\+\d+(\.\d+)?MB inuse \((\+\d+%|new)\)$/);
    assert.ok(text);
  });

  vsc.step(`expanding callers reaches the user frame ${bodies.userFrame.function}; clicking it opens the workspace's ${bodies.userFrame.file}:${bodies.userFrame.line}`, async () => {
    await expandRow(vsc, bodies.site.function);
    await expandRow(vsc, 'bytes.(*Buffer).grow');
    await expandRow(vsc, 'bytes.(*Buffer).ReadFrom');
    const caller = vsc.viewRow(VIEW, bodies.userFrame.function).filter({ hasText: `calls at ${bodies.userFrame.file}:${bodies.userFrame.line}` }).first();
    await caller.click();
    await vsc.activeTab(bodies.userFrame.file).waitFor();
    await vsc.waitForCursor(bodies.userFrame.line, 1);
    // The profile names /tmp/heaplens-build/heapscenarios/handlers.go; the editor must show the workspace's copy.
    const title = await vsc.page.title();
    assert.ok(!title.includes('heaplens-build'), title);
    await vsc.annotationOn(bodies.userFrame.line, /^\+\d+(\.\d+)?MB inuse/);
  });

  vsc.step('Choose Sample Type → alloc_space: tree, status bar and annotations follow', async () => {
    const before = await vsc.annotationOn(bodies.userFrame.line, /inuse/);
    const [topBefore] = await topRows(vsc);
    await vsc.runCommand('heaplens: Choose Sample Type');
    // Each entry: the type, what it means, and base → new totals (detail lines are .label-name too).
    const items = await vsc.quickPickItems();
    assert.deepEqual(items.filter((l) => /^\w+_(space|objects)$/.test(l)), ['inuse_space', 'inuse_objects', 'alloc_space', 'alloc_objects']);
    assert.ok(items.some((l) => /MB → .*MB \(\+/.test(l)), items.join(' | '));
    await vsc.pickQuickItem('alloc_space');
    await vsc.statusItem('alloc_space').waitFor();
    const after = await vsc.annotationOn(bodies.userFrame.line, /^\+\d+(\.\d+)?MB alloc \(/);
    assert.notEqual(after, before);
    const topAfter = await waitForTopRow(vsc, (r) => r.description !== topBefore.description, 'relabelled');
    assert.match(topAfter.description, /^\+\d+(\.\d+)?(MB|GB) \(\d+%\)$/);
    await vsc.view(VIEW).getByText(/alloc_space/).first().waitFor();
  });

  vsc.step('hovering an annotated line shows every sample type and the call paths through it; a path frame is a link', async () => {
    const line = vsc.page.locator('.editor-group-container.active .view-line', { hasText: 'buf.ReadFrom(r.Body)' }).first();
    await line.locator('span', { hasText: 'ReadFrom' }).first().hover();
    const hover = vsc.page.locator('.monaco-hover:not(.hidden)', { hasText: 'Top call paths through this line' }).first();
    await hover.waitFor();
    const text = await hover.innerText();
    for (const t of ['inuse_space', 'inuse_objects', 'alloc_space', 'alloc_objects']) assert.ok(text.includes(t), text);
    assert.match(text, /main\.readBody/);
    await vsc.shot('hover');
    await hover.getByRole('link', { name: /growSlice:\d+/ }).first().click();
    await vsc.activeTab('buffer.go').waitFor();
    await vsc.waitForCursor(bodies.site.line, 1);
    // Back to handlers.go for the next steps, through the tree's call-site row.
    await vsc.viewRow(VIEW, bodies.userFrame.function).first().click();
    await vsc.activeTab(bodies.userFrame.file).waitFor();
  });

  vsc.step('Toggle Source Annotations removes the annotations, and toggling again brings them back', async () => {
    await vsc.runCommand('heaplens: Toggle Source Annotations');
    const deadline = Date.now() + 10_000;
    while ((await vsc.editorLines()).some((l) => l.after.some((a) => /alloc/.test(a)))) {
      if (Date.now() > deadline) throw new Error('annotations still shown after toggling off');
      await new Promise((r) => setTimeout(r, 200));
    }
    await vsc.runCommand('heaplens: Toggle Source Annotations');
    await vsc.annotationOn(bodies.userFrame.line, /alloc/);
  });

  vsc.step(`a new .go file of another name leaves the annotations alone; ${bodies.userFrame.file} moved away and back loses and regains them`, async () => {
    const local = findFile(env.workspace, bodies.userFrame.file);
    assert.ok(local, `${bodies.userFrame.file} is not in the workspace`);
    await vsc.annotationOn(bodies.userFrame.line, /alloc/);
    // Watched every animation frame: a repaint clears the marks before the worker's lines come back.
    const keptEveryFrame = vsc.page.evaluate(async () => {
      const shown = () => [...document.querySelectorAll('.editor-group-container.active .monaco-editor .view-lines span')]
        .some((s) => { const c = getComputedStyle(s, '::after').content; return c && c.includes('alloc'); });
      const started = performance.now();
      while (performance.now() - started < 3000) {
        if (!shown()) return false;
        await new Promise((r) => requestAnimationFrame(() => r()));
      }
      return true;
    });
    fs.writeFileSync(path.join(path.dirname(local), 'unrelated_new.go'), 'package main\n');
    assert.ok(await keptEveryFrame, 'a new, unrelated .go file made the annotations go away for a moment');
    fs.renameSync(local, `${local}.moved`);
    const deadline = Date.now() + 20_000;
    while ((await vsc.editorLines()).some((l) => l.after.some((a) => /alloc/.test(a)))) {
      if (Date.now() > deadline) throw new Error(`annotations still shown after ${bodies.userFrame.file} was moved away`);
      await new Promise((r) => setTimeout(r, 200));
    }
    fs.renameSync(`${local}.moved`, local);
    await vsc.annotationOn(bodies.userFrame.line, /alloc/);
    fs.rmSync(path.join(path.dirname(local), 'unrelated_new.go'));
  });

  vsc.step('opening a profile file shows the single-profile view in the heaplens editor', async () => {
    await vsc.showFolders(true);
    await (await vsc.explorerItem('profiles/cache/bad_heap.prof')).click();
    await vsc.activeTab('bad_heap.prof').waitFor();
    await vsc.statusItem('bad_heap.prof · inuse_space').first().waitFor();
    const cacheSite = scenarios.find((s) => s.name === 'cache').site.function;
    await vsc.webview().getByText(cacheSite).first().waitFor({ timeout: 30_000 });
  });

  vsc.step('a truncated profile: an error naming the file, and a page saying so', async () => {
    await (await vsc.explorerItem('profiles/broken.prof')).click();
    await vsc.notification(/broken\.prof: .*truncated/).waitFor();
    await vsc.webview().getByText('This profile cannot be read').waitFor();
    await vsc.shot('broken-page');
    // "Open as text" hands the file to VS Code's own editor (which declines binary content).
    await vsc.webview().getByRole('link', { name: 'Open as text' }).click();
    await vsc.page.getByText(/binary or uses an unsupported text encoding/).first().waitFor();
  });

  vsc.step('after the broken file, comparing a -trimpath build works and resolves the standard library through GOROOT', async () => {
    const good = 'profiles/trimpath/bodies/good_heap.prof';
    const bad = 'profiles/trimpath/bodies/bad_heap.prof';
    await vsc.selectInExplorer(good, bad);
    await vsc.contextMenu(await vsc.explorerItem(bad), 'Compare Profiles');
    await vsc.notification(/comparing bad_heap\.prof against base good_heap\.prof/).waitFor();
    await vsc.showFolders(false);
    await vsc.statusItem('bad_heap.prof vs good_heap.prof · inuse_space').first().waitFor();
    const top = await waitForTopRow(vsc, (r) => r.label === bodies.site.function, bodies.site.function);
    assert.ok(!top.description.includes('source not found'), top.description);
    // The tooltip is made when the row is hovered (resolveTreeItem): numbers and the source file.
    // The findings group goes above the rows; once it is there the rows stay where they are.
    await vsc.viewRow(VIEW, 'Findings').first().waitFor();
    await vsc.viewRow(VIEW, bodies.site.function).first().hover();
    const tip = vsc.page.locator('.monaco-hover', { hasText: 'Source:' }).first();
    await tip.waitFor({ timeout: 15_000 });
    assert.match(await tip.innerText(), new RegExp(`${path.basename(bodies.site.file)}[\\s\\S]*flat`));
    await vsc.page.keyboard.press('Escape');
    await vsc.viewRow(VIEW, bodies.site.function).first().click();
    await vsc.activeTab(path.basename(bodies.site.file)).waitFor();
    await vsc.waitForCursor(bodies.site.line, 1);
    await vsc.annotationOn(bodies.site.line, /inuse/);
  });

  vsc.step('legacy heap profile text carries no time: the first selected file is the base, and the message says why', async () => {
    await vsc.showFolders(true);
    await vsc.selectInExplorer('profiles/legacy/good_heap.prof', 'profiles/legacy/bad_heap.prof');
    await vsc.contextMenu(await vsc.explorerItem('profiles/legacy/bad_heap.prof'), 'Compare Profiles');
    const note = vsc.notification(/comparing .* against base .*selected first/);
    await note.waitFor();
    await vsc.showFolders(false);
    const text = await note.innerText();
    const [, target, base] = /comparing (\S+) against base (\S+)/.exec(text);
    assert.notEqual(target, base);
    await vsc.statusItem(`${target} vs ${base}`).first().waitFor();
    // Swap from the notification puts the other file in the base's place.
    const before = await waitForTopRow(vsc, (r) => r.label === bodies.site.function, bodies.site.function);
    await note.getByRole('button', { name: 'Swap' }).click();
    await vsc.statusItem(`${base} vs ${target}`).first().waitFor();
    // The same function, its change negated.
    const after = await waitForTopRow(vsc, (r) => r.description !== before.description, 'swapped');
    assert.equal(after.label, before.label);
    assert.equal(after.description.replace(/^\u2212/, '+'), before.description.replace(/^\u2212/, '+'));
    assert.notEqual(after.description[0], before.description[0]);
  });

  vsc.step('the workbench reported no uncaught page errors from the extension', async () => {
    assert.deepEqual(vsc.pageErrors.filter((e) => /heaplens/i.test(e)), []);
  });
});
