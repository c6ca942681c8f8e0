import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { aggregate, aggregateDiff } from '../../../src/core/aggregate';
import { decodeProfile } from '../../../src/core/decode';
import { hottestLine } from '../../../src/core/hotLines';
import { nodeFilterPattern, withNodeFilter } from '../../../src/core/nodeFilter';
import { peek } from '../../../src/core/peek';
import { profileSummary } from '../../../src/core/profileSummary';
import { topColumns } from '../../../src/core/topColumns';
import { loadProfileFileSync } from '../../../src/node/loadProfile';

// The data the host sends the panel: the top table as columns, the summary totals (which must be
// pprof's, to the byte), peek's callers and callees, the line a function-level row opens, and the
// regex a per-row focus/ignore/hide writes.

const FIX = join(__dirname, '../../fixtures');
const load = (scenario: string, which: 'base' | 'new', flavor = 'default') => loadProfileFileSync(`${FIX}/profiles/${flavor}/${scenario}/${which}.pb.gz`);
type Frame = { function: string; file: string; line: number };
const scenarios = JSON.parse(readFileSync(`${FIX}/scenarios.json`, 'utf8')) as Array<{ name: string; builds?: string[]; expectedKind: string | null; site: Frame | null; userFrame: Frame | null; userFrameOnPath?: boolean }>;
/** buildOf is the first build folder a scenario has profiles in (service scenarios list theirs). */
const buildOf = (s: { builds?: string[] }) => s.builds?.[0] ?? 'default';

/** pprofTotal reads "of NB total" from a golden `go tool pprof -top -unit=B` output. */
function pprofTotal(build: string, scenario: string, file: string): number {
  return Number(/of (\d+)B total/.exec(readFileSync(`${FIX}/golden/${build}/${scenario}/${file}`, 'utf8'))![1]);
}

describe('panel data', () => {
  it('summary totals equal go tool pprof\'s totals for every sample type of every scenario', () => {
    for (const s of scenarios) {
      const b = buildOf(s);
      const summary = profileSummary({ name: 'bad_heap.prof', profile: load(s.name, 'new', b) }, { name: 'good_heap.prof', profile: load(s.name, 'base', b) });
      for (const t of summary.totals) {
        assert.equal(t.newTotal, pprofTotal(b, s.name, `new.${t.type}.functions.txt`), `${s.name} new ${t.type}`);
        assert.equal(t.baseTotal, pprofTotal(b, s.name, `base.${t.type}.functions.txt`), `${s.name} base ${t.type}`);
      }
      assert.equal(summary.baseProfile!.name, 'good_heap.prof');
      assert.ok(summary.newProfile.timeNanos >= summary.baseProfile!.timeNanos, 'base taken first');
    }
  });

  it('carries the MemStats block of legacy text profiles', () => {
    const text = decodeProfile(new Uint8Array(readFileSync(`${FIX}/profiles/default/bodies/new.heap.txt`)));
    const summary = profileSummary({ name: 'new.heap.txt', profile: text });
    const keys = summary.newProfile.memStats!.map(([k]) => k);
    for (const k of ['HeapAlloc', 'HeapInuse', 'Sys', 'NumGC']) assert.ok(keys.includes(k), k);
    assert.equal(summary.newProfile.format, 'legacy-heap-text');
  });

  it('top columns hold exactly the live nodes, with deduplicated strings', () => {
    const agg = aggregateDiff({ base: load('cache', 'base'), target: load('cache', 'new') }, { granularity: 'lines' });
    const cols = topColumns(agg);
    let live = 0;
    for (let n = 0; n < agg.nodes.count; n++) if (agg.flat[n] !== 0 || agg.cum[n] !== 0) live++;
    assert.equal(cols.count, live);
    assert.equal(new Set(cols.names).size, cols.names.length);
    assert.ok(cols.names.length < cols.count, 'a function with several lines is named once');
    for (let i = 0; i < cols.count; i++) {
      const n = cols.node[i];
      assert.equal(cols.names[cols.nameIndex[i]], agg.nodes.name[n]);
      assert.equal(cols.files[cols.fileIndex[i]], agg.nodes.file[n]);
      assert.equal(cols.flat[i], agg.flat[n]);
      assert.equal(cols.baseCum![i], agg.baseCum![n]);
    }
    assert.equal(cols.total, agg.total);
  });

  it('peek lists callers and callees with edge weights that add up to the node\'s cum', () => {
    const agg = aggregateDiff({ base: load('bodies', 'base'), target: load('bodies', 'new') }, { edges: true });
    const n = agg.nodes.name.indexOf('main.readBody');
    const p = peek(agg, n);
    assert.deepEqual(p.callers.map((r) => r.name), ['main.ingest']);
    assert.deepEqual(p.callees.map((r) => r.name), ['bytes.(*Buffer).ReadFrom']);
    assert.equal(p.callers.reduce((s, r) => s + r.weight, 0), agg.cum[n], 'all of readBody\'s growth came through its caller');
    assert.equal(p.callers[0].base, agg.baseCum![n]);
  });

  it('ids of the view\'s aggregate match those of the aggregate with edges and of other sample types (peek, focus and the string cache rely on it)', () => {
    const base = load('compressors', 'base');
    const target = load('compressors', 'new');
    const plain = aggregateDiff({ base, target }, { granularity: 'lines' });
    const withEdges = aggregateDiff({ base, target }, { granularity: 'lines', edges: true });
    assert.deepEqual(plain.nodes.name, withEdges.nodes.name);
    assert.deepEqual(plain.nodes.line, withEdges.nodes.line);
    // …and those of another sample type, so one NodeStrings serves every sample type.
    const other = aggregateDiff({ base, target }, { granularity: 'lines', sampleIndex: 'alloc_objects' });
    assert.deepEqual(other.nodes.name, plain.nodes.name);
    assert.deepEqual(other.nodes.file, plain.nodes.file);
  });

  // A control has no user frame; growth in goroutines a library started does not pass through it.
  for (const s of scenarios) {
    const userFrame = s.userFrame;
    if (!userFrame || s.userFrameOnPath === false) continue;
    it(`${s.name}: a function row opens the line where it changed most (${userFrame.function} → ${userFrame.file}:${userFrame.line})`, () => {
      // Churn grows alloc_space, not inuse_space: look where a person would.
      const sampleIndex = s.expectedKind === 'churn' ? 'alloc_space' : 'inuse_space';
      const lines = aggregateDiff({ base: load(s.name, 'base', buildOf(s)), target: load(s.name, 'new', buildOf(s)) }, { granularity: 'lines', sampleIndex });
      const hot = hottestLine(lines, userFrame.function);
      assert.ok(hot, 'found');
      assert.ok(hot.file.endsWith(userFrame.file), hot.file);
      assert.equal(hot.line, userFrame.line);
    });
  }

  it('a function that did not change still opens at one of its lines', () => {
    const lines = aggregateDiff({ base: load('churn', 'base'), target: load('churn', 'new') }, { granularity: 'lines', sampleIndex: 'inuse_space' });
    const hot = hottestLine(lines, 'main.renderReport');
    assert.ok(hot && hot.file.endsWith('churn.go') && hot.line > 0, JSON.stringify(hot));
    assert.equal(hottestLine(lines, 'no.such.function'), undefined);
  });

  it('per-row filters write an anchored, escaped pattern that selects exactly that function', () => {
    const pattern = nodeFilterPattern({ name: 'bytes.(*Buffer).ReadFrom', file: '' });
    assert.equal(pattern, '^bytes\\.\\(\\*Buffer\\)\\.ReadFrom$');
    const target = load('bodies', 'new');
    const focused = aggregate(target, { filters: withNodeFilter({}, 'focus', pattern) });
    const readFrom = focused.nodes.name.indexOf('bytes.(*Buffer).ReadFrom');
    const all = aggregate(target);
    assert.equal(focused.cum[readFrom], all.cum[all.nodes.name.indexOf('bytes.(*Buffer).ReadFrom')]);
    const warmUp = focused.nodes.name.indexOf('main.warmUp');
    assert.ok(all.cum[all.nodes.name.indexOf('main.warmUp')] > 0);
    assert.equal(focused.cum[warmUp], 0, 'stacks not through ReadFrom are gone');
    assert.equal(nodeFilterPattern({ name: '', file: 'a/b.go' }), 'a/b\\.go$');
  });

  it('focus replaces the focus; ignore and hide add to theirs', () => {
    let f = withNodeFilter({ focus: 'a', ignore: 'x' }, 'focus', 'b');
    assert.deepEqual(f, { focus: 'b', ignore: 'x' });
    f = withNodeFilter(f, 'ignore', 'y');
    assert.equal(f.ignore, 'x|y');
    f = withNodeFilter(f, 'hide', 'z');
    assert.deepEqual(f, { focus: 'b', ignore: 'x|y', hide: 'z' });
  });
});
