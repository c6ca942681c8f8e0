import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadProfileFileSync } from '../../../../src/node/loadProfile';
import { aggregate, aggregateDiff } from '../../../../src/core/aggregate';
import { StackIndex, abridgePath } from '../../../../src/core/stackIndex';
import { type AnnotationScale, annotateLines, annotationText, lineRuns, lineValuesTableMarkdown, magnitudeOf, nearWindows, runsNear } from '../../../../src/extension/annotations/lineAnnotations';
import { type LineValue, linesByFile } from '../../../../src/core/lineValues';
import { readGolden } from '../../../support/pprofGolden';

// What is painted on source lines and shown in their hovers, on the real `bodies` and `shrink`
// fixture profiles, checked against `go tool pprof -lines` goldens.

const FIXTURES = join(__dirname, '../../../fixtures');
const load = (build: string, scenario: string, which: string) => loadProfileFileSync(join(FIXTURES, 'profiles', build, scenario, `${which}.pb.gz`));
const HANDLERS = '/tmp/heaplens-build/heapscenarios/handlers.go';

function scaleOf(agg: ReturnType<typeof aggregate>): AnnotationScale {
  let changed = 0;
  for (const f of agg.flat) changed += Math.abs(f);
  return { sampleType: agg.sampleType.type, unit: agg.sampleType.unit, isDiff: agg.isDiff, denominator: agg.isDiff ? changed : agg.total, total: agg.total };
}

function goldenCum(path: string, fn: string, fileLine: string): number | undefined {
  return readGolden(path).rows.find((r) => r.name === `${fn} ${fileLine}`)?.cum;
}

describe('source annotations of a comparison (bodies)', () => {
  const base = load('default', 'bodies', 'base');
  const target = load('default', 'bodies', 'new');
  const agg = aggregateDiff({ base, target }, { granularity: 'lines', sampleIndex: 'inuse_space' });
  const files = linesByFile(agg);

  it('handlers.go:18 (buf.ReadFrom in main.readBody) carries pprof\'s cum for that line, marked as large growth', () => {
    const want = goldenCum(join(FIXTURES, 'golden/default/bodies/diff.inuse_space.lines.txt'), 'main.readBody', `${HANDLERS}:18`);
    assert.ok(want && want > 0);
    const [a] = annotateLines([files.get(HANDLERS)!.get(18)!], scaleOf(agg));
    assert.equal(a.value.cum, want);
    assert.equal(a.direction, 'growth');
    assert.equal(a.magnitude, 4);
    assert.match(a.text, /^\+\d+(\.\d+)?MB inuse \((\+\d+%|new)\)$/);
  });

  it('lines of a file come sorted, and unchanged lines get no annotation', () => {
    const annotated = annotateLines(files.get(HANDLERS)!.values(), scaleOf(agg));
    assert.ok(annotated.length >= 3);
    assert.deepEqual(annotated.map((a) => a.line), [...annotated.map((a) => a.line)].sort((x, y) => x - y));
    assert.ok(annotated.every((a) => a.value.cum !== 0));
  });

  it('the hover table lists every sample type with base, new and change', () => {
    const rows = ['inuse_space', 'inuse_objects', 'alloc_space', 'alloc_objects'].map((t) => {
      const a = aggregateDiff({ base, target }, { granularity: 'lines', sampleIndex: t });
      return { sampleType: t, unit: a.sampleType.unit, value: linesByFile(a).get(HANDLERS)?.get(18) };
    });
    const md = lineValuesTableMarkdown(rows, true).split('\n');
    assert.equal(md.length, 6);
    assert.match(md[2], /^\| inuse\\_space \| .+ \| .+ \| \+.+ \|$/, 'the sample type goes through markdownText');
    const allocObjects = goldenCum(join(FIXTURES, 'golden/default/bodies/diff.alloc_objects.lines.txt'), 'main.readBody', `${HANDLERS}:18`);
    assert.ok(md[5].includes(`+${allocObjects}`), `${md[5]} vs ${allocObjects}`);
  });

  it('call paths through handlers.go:18 add up to the line\'s cum and run from main.main to the allocation', () => {
    const index = new StackIndex({ target, base });
    const { paths } = index.lineDetail(HANDLERS, 18, [], 'inuse_space', 1000);
    const total = paths.reduce((s, p) => s + p.value, 0);
    assert.equal(total, files.get(HANDLERS)!.get(18)!.cum);
    const top = paths[0];
    assert.equal(top.frames[top.at].name, 'main.readBody');
    assert.equal(top.frames[top.frames.length - 1].name, 'bytes.growSlice');
    assert.ok(top.frames.some((f) => f.name === 'main.main'));
    const short = abridgePath(top);
    assert.equal(short[short.length - 1]?.name, 'bytes.growSlice');
    assert.ok(short.includes(top.frames[top.at]));
    assert.ok(short.length <= 7, `${short.length} frames shown`);
  });

  it('call paths honour focus/ignore filters like the aggregates do', () => {
    const ignored = new StackIndex({ target, base }, { ignore: '^main\\.readBody$' });
    assert.deepEqual(ignored.lineDetail(HANDLERS, 18, ['inuse_space'], 'inuse_space'), { totals: new Map([['inuse_space', undefined]]), paths: [] });
  });
});

describe('source annotations of one profile and of a shrink', () => {
  it('a single profile shows the value and pprof\'s percentage of the total, neutral colour', () => {
    const p = load('default', 'bodies', 'new');
    const agg = aggregate(p, { granularity: 'lines', sampleIndex: 'inuse_space' });
    const [a] = annotateLines([linesByFile(agg).get(HANDLERS)!.get(18)!], scaleOf(agg));
    assert.equal(a.direction, 'neutral');
    assert.match(a.text, /^\d+(\.\d+)?MB inuse \(\d+\.\d\d%\)$/);
  });

  it('a released catalog paints its lines as shrink with a minus sign', () => {
    const agg = aggregateDiff({ base: load('default', 'shrink', 'base'), target: load('default', 'shrink', 'new') }, { granularity: 'lines', sampleIndex: 'inuse_space' });
    const catalog = [...linesByFile(agg).entries()].find(([f]) => f.endsWith('/catalog.go'))!;
    const line34 = annotateLines([catalog[1].get(34)!], scaleOf(agg))[0];
    assert.equal(line34.direction, 'shrink');
    assert.match(line34.text, /^\u2212\d/);
  });
});

describe('annotation text and size', () => {
  const v = (cum: number, baseCum: number): LineValue => ({ line: 1, functions: ['f'], flat: 0, cum, baseFlat: 0, baseCum });
  const scale: AnnotationScale = { sampleType: 'inuse_space', unit: 'bytes', isDiff: true, denominator: 100 * 1048576, total: 1 };

  it('says "new" for a line absent from the base, and names object counts', () => {
    assert.equal(annotationText(v(1048576, 0), scale), '+1MB inuse (new)');
    assert.equal(annotationText(v(-50, 100), { ...scale, sampleType: 'alloc_objects', unit: 'count' }), '\u221250 alloc objects (\u221250.0%)');
  });

  it('each annotated line reads the text annotationText makes, comparing or not, again when read twice', () => {
    const values = [v(1048576, 0), v(-50, 100), v(3 * 1048576, 1048576), v(0, 10), v(7, 0)].map((x, i) => ({ ...x, line: 10 - i }));
    for (const s of [scale, { ...scale, isDiff: false, total: 4 * 1048576 }, { ...scale, sampleType: 'alloc_objects', unit: 'count' }]) {
      const annotated = annotateLines(values, s);
      assert.deepEqual(annotated.map((a) => a.line), [6, 8, 9, 10]);
      for (const a of annotated) {
        assert.equal(a.text, annotationText(a.value, s));
        assert.equal(a.text, annotationText(a.value, s));
      }
    }
  });

  it('magnitude grows with the share of all change', () => {
    assert.deepEqual([0, 0.005, 0.02, 0.2, 0.7].map((f) => magnitudeOf(f * 100, 100)), [1, 1, 2, 3, 4]);
  });

  it('merges consecutive lines painted alike into one run, and stops at the document end', () => {
    const at = (line: number, direction: 'growth' | 'shrink', magnitude: 1 | 2 | 3 | 4) => ({ line, direction, magnitude });
    const runs = lineRuns([
      at(3, 'growth', 1), at(4, 'growth', 1), at(5, 'growth', 1), // one run
      at(6, 'growth', 2), // same direction, bigger: its own run
      at(7, 'shrink', 2), // other direction
      at(9, 'shrink', 2), at(10, 'shrink', 2), // a gap at 8 splits the run
      at(12, 'growth', 1), // beyond a 11-line document
    ], 11);
    assert.deepEqual(runs.map((r) => [r.first, r.last, r.direction, r.magnitude]), [
      [3, 5, 'growth', 1], [6, 6, 'growth', 2], [7, 7, 'shrink', 2], [9, 10, 'shrink', 2],
    ]);
  });

  it('widens the visible lines by the margin, within the file (0-based in, 1-based out)', () => {
    assert.deepEqual(nearWindows([{ start: 0, end: 29 }], 12_000, 10), [{ from: 1, to: 40 }]);
    assert.deepEqual(nearWindows([{ start: 5000, end: 5039 }, { start: 11_980, end: 11_999 }], 12_000, 10),
      [{ from: 4991, to: 5050 }, { from: 11_971, to: 12_000 }]);
    assert.deepEqual(nearWindows([], 100, 10), []);
  });

  it('keeps the runs that touch a window, also those only partly inside it, in their order', () => {
    const run = (first: number, last: number) => ({ first, last });
    const runs = [run(1, 3), run(5, 5), run(8, 20), run(21, 21), run(40, 60), run(70, 70)];
    assert.deepEqual(runsNear(runs, [{ from: 4, to: 9 }, { from: 55, to: 69 }]), [run(5, 5), run(8, 20), run(40, 60)]);
    assert.deepEqual(runsNear(runs, [{ from: 21, to: 21 }]), [run(21, 21)]);
    assert.deepEqual(runsNear(runs, []), []);
  });

  it('paints every annotated line of the bodies comparison exactly once', () => {
    const agg = aggregateDiff({ base: load('default', 'bodies', 'base'), target: load('default', 'bodies', 'new') }, { granularity: 'lines', sampleIndex: 'inuse_space' });
    let lines = 0;
    for (const values of linesByFile(agg).values()) {
      const annotated = annotateLines(values.values(), scaleOf(agg));
      const painted = lineRuns(annotated, Number.MAX_SAFE_INTEGER)
        .flatMap((r) => Array.from({ length: r.last - r.first + 1 }, (_, i) => `${r.first + i} ${r.direction} ${r.magnitude}`));
      assert.deepEqual(painted, annotated.map((a) => `${a.line} ${a.direction} ${a.magnitude}`));
      lines += annotated.length;
    }
    assert.ok(lines > 0, 'the comparison annotated no line');
  });
});
