// heaplens in Chinese: code-server with the display language zh-cn (see displayLanguage.mjs for how
// VS Code decides it), the extension host reporting vscode.env.language === 'zh-cn', and heaplens'
// own surfaces — view names, commands, the tree, the hover, the panel — in Chinese. Screenshots of
// each step land in test/e2e/shots/l10n-zh-cn/.
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { env, session } from './vscode.mjs';
import { useDisplayLanguage } from './displayLanguage.mjs';

const VIEW = '堆热点';
const scenarios = JSON.parse(fs.readFileSync(path.join(env.fixtures, 'scenarios.json'), 'utf8'));
const bodies = scenarios.find((s) => s.name === 'bodies');
const GOOD = 'profiles/bodies/good_heap.prof';
const BAD = 'profiles/bodies/bad_heap.prof';

/** waitForLog polls heaplens' Output channel log for a line matching `re`. */
async function waitForLog(vsc, re, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = vsc.readLogs(/heaplens\.log$/);
    const m = text.match(re);
    if (m) return m;
    if (Date.now() > deadline) throw new Error(`heaplens log never matched ${re}:\n${text.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('l10n: heaplens with the display language zh-cn', () => {
  const vsc = session('l10n-zh-cn');

  vsc.step('with a zh-cn language pack registered and argv.json locale zh-cn, the view is 堆热点', async () => {
    useDisplayLanguage(env.userData, 'zh-cn');
    await vsc.open();
    await vsc.waitForView(VIEW);
    await vsc.expandView(VIEW);
    assert.equal(await vsc.waitForViewContent(VIEW), 'welcome');
    const welcome = await vsc.view(VIEW).locator('.welcome-view-content').innerText();
    assert.match(welcome, /比较两个 Go 堆或 goroutine profile/);
  });

  vsc.step('the extension host runs with vscode.env.language === zh-cn', async () => {
    const [, language] = await waitForLog(vsc, /display language (\S+)/);
    assert.equal(language, 'zh-cn');
  });

  vsc.step('the command palette lists heaplens commands in Chinese', async () => {
    const titles = ['比较 profile', '打开 profile', '显示比较面板', '导出增长报告'];
    const commands = await vsc.paletteCommands('heaplens', { expect: titles });
    for (const title of titles) {
      assert.ok(commands.some((c) => c.includes(title)), `${title} not in ${JSON.stringify(commands)}`);
    }
  });

  vsc.step('Explorer: two profiles → right-click → 比较 profile fills the tree, in Chinese', async () => {
    await vsc.selectInExplorer(GOOD, BAD);
    await vsc.contextMenu(await vsc.explorerItem(BAD), '比较 profile');
    await vsc.notification(/正在加载|比较/).waitFor().catch(() => {}); // the load notice may be gone already
    await vsc.showFolders(false); // room for the tree
    await vsc.viewRow(VIEW, bodies.site.function).first().waitFor({ timeout: 30_000 });
    // The findings group is inserted above the hotspots when the diagnosis arrives, after the rows.
    const rows = await vsc.viewRowTextsWhen(VIEW, (r) => r[0]?.label === '发现');
    assert.equal(rows[0].label, '发现');
    assert.match(rows[0].description, /项显著|没有超出采样噪声的变化/);
    const message = await vsc.view(VIEW).locator('.message').innerText().catch(() => '');
    assert.match(message, /对比基线 good_heap\.prof/);
    await vsc.statusItem('bad_heap.prof vs good_heap.prof').first().waitFor();
  });

  vsc.step('a call site row reads 调用位置 file:line', async () => {
    const expand = async (text) => {
      const row = vsc.viewRow(VIEW, text).first();
      await row.waitFor();
      if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
      await vsc.page.waitForFunction((el) => el.getAttribute('aria-expanded') === 'true', await row.elementHandle());
    };
    await expand(bodies.site.function);
    await vsc.viewRow(VIEW, /调用位置 \S+:\d+/).first().waitFor();
  });

  vsc.step('the hover on an annotated line is in Chinese (table heads, call paths)', async () => {
    const rows = await vsc.viewRowTexts(VIEW);
    await vsc.viewRow(VIEW, rows[1].description).first().click(); // the first finding opens the user's line
    await vsc.activeTab(bodies.userFrame.file).waitFor();
    await vsc.waitForCursor(bodies.userFrame.line, 1);
    await vsc.waitForAfterDecoration('inuse');
    const line = vsc.page.locator('.editor-group-container.active .view-line', { hasText: 'buf.ReadFrom(r.Body)' }).first();
    await line.locator('span', { hasText: 'ReadFrom' }).first().hover();
    const hover = vsc.page.locator('.monaco-hover:not(.hidden)', { hasText: '经过此行的主要调用路径' }).first();
    await hover.waitFor();
    const text = await hover.innerText();
    for (const t of ['此行的 cum', '基线', '新', 'inuse_space', 'alloc_space']) assert.ok(text.includes(t), `${t} not in ${text}`);
    await vsc.shot('hover');
    await vsc.page.keyboard.press('Escape');
  });

  vsc.step('显示比较面板: the panel page is zh-cn and its summary is in Chinese', async () => {
    await vsc.runCommand('heaplens: 显示比较面板');
    const web = vsc.webview();
    await web.locator('.top-rows .top-row .source-link').first().waitFor({ timeout: 30_000 });
    assert.equal(await web.locator('html').getAttribute('lang'), 'zh-cn');
    const tabs = await web.locator('vscode-tab-header').allInnerTexts();
    assert.deepEqual(tabs.map((t) => t.trim()), ['概要', 'Top', '调用图', '火焰图']);
    await web.locator('vscode-tab-header', { hasText: '概要' }).click();
    await web.locator('h2', { hasText: '各采样类型的总量' }).waitFor();
    await web.locator('th', { hasText: '采样周期' }).first().waitFor();
  });

  vsc.step('the Diagnosis above the tabs is in Chinese (headline, finding, advice)', async () => {
    const web = vsc.webview();
    const findings = web.locator('section.findings');
    await findings.locator('h2', { hasText: '诊断' }).waitFor();
    const text = await findings.innerText();
    assert.match(text, /inuse_space 从 \S+ 变为 \S+（/);
    // The finding's kind, the reason (written in the analysis worker) and the advice.
    assert.match(text, /保留|整个请求体/);
    assert.match(text, /期间分配的 .* 中保留了 \d+%/);
    assert.doesNotMatch(text, /\b(kept|allocated in between|Cause unknown|Allocated in)\b/);
    await vsc.shot('diagnosis');
  });

  vsc.step('Top: our headers and tooltips are Chinese, pprof\'s flat and cum stay', async () => {
    const web = vsc.webview();
    await web.locator('vscode-tab-header', { hasText: 'Top' }).click();
    const heads = (await web.locator('.top-header [role="columnheader"]').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(heads, ['flat Δ', 'flat%', 'sum%', 'cum Δ', 'cum%', '基线', '新', 'Δ', 'Δ%', '名称']);
    assert.match(await web.locator('.top-header [data-column="base"]').getAttribute('title'), /基线 profile 中的值 — 按 Enter 或点击排序/);
    assert.match(await web.locator('.top-scroll').getAttribute('aria-label'), /^Top 函数：方向键移动选择，在第一行按上方向键到达列标题/);
    await web.locator('.tab-top .muted', { hasText: /\d+ 行/ }).first().waitFor();
    await vsc.shot('top');
  });

  vsc.step('the call graph: toolbar, status and node tooltips in Chinese', async () => {
    const web = vsc.webview();
    await web.locator('vscode-tab-header', { hasText: '调用图' }).click();
    await web.locator('.graph-node', { hasText: 'readBody' }).first().waitFor({ timeout: 30_000 });
    await web.locator('.graph-status', { hasText: /\d+ 个节点，\d+ 条边/ }).waitFor();
    const toolbar = await web.locator('.tab-graph .toolbar').innerText();
    assert.match(toolbar, /节点比例/);
    assert.match(toolbar, /边比例/);
    const tip = await web.locator('.graph-node', { hasText: 'readBody' }).first().locator('title').textContent();
    assert.match(tip, /点击：源码 · 右键：邻近节点/);
    await vsc.shot('call-graph');
  });

  vsc.step('Peek: callers and callees in Chinese', async () => {
    const web = vsc.webview();
    await web.locator('.graph-node', { hasText: 'readBody' }).first().click({ button: 'right' }); // selects without opening a source
    const peek = web.locator('aside.peek');
    await peek.locator('.peek-title', { hasText: 'main.readBody' }).waitFor();
    const text = await peek.innerText();
    assert.match(text, /调用者（\d+）/);
    assert.match(text, /被调用者（\d+）/);
    assert.match(text, /函数\s+基线\s+新\s+Δ/);
    await vsc.shot('peek');
  });

  vsc.step('the flame graph: toolbar, text alternative and tooltip in Chinese', async () => {
    const web = vsc.webview();
    await web.locator('vscode-tab-header', { hasText: '火焰图' }).click();
    const canvas = web.locator('canvas.flame-canvas[data-frames]');
    await canvas.waitFor({ timeout: 20_000 });
    assert.match(await canvas.getAttribute('aria-label'), /^火焰图。方向键在帧之间移动/);
    await canvas.hover({ position: { x: 40, y: 9 } }); // the root: all samples
    const tip = await web.locator('.flame-tooltip').innerText();
    assert.match(tip, /全部采样/);
    assert.match(tip, /基线 \S+ → 新 \S+/);
    assert.match(tip, /点击：重置缩放/);
    await web.locator('.tab-flame input[type="search"]').fill('readBody');
    await web.locator('.tab-flame .muted', { hasText: /匹配整个图的 [\d.]+%/ }).waitFor();
    await vsc.shot('flame-graph');
    await web.locator('.tab-flame input[type="search"]').fill('');
  });

  vsc.step('a truncated profile: the error names the file and the decoder\'s problem in Chinese, and so does the page', async () => {
    // Decoded in a decode worker started by the analysis worker: both get the zh-cn bundle.
    await vsc.showFolders(true);
    await (await vsc.explorerItem('profiles/broken.prof')).click();
    await vsc.notification(/broken\.prof：gzip 数据不完整（数据流提前结束）/).waitFor({ timeout: 30_000 });
    // The comparison panel may still be visible beside the editor: look in every visible webview.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const counts = await Promise.all([0, 1].map((nth) => vsc.webview({ nth }).getByText('无法读取此 profile').count().catch(() => 0)));
      if (counts.some((n) => n > 0)) break;
      if (Date.now() > deadline) throw new Error('the profile editor never showed 无法读取此 profile');
      await new Promise((r) => setTimeout(r, 250));
    }
    await vsc.shot('broken-profile');
  });
});
