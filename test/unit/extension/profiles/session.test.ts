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

  it('the same requests finishing in request order end on the comparison too', async () => {
    const { registry, titles } = await interleave(['single', 'compare']);
    assert.equal(registry.active?.title, 'bad_heap.prof vs good_heap.prof');
    assert.deepEqual(titles, ['good_heap.prof', 'bad_heap.prof vs good_heap.prof']);
  });

  it('a request that never opens (failed, cancelled) does not block an older one', () => {
    const registry = new SessionRegistry(engine);
    const older = registry.ticket();
    registry.ticket(); // a Compare that failed: it never calls open
    registry.open(loaded('heap.prof'), undefined, undefined, older);
    assert.equal(registry.active?.title, 'heap.prof');
  });

  it('switching to a session by hand counts as the newest request', () => {
    const registry = new SessionRegistry(engine);
    const pending = registry.ticket(); // a load still running
    const shown = registry.open(loaded('a.prof'));
    const other = registry.open(loaded('b.prof'));
    registry.setActive(shown);
    registry.open(loaded('c.prof'), undefined, undefined, pending);
    assert.equal(registry.active, shown);
    assert.notEqual(registry.active, other);
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
