// Smoke test: the packaged extension installs into code-server, its contributions load and it
// activates on the example workspace. Run with `npm run test:e2e` (see README.md).
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import { session } from './vscode.mjs';

const VIEW = 'Heap Hotspots';
const GOOD = 'profiles/bodies/good_heap.prof';
const BAD = 'profiles/bodies/bad_heap.prof';

describe('smoke: heaplens in VS Code', () => {
  const vsc = session('smoke');

  vsc.step('the workbench opens the example workspace', async () => {
    await vsc.open();
    await vsc.explorerRow('profiles').waitFor();
    await vsc.explorerRow('handlers.go').waitFor();
    await vsc.explorerRow('go.mod').waitFor();
  });

  vsc.step('the Explorer shows the heap profiles', async () => {
    await (await vsc.explorerItem(GOOD)).waitFor();
    await (await vsc.explorerItem(BAD)).waitFor();
    await (await vsc.explorerItem('profiles/broken.prof')).waitFor();
  });

  vsc.step(`the extension contributes the "${VIEW}" view`, async () => {
    await vsc.waitForView(VIEW);
  });

  vsc.step('the extension activates when its view is shown', async () => {
    await vsc.expandView(VIEW);
    await vsc.waitForActivation();
    const content = await vsc.waitForViewContent(VIEW);
    assert.ok(['rows', 'welcome'].includes(content), content);
  });

  vsc.step('the command palette lists the heaplens commands', async () => {
    const labels = await vsc.paletteCommands('heaplens', { expect: ['heaplens: Open Profile', 'heaplens: Compare Profiles'] });
    assert.ok(labels.includes('heaplens: Open Profile'), `palette shows [${labels.join(' | ')}]`);
    assert.ok(labels.includes('heaplens: Compare Profiles'), `palette shows [${labels.join(' | ')}]`);
  });

  vsc.step('the Explorer context menu of two profiles offers Compare', async () => {
    await vsc.selectInExplorer(GOOD, BAD);   // the click on GOOD opens it in a preview editor
    assert.deepEqual(await vsc.explorerSelection(), [BAD, GOOD]);
    const items = await vsc.openContextMenu(await vsc.explorerItem(BAD), { expect: 'Compare Profiles' });
    assert.ok(items.length > 1, items.join(' | '));
    await vsc.shot('context-menu');
    await vsc.closeMenu();
  });

  vsc.step('a clicked profile opened in the heaplens editor (a webview)', async () => {
    await vsc.activeTab('good_heap.prof').waitFor();
    await vsc.webview().locator('body *').first().waitFor({ timeout: 30_000 });
  });

  vsc.step('the workbench reported no uncaught page errors from the extension', async () => {
    const ours = vsc.pageErrors.filter((e) => /heaplens/i.test(e));
    assert.deepEqual(ours, []);
  });
});
