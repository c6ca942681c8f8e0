import '../vscodeStub';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalysisClient } from '../../../../src/node/analysisClient';
import type { ProfileInfo } from '../../../../src/protocol/analysis';
import { type LoadedProfile, SessionRegistry } from '../../../../src/extension/profiles/session';

// Which session is active when loads finish out of order: the order the user asked in wins. The
// interleaving is the one of the Explorer: clicking a big profile opens it in heaplens' editor (a
// load starts), then Ctrl+click on a second file and Compare (a second load starts and finishes first).

const released: number[][] = [];
const engine = { release: (handles: number[]) => released.push([...handles]) } as unknown as AnalysisClient;
const info: ProfileInfo = {
  sampleTypes: [{ type: 'inuse_space', unit: 'bytes' }], pprofDefault: 'inuse_space', totals: [1], files: [],
  facts: {} as ProfileInfo['facts'],
};
let nextHandle = 1;
const loaded = (name: string): LoadedProfile => ({ uri: { path: `/w/${name}` } as LoadedProfile['uri'], name, handle: nextHandle++, info });

/** finishLoads resolves the loads in the given order, each opening its session with the ticket taken when it started. */
async function interleave(order: Array<'single' | 'compare'>): Promise<{ registry: SessionRegistry; titles: string[] }> {
  const registry = new SessionRegistry(engine);
  const titles: string[] = [];
  registry.onDidChangeActive((s) => titles.push(s?.title ?? '-'));
  const singleTicket = registry.ticket(); // the editor starts loading good_heap.prof
  const compareTicket = registry.ticket(); // Compare starts loading both files
  const done: Record<string, () => void> = {
    single: () => { registry.open(loaded('good_heap.prof'), undefined, undefined, singleTicket); },
    compare: () => { registry.open(loaded('bad_heap.prof'), loaded('good_heap.prof'), { sampleType: 'inuse_space' }, compareTicket); },
  };
  for (const which of order) {
    await new Promise((r) => setImmediate(r)); // the worker answers on a later turn
    done[which]();
  }
  return { registry, titles };
}

describe('session registry: loads finishing out of order', () => {
  it('a comparison asked for while a single profile loads stays active when the single load finishes last', async () => {
    const { registry, titles } = await interleave(['compare', 'single']);
    assert.equal(registry.active?.title, 'bad_heap.prof vs good_heap.prof');
    assert.equal(registry.all().length, 2, 'the single profile still gets its session (its editor shows it)');
    assert.deepEqual(titles, ['bad_heap.prof vs good_heap.prof']);
  });

  it('the same requests finishing in request order end on the comparison, and the single profile is never shown while the comparison loads', async () => {
    const { registry, titles } = await interleave(['single', 'compare']);
    assert.equal(registry.active?.title, 'bad_heap.prof vs good_heap.prof');
    assert.deepEqual(titles, ['bad_heap.prof vs good_heap.prof']);
    assert.equal(registry.all().length, 2, 'the single profile has its session (its editor shows it)');
  });

  it('a request that never opens (failed, cancelled) settles its ticket: an older session it held back becomes active', () => {
    const registry = new SessionRegistry(engine);
    const older = registry.ticket();
    const failed = registry.ticket(); // a Compare whose load fails
    const title = () => registry.active?.title; // read afresh (not narrowed by the first assertion)
    registry.open(loaded('heap.prof'), undefined, undefined, older);
    assert.equal(title(), undefined, 'held back while the Compare loads');
    registry.settle(failed);
    assert.equal(title(), 'heap.prof');
    registry.settle(failed); // twice, or after open: nothing
    registry.settle(older);
    assert.equal(title(), 'heap.prof');
  });

  it('a request that fails before an older one opens does not block it', () => {
    const registry = new SessionRegistry(engine);
    const older = registry.ticket();
    registry.settle(registry.ticket());
    registry.open(loaded('heap.prof'), undefined, undefined, older);
    assert.equal(registry.active?.title, 'heap.prof');
  });

  it('of several sessions held back, the newest that nothing newer holds back becomes active; a closed one never does', () => {
    const registry = new SessionRegistry(engine);
    const [a, b, c, d] = [registry.ticket(), registry.ticket(), registry.ticket(), registry.ticket()];
    const sa = registry.open(loaded('a.prof'), undefined, undefined, a);
    const sb = registry.open(loaded('b.prof'), undefined, undefined, b);
    registry.settle(d); // c still loads: it holds a and b back
    assert.equal(registry.active, undefined);
    registry.close(sb);
    registry.settle(c);
    assert.equal(registry.active, sa, 'b was closed meanwhile');
  });

  it('switching to a session by hand counts as the newest request, and holds nothing back', () => {
    const registry = new SessionRegistry(engine);
    const pending = registry.ticket(); // a load still running
    const shown = registry.open(loaded('a.prof'));
    const other = registry.open(loaded('b.prof'));
    registry.setActive(shown);
    registry.open(loaded('c.prof'), undefined, undefined, pending);
    assert.equal(registry.active, shown);
    assert.notEqual(registry.active, other);
    const next = registry.ticket();
    registry.setActive(other);
    const d = registry.open(loaded('d.prof'), undefined, undefined, next);
    assert.equal(registry.active, other, 'an older request does not displace a session switched to by hand');
    registry.open(loaded('e.prof'));
    registry.setActive(d);
    assert.equal(registry.active, d);
  });

  it('without a ticket, open makes the session active (panel restore, capture)', () => {
    const registry = new SessionRegistry(engine);
    registry.open(loaded('a.prof'));
    const b = registry.open(loaded('b.prof'));
    assert.equal(registry.active, b);
    registry.close(b);
    assert.equal(registry.active?.title, 'a.prof');
  });
});
