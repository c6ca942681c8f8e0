// Commands driven by arguments, the way a user's keybindings.json drives them: heaplens.compare with
// { base, target } (workspace-relative paths, compared in that order even though the "base" here is
// the later profile), then heaplens.chooseSampleType with a sample type name. No picker opens.
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { session } from './vscode.mjs';

const GOOD = 'profiles/bodies/good_heap.prof';
const BAD = 'profiles/bodies/bad_heap.prof';

// Written before the workbench loads, so the window reads it at start.
const userDir = join(process.env.E2E_USER_DATA ?? '', 'User');
mkdirSync(userDir, { recursive: true });
writeFileSync(join(userDir, 'keybindings.json'), JSON.stringify([
  // Base and target swapped on purpose: named arguments win over the profiles' times.
  { key: 'ctrl+alt+h', command: 'heaplens.compare', args: { base: BAD, target: GOOD } },
  { key: 'ctrl+alt+a', command: 'heaplens.chooseSampleType', args: 'alloc_space' },
], null, 2));

describe('commands with arguments (keybindings)', () => {
  const vsc = session('commandArgs');

  vsc.step('the workspace opens', async () => {
    await vsc.open();
    await (await vsc.explorerItem(GOOD)).waitFor();
  });

  vsc.step('a keybinding compares { base, target } in the order given, without a picker', async () => {
    // Focus the workbench without opening a profile (that would make its own session active).
    await vsc.explorerRow('go.mod').click();
    await vsc.page.keyboard.press('Control+Alt+KeyH');
    await vsc.notification(/comparing good_heap\.prof against base bad_heap\.prof \(as given\)/).waitFor({ timeout: 60_000 });
    await vsc.statusItem('good_heap.prof vs bad_heap.prof').waitFor();
    assert.equal(await vsc.page.locator('.quick-input-widget:visible').count(), 0, 'no quick pick opened');
  });

  vsc.step('a keybinding sets the sample type by name', async () => {
    await vsc.page.keyboard.press('Control+Alt+KeyA');
    await vsc.statusItem('alloc_space').waitFor();
    assert.match(await vsc.statusItem('good_heap.prof vs bad_heap.prof').first().innerText(), /alloc_space/);
    assert.equal(await vsc.page.locator('.quick-input-widget:visible').count(), 0, 'no quick pick opened');
  });
});
