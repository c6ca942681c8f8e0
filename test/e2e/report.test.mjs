// The growth diagnosis in a real VS Code: after comparing the bodies scenario's two profiles, the
// comparison panel shows it on top, and "heaplens: Export Growth Report" opens a new untitled
// Markdown document whose first finding is the injected line (main.readBody, handlers.go:18) linked
// to the workspace's own handlers.go; nothing is written into the workspace.
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { env, session } from './vscode.mjs';

const VIEW = 'Heap Hotspots';
const COMMAND = 'heaplens: Export Growth Report';
const scenarios = JSON.parse(fs.readFileSync(path.join(env.fixtures, 'scenarios.json'), 'utf8'));
const bodies = scenarios.find((s) => s.name === 'bodies');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** workspaceFiles lists every file of the workspace (to prove the export wrote none). */
function workspaceFiles(dir = env.workspace) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? workspaceFiles(p) : [p];
  }).sort();
}

/** logicalLines joins the visual rows Markdown's word wrap splits a line into (rows without a number). */
async function logicalLines(vsc) {
  const out = [];
  for (const row of await vsc.editorLines()) {
    if (row.line === null && out.length > 0) out[out.length - 1].text += row.text;
    else out.push({ line: row.line, text: row.text });
  }
  return out;
}

async function waitForLines(vsc, check, what, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = await logicalLines(vsc);
    if (check(lines)) return lines;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; editor shows:\n${lines.map((l) => l.text).join('\n')}`);
    await sleep(250);
  }
}

describe('export growth report', { skip: env.workspace ? false : 'needs the e2e workspace (npm run test:e2e)' }, () => {
  const vsc = session('report');
  let filesBefore = [];

  vsc.step('opens the workspace', async () => {
    await vsc.open();
    await vsc.waitForView(VIEW);
    filesBefore = workspaceFiles();
  });

  vsc.step('without a comparison the command explains what it needs', async () => {
    await vsc.runCommand(COMMAND);
    await vsc.notification(/needs a comparison/).waitFor();
  });

  vsc.step('compares the bodies scenario', async () => {
    await vsc.selectInExplorer('profiles/bodies/good_heap.prof', 'profiles/bodies/bad_heap.prof');
    await vsc.contextMenu(await vsc.explorerItem('profiles/bodies/bad_heap.prof'), 'Compare Profiles');
    await vsc.notification(/comparing bad_heap\.prof against base good_heap\.prof/).waitFor();
  });

  vsc.step('the comparison panel opens with the diagnosis on top', async () => {
    await vsc.settleWebviews(); // the profile preview is a webview too: let it finish starting
    await vsc.runCommand('View: Close All Editors'); // the profile preview is a webview too
    await vsc.runCommand('heaplens: Show Comparison Panel');
    const findings = vsc.webview().locator('.findings .finding');
    await findings.first().waitFor({ timeout: 30_000 });
    assert.match(await findings.first().innerText(), /inuse_space went from 9\.50MB to 59\.23MB \(\+49\.73MB, ×6\.24\)/);
    const top = findings.nth(1);
    assert.match((await top.innerText()).trim(), new RegExp(`^Whole request bodies read into memory and kept: \\+[\\d.]+MB inuse_space at ${bodies.userFrame.function.replace('.', '\\.')}`));
    assert.equal(await top.locator('.source-link').innerText(), `${bodies.userFrame.function} ${bodies.userFrame.file}:${bodies.userFrame.line}`);
  });

  vsc.step('exports a Markdown report naming the injected line first', async () => {
    await vsc.runCommand(COMMAND);
    await vsc.activeTab('Untitled').waitFor();
    await vsc.statusItem('Markdown').first().waitFor();
    const line = bodies.userFrame.line;
    const lines = await waitForLines(vsc, (ls) => ls.some((l) => l.text.startsWith('### 1.')), 'the first finding');
    assert.equal(lines[0].text, '# Heap growth report');
    const first = lines.find((l) => l.text.startsWith('### 1.'));
    assert.match(first.text, new RegExp(`^### 1\\. \`${bodies.userFrame.function.replace(/[.*()]/g, '\\$&')}\` · \\[\`heapscenarios/${bodies.userFrame.file}:${line}\`\\]`));
    // Linked to the workspace's own copy of the file, at the line.
    assert.ok(first.text.includes(`${env.workspace}/${bodies.userFrame.file}#L${line}`), first.text);
    // Profile-derived words are Markdown-escaped in the source (`inuse\_space`); compare what renders.
    const rendered = (text) => text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
    assert.match(rendered(first.text), new RegExp(`— ${bodies.expectedKind}, \\+[\\d.]+MB inuse_space$`));
    assert.ok(lines.some((l) => rendered(l.text).includes('**inuse_space** went from')), 'headline');
    assert.ok(lines.some((l) => rendered(l.text).startsWith('| `inuse_space` |')), 'totals table');
    assert.ok(lines.some((l) => l.text.includes(`(\`${bodies.pattern}\`)`)), 'pattern');
  });

  vsc.step('writes nothing into the workspace', async () => {
    assert.deepEqual(workspaceFiles(), filesBefore);
  });
});
