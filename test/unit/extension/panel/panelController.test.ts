import { Uri } from '../vscodeStub';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as vscode from 'vscode';
import type { AnalysisClient } from '../../../../src/node/analysisClient';
import type { AnalysisQuery, ProfileInfo } from '../../../../src/protocol/analysis';
import type { FromWebview, ToWebview } from '../../../../src/protocol/messages';
import { PanelController } from '../../../../src/extension/panel/panelController';
import { type LoadedProfile, SessionRegistry } from '../../../../src/extension/profiles/session';

// A webview takes a second or two to start; the panel asks for its first top table when it is
// created, and the page's first request takes that answer instead of asking again, unless the view
// changed meanwhile (then the early query is cancelled and the current view asked for).

const info: ProfileInfo = {
  sampleTypes: [{ type: 'inuse_space', unit: 'bytes' }, { type: 'alloc_space', unit: 'bytes' }], pprofDefault: 'inuse_space', totals: [1, 1], files: [],
  facts: {} as ProfileInfo['facts'],
};
let nextHandle = 1;
const loaded = (name: string): LoadedProfile => ({ uri: Uri.file(`/w/${name}`) as unknown as vscode.Uri, name, handle: nextHandle++, info });

/** A worker whose answers the test gives: each query is kept with its signal and a way to answer it. */
function heldEngine(): { engine: AnalysisClient; asked: Array<{ query: AnalysisQuery; signal: AbortSignal; answer: (a: unknown) => void }> } {
  const asked: Array<{ query: AnalysisQuery; signal: AbortSignal; answer: (a: unknown) => void }> = [];
  const engine = {
    release: () => undefined,
    query: (query: AnalysisQuery, signal: AbortSignal) => new Promise((resolve) => { asked.push({ query, signal, answer: resolve }); }),
  } as unknown as AnalysisClient;
  return { engine, asked };
}

/** A webview that keeps what the panel posts and lets the test send the page's messages. */
function fakeWebview(): { webview: vscode.Webview; posted: ToWebview[]; send: (m: FromWebview) => void } {
  const posted: ToWebview[] = [];
  let receive: (m: FromWebview) => void = () => undefined;
  const webview = {
    options: {}, html: '', cspSource: 'vscode-resource:',
    asWebviewUri: (u: unknown) => u,
    onDidReceiveMessage: (l: (m: FromWebview) => void) => { receive = l; return { dispose: () => undefined }; },
    postMessage: async (m: ToWebview) => { posted.push(m); return true; },
  } as unknown as vscode.Webview;
  return { webview, posted, send: (m) => receive(m) };
}

const deps = (topAtStart = true) => ({ extensionUri: Uri.file('/ext') as unknown as vscode.Uri, openSource: async () => undefined, topAtStart });
const settle = () => new Promise((r) => setTimeout(r, 5));
const top = (sampleType: string) => ({ count: 0, sampleType, unit: 'bytes', granularity: 'functions', isDiff: false, total: 1, newTotal: 1, baseTotal: 0, node: new Int32Array(0), nameIndex: new Uint32Array(0), names: [], fileIndex: new Uint32Array(0), files: [], line: new Float64Array(0), flat: new Float64Array(0), cum: new Float64Array(0) });

describe('panel: the first top table', () => {
  it('a profile\'s preview (no topAtStart) asks only once its page is ready', async () => {
    const { engine, asked } = heldEngine();
    const session = new SessionRegistry(engine).open(loaded('heap.prof'));
    const { webview, send } = fakeWebview();
    const panel = new PanelController(webview, session, deps(false));
    const tops = () => asked.filter((a) => a.query.kind === 'top');
    assert.equal(tops().length, 0);
    send({ type: 'ready' });
    await settle();
    assert.equal(tops().length, 1);
    panel.dispose();
  });

  it('is asked for when the panel is created, and the ready page gets that answer without a second query', async () => {
    const { engine, asked } = heldEngine();
    const session = new SessionRegistry(engine).open(loaded('heap.prof'));
    const { webview, posted, send } = fakeWebview();
    const panel = new PanelController(webview, session, deps());
    const tops = () => asked.filter((a) => a.query.kind === 'top');
    assert.equal(tops().length, 1, 'asked before the page is ready');
    tops()[0].answer(top('inuse_space'));
    send({ type: 'ready' });
    await settle();
    assert.equal(tops().length, 1, 'no second query');
    const view = posted.find((m) => m.type === 'view');
    assert.ok(view && view.type === 'view' && view.top.sampleType === 'inuse_space', 'the early answer is shown');
    panel.dispose();
  });

  it('is cancelled and asked again when the view changed before the page was ready; disposing cancels a pending one', async () => {
    const { engine, asked } = heldEngine();
    const session = new SessionRegistry(engine).open(loaded('heap.prof'));
    const { webview, posted, send } = fakeWebview();
    const panel = new PanelController(webview, session, deps());
    const tops = () => asked.filter((a) => a.query.kind === 'top');
    tops()[0].answer(top('inuse_space')); // answered, but for the view before the change
    session.setSampleType('alloc_space');
    send({ type: 'ready' });
    await settle();
    assert.equal(tops()[0].signal.aborted, true, 'the early query (inuse_space) is cancelled, or its answer dropped');
    const current = tops().at(-1)!;
    assert.ok(current.query.kind === 'top' && current.query.view.sampleType === 'alloc_space', 'the current view is asked for');
    current.answer(top('alloc_space'));
    await settle();
    const views = posted.filter((m) => m.type === 'view');
    assert.ok(views.length >= 1 && views.every((m) => m.type === 'view' && m.top.sampleType === 'alloc_space'), 'only the current view is shown');

    const other = new PanelController(fakeWebview().webview, session, deps());
    const early = tops().at(-1)!;
    other.dispose();
    assert.equal(early.signal.aborted, true, 'a disposed panel cancels its early query');
    panel.dispose();
  });
});
