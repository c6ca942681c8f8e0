import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadProfileFileSync } from '../../../../src/node/loadProfile';
import { aggregate, aggregateDiff } from '../../../../src/core/aggregate';
import type { Profile } from '../../../../src/core/model';
import { type HotspotRow, HotspotIndex } from '../../../../src/core/hotspots';
import { formatShare, rowAccessibleLabel, rowDescription, rowLabel, rowTooltipMarkdown } from '../../../../src/extension/hotspots/hotspotRows';
import { StackIndex } from '../../../../src/core/stackIndex';
import { readGolden } from '../../../support/pprofGolden';

// The Heap Hotspots tree's rows, checked against `go tool pprof` goldens of the real fixture
// profiles and the injected growth sites listed in scenarios.json.

const FIXTURES = join(__dirname, '../../../fixtures');
interface Frame { function: string; file: string; line: number }
interface Scenario { name: string; builds?: string[]; expectedKind: string | null; site: Frame; userFrame: Frame; userFrameOnPath?: boolean }
// Every scenario with an injected site (a control has none), in its first build.
const scenarios: Scenario[] = JSON.parse(readFileSync(join(FIXTURES, 'scenarios.json'), 'utf8')).filter((s: Scenario) => s.expectedKind !== null);
const buildOf = (s: Scenario) => s.builds?.[0] ?? 'default';

const cache = new Map<string, Profile>();
function profile(build: string, scenario: string, which: 'base' | 'new'): Profile {
  const path = join(FIXTURES, 'profiles', build, scenario, `${which}.pb.gz`);
  let p = cache.get(path);
  if (!p) { p = loadProfileFileSync(path); cache.set(path, p); }
  return p;
}

function diffIndex(build: string, scenario: string, sampleIndex: string): HotspotIndex {
  const base = profile(build, scenario, 'base');
  const target = profile(build, scenario, 'new');
  return new HotspotIndex(aggregateDiff({ base, target }, { granularity: 'functions', sampleIndex }), new StackIndex({ target, base }));
}

const sampleIndexOf = (s: Scenario) => (s.expectedKind === 'churn' ? 'alloc_space' : 'inuse_space');

describe('hotspot rows of a comparison', () => {
  for (const s of scenarios) {
    const si = sampleIndexOf(s);
    it(`${s.name}: top rows are pprof's -top -diff_base rows with a non-zero flat, in pprof's order (${si})`, () => {
      const index = diffIndex(buildOf(s), s.name, si);
      const golden = readGolden(join(FIXTURES, 'golden', buildOf(s), s.name, `diff.${si}.functions.txt`)).rows.filter((r) => r.flat !== 0);
      const { rows, more } = index.topFunctions(10_000);
      assert.equal(more, 0);
      assert.deepEqual(rows.map((r) => [r.name, r.value]), golden.map((r) => [r.name, r.flat]));
      const shares = rows.reduce((sum, r) => sum + r.share, 0);
      assert.ok(Math.abs(shares - 1) < 1e-9, `shares add up to all change: ${shares}`);
    });

    it(`${s.name}: the injected site is reachable — a top row or a line of one — and opens at its line`, () => {
      const index = diffIndex(buildOf(s), s.name, si);
      const top = index.topFunctions(100).rows;
      const row = top.find((r) => r.name === s.site.function);
      assert.ok(row, `${s.site.function} among the top rows: ${top.slice(0, 5).map((r) => r.name).join(', ')}`);
      const line = index.linesOf(s.site.function).find((l) => l.line === s.site.line && l.file.endsWith(s.site.file));
      assert.ok(line, `${s.site.file}:${s.site.line} among the lines of ${s.site.function}`);
      const goldenLine = readGolden(join(FIXTURES, 'golden', buildOf(s), s.name, `diff.${si}.lines.txt`)).rows
        .find((r) => r.name.startsWith(`${s.site.function} `) && r.name.endsWith(`${s.site.file}:${s.site.line}`));
      assert.equal(line.value, goldenLine?.cum, 'the line row shows pprof -lines cum');
    });

    // Growth in goroutines a library started (userFrameOnPath false) has no user frame among its callers.
    if (s.userFrameOnPath !== false) it(`${s.name}: following callers from the site reaches the user frame ${s.userFrame.function} at ${s.userFrame.file}:${s.userFrame.line}`, () => {
      const index = diffIndex(buildOf(s), s.name, si);
      const hit = findUserFrame(index, s);
      assert.ok(hit, 'user frame reached through lines and callers');
    });
  }

  it('bodies: the top row is labelled like the issue asks, with growth and its share of all change', () => {
    const index = diffIndex('default', 'bodies', 'inuse_space');
    const [top] = index.topFunctions(1).rows;
    assert.equal(top.name, 'bytes.growSlice');
    assert.ok(top.file.endsWith('bytes/buffer.go') && top.line === 240, `${top.file}:${top.line}`);
    assert.match(rowDescription(top, index.unit, true), /^\+\d+(\.\d+)?MB \(\d+%\)$/);
    assert.match(rowAccessibleLabel(top, index.unit, true), /^bytes\.growSlice \+\d+(\.\d+)?MB \(\d+%\)$/);
    const callers = index.callersOf('bytes.growSlice');
    assert.equal(callers[0].name, 'bytes.(*Buffer).grow');
    assert.match(rowDescription(callers[0], index.unit, true), /calls at buffer\.go:\d+$/);
  });

  it('shrink: the top row is negative and says so', () => {
    const index = diffIndex('default', 'shrink', 'inuse_space');
    const [top] = index.topFunctions(1).rows;
    assert.ok(top.value < 0);
    assert.match(rowDescription(top, index.unit, true), /^\u2212\d/);
  });

  it('-trimpath build: the same top function, with the -trimpath file name', () => {
    const a = diffIndex('default', 'bodies', 'inuse_space').topFunctions(1).rows[0];
    const b = diffIndex('trimpath', 'bodies', 'inuse_space').topFunctions(1).rows[0];
    assert.equal(b.name, a.name);
    assert.equal(b.file, 'bytes/buffer.go');
  });
});

describe('hotspot rows of a single profile', () => {
  it('ranks by flat like pprof -top, shares are flat / total', () => {
    const p = profile('default', 'bodies', 'new');
    const index = new HotspotIndex(aggregate(p, { granularity: 'functions' }), new StackIndex({ target: p }));
    const golden = readGolden(join(FIXTURES, 'golden/default/bodies/new.inuse_space.functions.txt'));
    const rows = index.topFunctions(5).rows;
    assert.deepEqual(rows.map((r) => [r.name, r.value]), golden.rows.filter((r) => r.flat !== 0).slice(0, 5).map((r) => [r.name, r.flat]));
    assert.equal(rows[0].share, golden.rows[0].flat / golden.total);
    assert.match(rowDescription(rows[0], index.unit, false), /^\d+(\.\d+)?MB \(\d+%\)$/);
  });
});

describe('hotspot labels and tooltips', () => {
  const row: HotspotRow = {
    kind: 'function', name: 'main.(*watcher).subscribe', file: 'example.com/m/workers.go', line: 27,
    value: 4096, baseValue: 0, share: 0.5, flat: 4096, cum: 8192, baseFlat: 0, baseCum: 1024,
  };

  it('escapes Markdown in function names and shows base, new and change', () => {
    const md = rowTooltipMarkdown(row, { sampleType: 'inuse_space', unit: 'bytes', isDiff: true, total: 1024, source: 'Source: here' });
    assert.ok(md.startsWith('**main\\.\\(\\*watcher\\)\\.subscribe**'), md.split('\n')[0]);
    assert.ok(md.includes('| cum (function) | 1kB | 9kB | +8kB (+800%) |'), md);
    assert.ok(md.includes('| flat (function) | 0 | 4kB | +4kB (new) |'), md);
  });

  it('a line row is labelled file:line', () => {
    assert.equal(rowLabel({ ...row, kind: 'line' }), 'workers.go:27');
  });

  it('formatShare stays readable from 0 to 100%', () => {
    assert.deepEqual([0, 0.0004, 0.052, 0.98, 1].map(formatShare), ['0%', '<0.1%', '5.2%', '98%', '100%']);
  });
});

/** findUserFrame walks lines and callers breadth-first from the site, as a user expanding the tree would. */
function findUserFrame(index: HotspotIndex, s: Scenario): HotspotRow | undefined {
  const matches = (r: HotspotRow) => r.name === s.userFrame.function && r.line === s.userFrame.line && r.file.endsWith(s.userFrame.file);
  const queue = [s.site.function];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const name = queue.shift()!;
    for (const r of [...index.linesOf(name), ...index.callersOf(name)]) {
      if (matches(r)) return r;
      if (r.kind === 'caller' && !seen.has(r.name)) { seen.add(r.name); queue.push(r.name); }
    }
  }
  return undefined;
}
