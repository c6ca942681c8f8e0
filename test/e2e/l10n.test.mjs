// heaplens in Chinese: code-server with the display language zh-cn (see displayLanguage.mjs for how
// VS Code decides it), the extension host reporting vscode.env.language === 'zh-cn', and heaplens'
// own surfaces — view names, commands, the tree, the hover, the panel — in Chinese. Screenshots of
// each step land in test/e2e/shots/l10n-zh-cn/.
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import { env, session } from './vscode.mjs';
import { useDisplayLanguage } from './displayLanguage.mjs';

const VIEW = '堆热点';
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
    assert.match(welcome, /比较两个 Go 堆 profile/);
  });

  vsc.step('the extension host runs with vscode.env.language === zh-cn', async () => {
    const [, language] = await waitForLog(vsc, /display language (\S+)/);
    assert.equal(language, 'zh-cn');
  });

  vsc.step('the command palette lists heaplens commands in Chinese', async () => {
    const commands = await vsc.paletteCommands('heaplens');
    for (const title of ['比较堆 profile', '打开堆 profile', '显示比较面板', '导出增长报告']) {
      assert.ok(commands.some((c) => c.includes(title)), `${title} not in ${JSON.stringify(commands)}`);
    }
  });

  vsc.step('Explorer: two profiles → right-click → 比较堆 profile fills the tree', async () => {
    await vsc.selectInExplorer(GOOD, BAD);
    await vsc.contextMenu(await vsc.explorerItem(BAD), '比较堆 profile');
    await vsc.viewRows(VIEW).first().waitFor();
  });
});
