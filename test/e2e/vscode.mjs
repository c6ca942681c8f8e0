// Helpers for driving VS Code (code-server 4.100.3 = VS Code 1.100) in headless Chromium from
// node:test. scripts/e2e/run.sh starts code-server and sets the E2E_* variables; see README.md.
//
//   const vsc = session('compare');          // inside describe(): launches the browser (before/after hooks)
//   vsc.step('opens', async () => { await vsc.open(); ... });   // screenshot per step, fail-fast
import { before, after, it } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));

/** env holds what run.sh tells the tests: server URL, workspace, fixture and output folders. */
export const env = {
  url: process.env.E2E_CS_URL ?? 'http://127.0.0.1:8080',
  workspace: process.env.E2E_WORKSPACE ?? '',
  fixtures: process.env.E2E_FIXTURES ?? path.join(here, '..', 'fixtures'),
  shots: process.env.E2E_SHOTS ?? path.join(here, 'shots'),
  runDir: process.env.E2E_RUN_DIR ?? '',
  userData: process.env.E2E_USER_DATA ?? '',
  extensionId: process.env.E2E_EXTENSION_ID ?? 'heaplens.heaplens',
  chromium: process.env.CHROMIUM ?? '/usr/bin/chromium',
  stallProbe: process.env.E2E_STALL_PROBE ?? '',
};

/** BROWSER_ARGS are the Chromium flags proven offline here (no sandbox as root, no network chatter). */
export const BROWSER_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

const EXPLORER = '.explorer-folders-view';
const slug = (s) => s.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 60);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * session registers before/after hooks that launch and close one browser page, and returns the
 * VsCode handle. Call it inside describe() (or at the top level of a test file).
 */
export function session(name, options = {}) {
  const vsc = new VsCode(name, options);
  before(() => vsc.launch(), { timeout: 60_000 });
  after(() => vsc.close(), { timeout: 30_000 });
  return vsc;
}

/** VsCode wraps one workbench page: steps, screenshots, and selectors for the VS Code 1.100 DOM. */
export class VsCode {
  constructor(name, { viewport = { width: 1400, height: 900 }, actionTimeout = 20_000 } = {}) {
    this.name = slug(name);
    this.viewport = viewport;
    this.actionTimeout = actionTimeout;
    this.shotDir = path.join(env.shots, this.name);
    this.shotCount = 0;
    this.broken = null;        // title of the first failed step; later steps are skipped
    this.pageErrors = [];      // uncaught errors of the workbench page
    this.browser = null;
    this.page = null;
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  /** launch starts Chromium (recording its pid for run.sh's teardown) and opens a blank page. */
  async launch() {
    fs.mkdirSync(this.shotDir, { recursive: true });
    // launchServer exposes the browser pid; playwright runs it in its own process group, which
    // run.sh stops at the end even if this process is killed before it can close the browser.
    this.server = await chromium.launchServer({ executablePath: env.chromium, headless: true, args: BROWSER_ARGS });
    const pid = this.server.process().pid;
    if (env.runDir && pid) fs.appendFileSync(path.join(env.runDir, 'browser-pids'), `${pid}\n`);
    this.browser = await chromium.connect(this.server.wsEndpoint());
    const context = await this.browser.newContext({ viewport: this.viewport });
    this.page = await context.newPage();
    this.page.setDefaultTimeout(this.actionTimeout);
    this.page.on('pageerror', (e) => this.pageErrors.push(e.message));
    // E2E_CONSOLE_LOG=FILE appends the page's console (every frame, webviews included) to FILE.
    if (process.env.E2E_CONSOLE_LOG) this.page.on('console', (m) => fs.appendFileSync(process.env.E2E_CONSOLE_LOG, `${new Date().toISOString()} ${m.type()} ${m.text().slice(0, 300)}\n`));
  }

  async close() {
    await this.browser?.close().catch(() => {});
    await this.server?.close().catch(() => {});
  }

  /**
   * step registers one it() that shares this page with the other steps. It takes a screenshot when
   * it passes and a FAILED-… one when it fails; after a failure the later steps are skipped at once.
   * The step's own deadline (default 90 s) fires before node:test's, so a hang still gets its screenshot.
   */
  step(title, fn, { timeout = 90_000 } = {}) {
    it(title, { timeout: timeout + 30_000 }, async (t) => {
      if (this.broken) { t.skip(`earlier step failed: ${this.broken}`); return; }
      let timer;
      const deadline = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`step timed out after ${timeout / 1000}s`)), timeout);
      });
      try {
        await Promise.race([fn(this, t), deadline]);
        await this.shot(title);
      } catch (e) {
        this.broken = title;
        const file = await this.shot(`FAILED-${title}`).catch(() => '(no screenshot)');
        t.diagnostic(`screenshot: ${file}`);
        for (const line of this.logTail()) t.diagnostic(line);
        throw e;
      } finally {
        clearTimeout(timer);
      }
    });
  }

  /** shot saves a numbered full-window screenshot in shots/<session>/ and returns its path. */
  async shot(name) {
    const file = path.join(this.shotDir, `${String(++this.shotCount).padStart(2, '0')}-${slug(name)}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** open loads the workbench on a folder (default: the test workspace) and waits for the Explorer. */
  async open({ folder = env.workspace, timeout = 60_000 } = {}) {
    await this.page.goto(`${env.url}/?folder=${encodeURIComponent(folder)}`, { timeout });
    await this.page.locator('.monaco-workbench').waitFor({ timeout });
    await this.page.locator(`${EXPLORER} .monaco-list-row`).first().waitFor({ timeout });
  }

  // ---- Explorer --------------------------------------------------------------------------------

  /** explorerRow: the Explorer row whose label is exactly `name` (top level or any expanded folder). */
  explorerRow(name) {
    return this.page.locator(EXPLORER).getByRole('treeitem', { name, exact: true });
  }

  /**
   * explorerItem expands the folders on `relPath` (relative to the workspace root, '/'-separated)
   * and returns the row of its last segment. Unlike explorerRow it tells apart equal names in
   * different folders (profiles/bodies/bad_heap.prof vs profiles/cache/bad_heap.prof). The locator
   * is tied to the row's position: get it again after expanding or collapsing other folders.
   */
  async explorerItem(relPath, { timeout = this.actionTimeout } = {}) {
    const parts = relPath.split('/').filter(Boolean);
    let index = -1;
    for (let i = 0; i < parts.length; i++) {
      index = await this.#childRowIndex(index, parts[i], timeout);
      const row = this.#rowAt(index);
      if (i < parts.length - 1 && (await row.getAttribute('aria-expanded')) === 'false') {
        await row.click();
        await this.page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('aria-expanded') === 'true',
          `${EXPLORER} .monaco-list-row[data-index="${index}"]`, { timeout });
      }
    }
    return this.#rowAt(index);
  }

  #rowAt(index) {
    return this.page.locator(`${EXPLORER} .monaco-list-row[data-index="${index}"]`);
  }

  /** Index of the row named `name` directly under the row at parentIndex (-1: the workspace root). */
  async #childRowIndex(parentIndex, name, timeout) {
    const handle = await this.page.waitForFunction(([sel, parentIndex, name]) => {
      const rows = [...document.querySelectorAll(sel)]
        .map((r) => ({ i: Number(r.dataset.index), level: Number(r.getAttribute('aria-level')), label: r.getAttribute('aria-label') }))
        .sort((a, b) => a.i - b.i);
      let start = 0;
      let level = Math.min(...rows.map((r) => r.level));
      if (parentIndex >= 0) {
        start = rows.findIndex((r) => r.i === parentIndex) + 1;
        if (start === 0) return false;
        level = rows[start - 1].level + 1;
      }
      for (let k = start; k < rows.length && rows[k].level >= level; k++) {
        if (rows[k].level === level && rows[k].label === name) return { index: rows[k].i }; // 0 is falsy
      }
      return false;
    }, [`${EXPLORER} .monaco-list-row`, parentIndex, name], { timeout });
    return (await handle.jsonValue()).index;
  }

  /** explorerSelection: workspace-relative paths of the selected Explorer rows (visible ones). */
  async explorerSelection() {
    return this.page.evaluate((sel) => {
      const rows = [...document.querySelectorAll(sel)].sort((a, b) => a.dataset.index - b.dataset.index);
      const stack = [];
      const selected = [];
      for (const r of rows) {
        const level = Number(r.getAttribute('aria-level'));
        stack.length = level - 1;
        stack[level - 1] = r.getAttribute('aria-label');
        if (r.getAttribute('aria-selected') === 'true') selected.push(stack.join('/'));
      }
      return selected.sort();
    }, `${EXPLORER} .monaco-list-row`);
  }

  /**
   * selectInExplorer selects exactly these files (workspace-relative) like a user: click the first,
   * wait for its editor tab, Ctrl+click the others; retried because the preview editor that the
   * first click opens can steal the selection. The first file is opened in a preview editor.
   */
  async selectInExplorer(...relPaths) {
    for (const p of relPaths) await this.explorerItem(p);   // expand everything first: rows move
    const want = [...relPaths].sort().join(',');
    for (let attempt = 1; ; attempt++) {
      await (await this.explorerItem(relPaths[0])).click();
      await this.activeTab(path.basename(relPaths[0])).waitFor();
      for (const p of relPaths.slice(1)) await (await this.explorerItem(p)).click({ modifiers: ['Control'] });
      const deadline = Date.now() + 5000;
      let got;
      while ((got = (await this.explorerSelection()).join(',')) !== want && Date.now() < deadline) await sleep(100);
      if (got === want) return;
      if (attempt === 3) throw new Error(`Explorer selection is [${got}], wanted [${want}]`);
    }
  }

  // ---- menus and commands ----------------------------------------------------------------------

  /**
   * openContextMenu right-clicks `target` (a locator) and returns the menu's item labels. When
   * `expect` (string or RegExp) is given it reopens the menu (up to 3 times) until that item is
   * there: contributed menu items appear only once the extension's manifest is registered.
   */
  async openContextMenu(target, { expect } = {}) {
    for (let attempt = 1; ; attempt++) {
      await target.click({ button: 'right' });
      await this.#menuEntries().first().waitFor();
      const labels = await this.menuItems();
      if (!expect || labels.some((l) => (expect instanceof RegExp ? expect.test(l) : l.includes(expect)))) return labels;
      if (attempt === 3) throw new Error(`context menu has no "${expect}": [${labels.join(' | ')}]`);
      await this.page.keyboard.press('Escape');
      await sleep(500 * attempt);
    }
  }

  /** menuItems: labels of the open context menu's entries (keybindings excluded). */
  async menuItems() {
    return this.#menuEntries().locator('.action-label').allInnerTexts()
      .then((l) => l.map((s) => s.trim()).filter(Boolean));
  }

  // entries of the open context menu (the menu bar's "Application Menu" button is a menuitem too)
  #menuEntries(options) {
    return this.page.locator('.context-view .monaco-menu').getByRole('menuitem', options);
  }

  /**
   * contextMenu right-clicks `target` and runs the menu entry `item` (string: substring, or RegExp);
   * `beforeClick` is called right before the entry is clicked (a timed step starts its clock there).
   */
  async contextMenu(target, item, { beforeClick } = {}) {
    await this.openContextMenu(target, { expect: item });
    const entry = this.#menuEntries({ name: item }).first();
    const menu = this.page.locator('.context-view .monaco-menu');
    // a click that lands while the menu is still settling can be dropped: Enter on the focused entry then
    await entry.hover();
    beforeClick?.();
    await entry.click();
    for (let attempt = 1; await menu.isVisible(); attempt++) {
      if (attempt > 3) throw new Error(`context menu entry "${item}" did not run`);
      await sleep(300);
      if (await menu.isVisible()) { await entry.hover(); await this.page.keyboard.press('Enter'); }
    }
  }

  /** closeMenu closes an open context menu or quick pick. */
  async closeMenu() {
    await this.page.keyboard.press('Escape');
  }

  /**
   * paletteCommands opens the Command Palette, types `filter` and returns the labels it shows once the
   * list has settled (the same labels on two reads in a row) and holds every label in `expect`.
   */
  async paletteCommands(filter, { expect = [], timeout = 10_000 } = {}) {
    await this.#paletteWith(`>${filter}`);
    const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.first().waitFor().catch(() => {});
    // The list filters as you type and, on a loaded machine, can show a partial list for a while.
    const deadline = Date.now() + timeout;
    let labels = [];
    for (let previous = null; ; previous = labels.join('\n')) {
      await sleep(300);
      labels = (await rows.locator('.label-name').allInnerTexts()).map((l) => l.replace(/\u00a0/g, ' ').trim());
      const complete = expect.every((e) => labels.some((l) => l.includes(e)));
      if ((complete && labels.join('\n') === previous) || Date.now() > deadline) break;
    }
    await this.closeMenu();
    return labels;
  }

  /** runCommand runs a command by its palette label ("heaplens: Open Profile", "View: Close All Editors"). */
  async runCommand(label) {
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', {
      has: this.page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }),
    }).first();
    // The palette can close under the test's hands (an editor or notification the previous action
    // opened takes focus): a click that did not happen ran nothing, so it is tried again.
    for (let attempt = 1; ; attempt++) {
      await this.#paletteWith(`>${label}`);
      try {
        await row.waitFor({ timeout: 10_000 });
        await row.click({ timeout: 5000 });
        return;
      } catch (e) {
        if (attempt === 3) throw e;
        if (await this.page.locator('.quick-input-widget .quick-input-box input').isVisible()) await this.closeMenu();
      }
    }
  }

  /** #paletteWith opens the Command Palette and types `text`, again if the palette closes before the text is in. */
  async #paletteWith(text) {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('F1');
      try {
        await input.waitFor({ state: 'visible', timeout: 5000 });
        await input.fill(text, { timeout: 5000 });
        return input;
      } catch (e) {
        if (attempt === 3) throw e;
        await this.page.locator('.monaco-workbench').click({ position: { x: 700, y: 5 } }); // focus the workbench
      }
    }
  }

  /** quickPickItems: labels of an open quick pick (e.g. one the extension shows). */
  async quickPickItems() {
    const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.first().waitFor();
    return (await rows.locator('.label-name').allInnerTexts()).map((l) => l.replace(/\u00a0/g, ' ').trim());
  }

  /** pickQuickItem chooses the quick pick entry whose label contains `text`. */
  async pickQuickItem(text) {
    await this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: text }).first().click();
  }

  // ---- contributed views -----------------------------------------------------------------------

  /** viewHeader: a view's header in the side bar ("Heap Hotspots"); present once contributions load. */
  viewHeader(title) {
    return this.page.locator(`.pane-header[aria-label="${title} Section"]`);
  }

  /** view: the whole pane (header + body) of a view. */
  view(title) {
    return this.page.locator('.pane', { has: this.viewHeader(title) });
  }

  /** waitForView waits for a contributed view's header: the extension's manifest is registered. */
  async waitForView(title, { timeout = 60_000 } = {}) {
    await this.viewHeader(title).waitFor({ timeout });
  }

  /** expandView opens a collapsed view. */
  async expandView(title) {
    const header = this.viewHeader(title);
    await header.waitFor();
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    await this.page.waitForFunction((t) => document.querySelector(`.pane-header[aria-label="${t} Section"]`)
      ?.getAttribute('aria-expanded') === 'true', title);
  }

  /**
   * waitForViewContent waits until the view shows tree rows or its welcome content, i.e. the
   * extension activated and registered a data provider (before that VS Code shows "There is no data
   * provider registered…"). Returns 'rows' or 'welcome'.
   */
  async waitForViewContent(title, { timeout = 60_000 } = {}) {
    const h = await this.page.waitForFunction((t) => {
      const header = document.querySelector(`.pane-header[aria-label="${t} Section"]`);
      const body = header?.closest('.pane')?.querySelector('.pane-body');
      if (!body || /no data provider registered/i.test(body.innerText)) return false;
      if (body.querySelector('.monaco-list-row')) return 'rows';
      const welcome = body.querySelector('.welcome-view-content');
      return welcome && welcome.offsetParent !== null && welcome.innerText.trim() ? 'welcome' : false;
    }, title, { timeout });
    return h.jsonValue();
  }

  /**
   * waitForActivation waits for the extension host to activate the extension (its log line
   * "ExtensionService#_doActivateExtension <id>") and fails with the logged error if activate()
   * threw within `settle` ms after that. Needs E2E_USER_DATA (set by run.sh).
   */
  async waitForActivation({ id = env.extensionId, timeout = 60_000, settle = 1500 } = {}) {
    const started = `_doActivateExtension ${id},`;
    const failed = `Activating extension ${id} failed`;
    const log = () => this.readLogs(/exthost\.log$/);
    const deadline = Date.now() + timeout;
    while (!log().includes(started)) {
      if (Date.now() > deadline) throw new Error(`extension ${id} was not activated within ${timeout / 1000}s`);
      await sleep(250);
    }
    for (const stop = Date.now() + settle; Date.now() < stop; await sleep(250)) {
      const text = log();
      const at = text.indexOf(failed);
      if (at >= 0) throw new Error(`activate() failed:\n${text.slice(at, at + 2000)}`);
    }
  }

  /** viewRows: every rendered row of a view's tree. */
  viewRows(title) {
    return this.view(title).locator('.monaco-list-row');
  }

  /**
   * viewRow: the row of a view whose visible text contains `text` (string or RegExp). Custom tree
   * items get their aria-label from the tooltip, so getByRole(name) only works if the extension sets
   * accessibilityInformation; visible text always works.
   */
  viewRow(title, text) {
    return this.viewRows(title).filter({ hasText: text });
  }

  /** viewRowTextsWhen polls viewRowTexts until `ready(rows)` holds, then returns them (the last rows read after `timeout`). */
  async viewRowTextsWhen(title, ready, { timeout = 30_000 } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const rows = await this.viewRowTexts(title);
      if (ready(rows) || Date.now() > deadline) return rows;
      await sleep(250);
    }
  }

  /** viewRowTexts: [{label, description}] of a view's rendered rows, top to bottom. */
  async viewRowTexts(title) {
    return this.viewRows(title).evaluateAll((rows) => rows
      .sort((a, b) => a.dataset.index - b.dataset.index)
      .map((r) => ({
        label: r.querySelector('.label-name')?.innerText.trim() ?? r.innerText.trim(),
        description: r.querySelector('.label-description')?.innerText.trim() ?? '',
        level: Number(r.getAttribute('aria-level')),
      })));
  }

  // ---- editors ---------------------------------------------------------------------------------

  /** activeTab: the active tab of the active editor group, if its label contains `label`. */
  activeTab(label) {
    return this.page.locator('.editor-group-container.active .tabs-container .tab.active', { hasText: label });
  }

  /** tab: any open editor tab whose label contains `label`. */
  tab(label) {
    return this.page.locator('.tabs-container .tab', { hasText: label });
  }

  /** cursor: the active text editor's cursor from the status bar ("Ln 12, Col 1"), or null. */
  async cursor() {
    const item = this.page.locator('[id="status.editor.selection"]');
    if (!(await item.count())) return null;
    const m = /Ln (\d+), Col (\d+)/.exec(await item.innerText());
    return m ? { line: Number(m[1]), col: Number(m[2]) } : null;
  }

  /** waitForCursor waits until the status bar shows line `line` (and column `col` when given). */
  async waitForCursor(line, col) {
    const text = col === undefined ? new RegExp(`Ln ${line},`) : `Ln ${line}, Col ${col}`;
    await this.page.locator('[id="status.editor.selection"]', { hasText: text }).waitFor();
  }

  /**
   * editorLines: the rendered lines of the active text editor: {line, text, after}. `after` lists
   * the after-text decorations on that line: Monaco draws them as CSS ::after content, which
   * innerText does not see. Text has U+00A0 (Monaco's spaces) turned back into spaces.
   */
  async editorLines() {
    return this.page.evaluate(() => {
      const ed = document.querySelector('.editor-group-container.active .monaco-editor');
      if (!ed) return [];
      const numbers = new Map();
      for (const el of ed.querySelectorAll('.margin-view-overlays > div')) {
        const n = el.querySelector('.line-numbers');
        if (n) numbers.set(el.style.top, Number(n.innerText.trim()));
      }
      const unquote = (c) => { try { return JSON.parse(c); } catch { return c; } };
      return [...ed.querySelectorAll('.view-lines > .view-line')].map((line) => ({
        line: numbers.get(line.style.top) ?? null,
        top: parseFloat(line.style.top),
        text: line.innerText.replace(/\u00a0/g, ' '),
        after: [...line.querySelectorAll('span')]
          .map((s) => getComputedStyle(s, '::after').content)
          .filter((c) => c && c !== 'none' && c !== 'normal' && c !== '""')
          .map((c) => unquote(c).replace(/\u00a0/g, ' ')),
      })).sort((a, b) => a.top - b.top).map(({ top, ...rest }) => rest);
    });
  }

  /** annotationOn waits for the after-text matching `pattern` on `line` of the active editor and returns it. */
  async annotationOn(line, pattern, { timeout = 20_000 } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const hit = (await this.editorLines()).find((l) => l.line === line);
      const text = hit?.after.find((a) => pattern.test(a));
      if (text) return text;
      if (Date.now() > deadline) throw new Error(`no annotation matching ${pattern} on line ${line}: ${JSON.stringify(hit)}`);
      await sleep(200);
    }
  }

  /** showFolders expands or collapses the Explorer's folder section (collapsed, a view below it gets the room to render its rows). */
  async showFolders(expanded) {
    const header = this.page.locator('.pane-header[aria-label^="Explorer Section"]');
    if (((await header.getAttribute('aria-expanded')) === 'true') !== expanded) await header.click();
    await this.page.waitForFunction((want) => document.querySelector('.pane-header[aria-label^="Explorer Section"]')
      ?.getAttribute('aria-expanded') === String(want), expanded);
  }

  /** waitForAfterDecoration waits for an after-text decoration containing `needle` (string or RegExp). */
  async waitForAfterDecoration(needle, { timeout = this.actionTimeout } = {}) {
    const match = (s) => (needle instanceof RegExp ? needle.test(s) : s.includes(needle));
    const deadline = Date.now() + timeout;
    for (;;) {
      const hit = (await this.editorLines()).find((l) => l.after.some(match));
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no after-decoration matching ${needle} in the active editor`);
      await sleep(200);
    }
  }

  // ---- webviews, notifications, status bar -----------------------------------------------------

  /**
   * webview: the content frame of a visible webview (panel or custom editor). A webview is two
   * iframes deep: iframe.webview.ready (VS Code's host page) → #active-frame (the extension's HTML).
   * `nth` picks among several visible ones (e.g. split editors).
   */
  webview({ nth = 0 } = {}) {
    return this.page.locator('iframe.webview.ready').filter({ visible: true }).nth(nth)
      .contentFrame().locator('#active-frame').contentFrame();
  }

  /**
   * settleWebviews waits until every webview shows the extension's page (VS Code's host page puts
   * it into its inner frame, #active-frame). A webview closed while its resources still load leaves
   * a request pending in VS Code's webview service worker for 30 s, and no new webview starts until
   * then: the Explorer's click opens a profile preview, and "Close All Editors" follows at once.
   */
  async settleWebviews({ timeout = 30_000 } = {}) {
    const hosts = this.page.locator('iframe.webview');
    const n = await hosts.count();
    for (let i = 0; i < n; i++) {
      await hosts.nth(i).contentFrame().locator('#active-frame').contentFrame().locator('body > *').first().waitFor({ state: 'attached', timeout });
    }
  }

  /** notifications: texts of the notification toasts currently shown. */
  async notifications() {
    return this.page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
  }

  /** notification: the toast whose message contains `text` (string or RegExp); `.waitFor()` it. */
  notification(text) {
    return this.page.locator('.notifications-toasts .notification-list-item', {
      has: this.page.locator('.notification-list-item-message', { hasText: text }),
    }).first();
  }

  /** statusItem: a status bar entry whose text contains `text`. */
  statusItem(text) {
    return this.page.locator('.statusbar-item', { hasText: text });
  }

  // ---- logs ------------------------------------------------------------------------------------

  /**
   * logFiles: paths under the code-server user data logs whose path matches `filter` (RegExp),
   * e.g. /exthost\.log$/ or /heaplens/i for the extension's output channel.
   */
  logFiles(filter) {
    if (!env.userData) return [];
    const out = [];
    const walk = (dir) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p); else if (filter.test(p)) out.push(p);
      }
    };
    try { walk(path.join(env.userData, 'logs')); } catch { /* no logs yet */ }
    return out;
  }

  /** readLogs: the concatenated contents of logFiles(filter). */
  readLogs(filter) {
    return this.logFiles(filter).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
  }

  /** logTail: recent error lines of the extension host and page errors, for failure reports. */
  logTail(n = 15) {
    const lines = this.readLogs(/exthost\.log$/).split("\n").filter((l) => l.includes("[error]") || l.includes(env.extensionId));
    return [...lines.slice(-n).map((l) => `exthost: ${l}`), ...this.pageErrors.slice(-5).map((e) => `pageerror: ${e}`)];
  }
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
