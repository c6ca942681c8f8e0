import { window } from '../vscodeStub';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalysisClient } from '../../../../src/node/analysisClient';
import type { AnalysisQuery, HotspotsAnswer, ProfileInfo } from '../../../../src/protocol/analysis';
import type { FindingRow } from '../../../../src/core/diagnose';
import type { HotspotRow } from '../../../../src/core/hotspots';
import { type LoadedProfile, SessionRegistry } from '../../../../src/extension/profiles/session';
import { HotspotTreeProvider } from '../../../../src/extension/hotspots/hotspotTree';
import type { SourceResolver } from '../../../../src/extension/source/sourceResolver';

// The Heap Hotspots tree asks for a session's first rows as soon as the session is active (not when
// the window gets round to asking for children), and a session that stops being active before its
// rows came gets its query cancelled, so the worker turns to the new session's rows at once. The
// Explorer's order: a click on a profile opens its preview (a session), then Compare opens another.

const info: ProfileInfo = {
  sampleTypes: [{ type: 'inuse_space', unit: 'bytes' }], pprofDefault: 'inuse_space', totals: [1], files: [],
  facts: {} as ProfileInfo['facts'],
};
let nextHandle = 1;
const loaded = (name: string): LoadedProfile => ({ uri: { path: `/w/${name}` } as LoadedProfile['uri'], name, handle: nextHandle++, info });

/** A worker that never answers: each query is kept with the signal that would cancel it. */
function pendingEngine(): { engine: AnalysisClient; asked: Array<{ query: AnalysisQuery; signal: AbortSignal }> } {
  const asked: Array<{ query: AnalysisQuery; signal: AbortSignal }> = [];
  const engine = {
    release: () => undefined,
    query: (query: AnalysisQuery, signal: AbortSignal) => {
      asked.push({ query, signal });
      return new Promise(() => undefined);
    },
  } as unknown as AnalysisClient;
  return { engine, asked };
}

describe('hotspot tree: first rows', () => {
  window.withProgress = (_options: unknown, task: () => Promise<unknown>) => task();

  it('asks for the active session\'s rows before the view asks for children, and cancels them when another session takes over', () => {
    const { engine, asked } = pendingEngine();
    const sessions = new SessionRegistry(engine);
    const tree = new HotspotTreeProvider(sessions, {} as SourceResolver);
    sessions.onDidChangeActive(() => tree.prepare());

    sessions.open(loaded('good_heap.prof'));
    const hotspots = () => asked.filter((a) => a.query.kind === 'hotspots');
    assert.equal(hotspots().length, 1, 'the preview\'s rows are asked for at once');
    assert.equal(hotspots()[0].signal.aborted, false);

    sessions.open(loaded('bad_heap.prof'), loaded('good_heap.prof'), { sampleType: 'inuse_space' });
    assert.equal(hotspots().length, 2, 'the comparison\'s rows are asked for at once');
    assert.equal(hotspots()[0].signal.aborted, true, 'the preview\'s query is cancelled');
    assert.equal(hotspots()[1].signal.aborted, false);
    const second = hotspots()[1].query;
    assert.ok(second.kind === 'hotspots' && second.pair.base !== undefined, 'the second query is the comparison\'s');

    tree.prepare();
    assert.equal(hotspots().length, 2, 'the same view is not asked twice');
    tree.dispose();
  });

  it('a view that asks for children while the rows are computed gets them when they come, without a refresh; their files are resolved at once', async () => {
    let answer: (a: HotspotsAnswer) => void = () => undefined;
    const engine = { release: () => undefined, query: () => new Promise((r) => { answer = r; }) } as unknown as AnalysisClient;
    const resolving: string[] = [];
    const sources = { resolve: async (file: string) => { resolving.push(file); return undefined; } } as unknown as SourceResolver;
    const sessions = new SessionRegistry(engine);
    const tree = new HotspotTreeProvider(sessions, sources);
    let refreshes = 0;
    tree.onDidChangeTreeData(() => refreshes++);
    sessions.open(loaded('heap.prof'));
    tree.prepare();
    const children = tree.getChildren();
    await new Promise((r) => setImmediate(r));
    const row: HotspotRow = { kind: 'function', name: 'main.grow', file: '/app/grow.go', line: 12, value: 4096, share: 1, flat: 4096 };
    answer({ rows: [row], more: 0, sampleType: { type: 'inuse_space', unit: 'bytes' }, isDiff: false, total: 4096, newTotal: 4096, baseTotal: 0 });
    const nodes = await children;
    assert.deepEqual(nodes.map((n) => n.type === 'row' && n.row.name), ['main.grow']);
    assert.equal(refreshes, 0, 'the waiting call delivered the rows');
    assert.deepEqual(resolving, ['/app/grow.go']);
    tree.dispose();
  });

  it('a comparison\'s first rows wait a moment for findings still on their way, so the findings group does not push the rows down under the pointer', async () => {
    const answers: Array<(a: HotspotsAnswer) => void> = [];
    const engine = { release: () => undefined, query: () => new Promise((r) => { answers.push(r); }) } as unknown as AnalysisClient;
    const sources = { resolve: async () => undefined } as unknown as SourceResolver;
    const row: HotspotRow = { kind: 'function', name: 'main.grow', file: '', line: 0, value: 4096, share: 1, flat: 4096 };
    const hotspots: HotspotsAnswer = { rows: [row], more: 0, sampleType: { type: 'inuse_space', unit: 'bytes' }, isDiff: true, total: 4096, newTotal: 8192, baseTotal: 4096 };
    const finding = { significant: true, label: 'main.grow' } as unknown as FindingRow;
    const kinds = (nodes: Array<{ type: string }>) => nodes.map((n) => n.type);

    // Findings 40 ms after the rows: delivered together.
    let sessions = new SessionRegistry(engine);
    let tree = new HotspotTreeProvider(sessions, sources, () => new Promise((r) => setTimeout(() => r([finding]), 40)));
    sessions.open(loaded('bad.prof'), loaded('good.prof'), { sampleType: 'inuse_space' });
    tree.prepare();
    let children = tree.getChildren();
    answers.shift()?.(hotspots);
    assert.deepEqual(kinds(await children), ['findings', 'row']);
    tree.dispose();

    // Findings that take long: the rows come after the grace, without them.
    sessions = new SessionRegistry(engine);
    tree = new HotspotTreeProvider(sessions, sources, () => new Promise(() => undefined));
    sessions.open(loaded('bad.prof'), loaded('good.prof'), { sampleType: 'inuse_space' });
    tree.prepare();
    children = tree.getChildren();
    const from = Date.now();
    answers.shift()?.(hotspots);
    assert.deepEqual(kinds(await children), ['row']);
    assert.ok(Date.now() - from < 1000, 'the grace is short');
    assert.deepEqual(kinds(await tree.getChildren()), ['row'], 'held back once, not on every call');
    tree.dispose();

    // Rows that took long (a big pair): its findings will take seconds, the rows do not wait.
    sessions = new SessionRegistry(engine);
    let findingsAsked = 0;
    tree = new HotspotTreeProvider(sessions, sources, () => { findingsAsked++; return new Promise(() => undefined); });
    sessions.open(loaded('bad.prof'), loaded('good.prof'), { sampleType: 'inuse_space' });
    tree.prepare();
    children = tree.getChildren();
    await new Promise((r) => setTimeout(r, 300));
    const answered = Date.now();
    answers.shift()?.(hotspots);
    assert.deepEqual(kinds(await children), ['row']);
    assert.ok(Date.now() - answered < 100, `no grace after slow rows (${Date.now() - answered} ms)`);
    assert.equal(findingsAsked, 1);
    tree.dispose();
  });
});
