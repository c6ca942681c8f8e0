import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { trendText } from '../../../../src/cli/trendCommand';
import { computeSeriesTrend } from '../../../../src/core/seriesTrend';
import { loadProfileFileSync } from '../../../../src/node/loadProfile';
import type { Trend, TrendSite } from '../../../../src/core/trend';
import { shortFunction, trendTreeRows, trendViewModel } from '../../../../src/extension/trend/trendModel';

// What the trend panel and the Growth Trend tree show for a trend: labels, order, and the note that
// explains an empty suspect list.

const MB = 1 << 20;

function site(fn: string, file: string, line: number, series: number[], slope: number, monotonic: number, suspect: boolean, leaf?: [string, string, number]): TrendSite {
  const userFrame = { function: fn, file, line };
  return {
    key: `${fn}:${line}`,
    userFrame,
    site: leaf ? { function: leaf[0], file: leaf[1], line: leaf[2] } : userFrame,
    series,
    slopePerMinute: slope,
    monotonic,
    rise: series[series.length - 1] - series[0],
    suspect,
  };
}

function trend(sites: TrendSite[], informativeSteps = 3): Trend {
  const t0 = Date.UTC(2025, 0, 1);
  return {
    sampleType: { type: 'inuse_space', unit: 'bytes' },
    timeBasis: 'profile',
    snapshots: [0, 1, 2, 3].map((i) => ({ name: `heap-${i}.pb.gz`, timeMs: t0 + i * 30000, total: 0, changed: i === 0 || i <= informativeSteps })),
    informativeSteps,
    sites,
    suspects: sites.filter((s) => s.suspect),
    minMonotonic: 0.7,
    minRise: MB,
  };
}

const leak = site('main.recordAuditEvent', '/src/app/leak.go', 19, [0, 2 * MB, 4 * MB, 6 * MB], 4 * MB, 1, true);
const body = site('example.com/app/ingest.readBody', '/src/app/ingest/handlers.go', 18, [MB, 2 * MB, 2 * MB, 5 * MB], 2.5 * MB, 2 / 3, false,
  ['bytes.growSlice', '/usr/lib/go/src/bytes/buffer.go', 240]);
const flat = site('main.loadOrders', '/src/app/orders.go', 25, [3 * MB, 3 * MB, 3 * MB, 3 * MB], 0, 0, false);

describe('trend view model', () => {
  it('lists suspects, then other risers, with slope, steadiness and range labels', () => {
    const model = trendViewModel({ heap: trend([leak, body, flat]) });
    assert.equal(model.title, 'Trend of inuse_space across 4 profiles');
    assert.equal(model.parts.length, 1);
    assert.equal(model.memory, undefined);
    const m = model.parts[0];
    assert.equal(m.kind, 'heap');
    assert.equal(m.headings.suspects, 'Leak suspects — rising steadily, steepest first');
    assert.equal(m.subtitle, 'over 90s, by profile time; 3 of 3 steps changed');
    assert.equal(m.note, undefined);
    assert.equal(m.suspects.length, 1);
    assert.deepEqual(m.suspects[0], {
      userFrame: { function: 'main.recordAuditEvent', file: '/src/app/leak.go', line: 19 },
      series: [0, 2 * MB, 4 * MB, 6 * MB],
      slope: '+4MB/min',
      steadiness: 'rose 3/3',
      range: '0 → 6MB',
      suspect: true,
    });
    assert.deepEqual(m.risers.map((r) => [r.userFrame.function, r.site?.function, r.steadiness]), [['example.com/app/ingest.readBody', 'bytes.growSlice', 'rose 2/3']]);
    assert.deepEqual(m.snapshots, ['heap-0.pb.gz', 'heap-1.pb.gz · +30s', 'heap-2.pb.gz · +60s', 'heap-3.pb.gz · +90s']);
  });

  it('explains an empty suspect list, pointing at gc=1 when too few steps changed', () => {
    const m = trendViewModel({ heap: trend([{ ...body }], 1) }).parts[0];
    assert.equal(m.suspects.length, 0);
    assert.match(m.note ?? '', /^Only 1 of 3 steps changed: Go updates a heap profile when a GC completes.*gc=1/);
    assert.deepEqual(m.snapshots.slice(2), ['heap-2.pb.gz · +60s · unchanged (no GC since the previous one)', 'heap-3.pb.gz · +90s · unchanged (no GC since the previous one)']);
  });
});

describe('trend tree rows', () => {
  it('shows suspects with a block sparkline and the slope; the tooltip names the allocation site', () => {
    const rows = trendTreeRows(trend([leak, body, flat]));
    assert.deepEqual(rows.map((r) => [r.label, r.description, r.suspect]), [['main.recordAuditEvent:19', '▁▃▆█ +4MB/min', true]]);
    assert.deepEqual(rows[0].frame, { function: 'main.recordAuditEvent', file: '/src/app/leak.go', line: 19 });
  });

  it('falls back to the rising sites when nothing is steady, never to flat ones', () => {
    const rows = trendTreeRows(trend([{ ...body }, flat], 3));
    assert.deepEqual(rows.map((r) => r.label), ['ingest.readBody:18']);
    assert.match(rows[0].tooltip, /^Rising: \+2\.50MB\/min inuse_space, rose at 2 of 3 steps\n.*handlers\.go:18\nallocates in bytes\.growSlice .*buffer\.go:240\n1MB → 2MB → 2MB → 5MB$/);
  });

  it('shortens function names to the package name', () => {
    assert.equal(shortFunction('github.com/x/y/pkg.(*T).M'), 'pkg.(*T).M');
    assert.equal(shortFunction('main.f'), 'main.f');
  });
});

describe('a series of bundles: goroutine suspects and stack growth next to heap sites (goroutineleak fixture)', () => {
  const FIX = join(__dirname, '../../../fixtures/goroutineleak/profiles/default');
  const T = ['t0', 't1', 't2', 't3'];
  const inputs = ['heap.txt', 'goroutine-dump.txt'].flatMap((kind) => T.map((t, i) => ({
    name: `${t}.${kind}`, profile: loadProfileFileSync(join(FIX, `${t}.${kind}`)), fallbackTimeMs: Date.UTC(2026, 0, 1) + i * 60_000,
  })));
  const series = computeSeriesTrend(inputs);

  it('the panel has a heap part, a goroutine part in the CLI\'s words, and the MemStats rows the CLI prints', () => {
    const m = trendViewModel(series);
    assert.equal(m.title, 'Trend across 8 profiles');
    assert.deepEqual(m.parts.map((p) => [p.kind, p.title]), [['heap', 'Trend of space across 4 profiles'], ['goroutines', 'Trend of goroutine across 4 profiles']]);
    const g = m.parts[1];
    assert.equal(g.headings.suspects, 'Goroutine leak suspects — goroutines waiting here rise steadily, steepest first');
    assert.deepEqual(g.suspects.map((r) => [r.userFrame.function, r.userFrame.line, r.slope, r.range, r.site]), [
      ['main.(*feed).follow', 32, '+250/min', '0 → 750', undefined],
      ['main.(*session).run', 22, '+40/min', '0 → 120', undefined],
      ['main.(*registry).register', 40, '+20/min', '0 → 60', undefined],
      ['main.(*service).serveConn', 26, '+20/min', '0 → 60', undefined],
    ]);
    // Same figures and words as `heaplens trend` prints for these profiles.
    const cli = trendText(series.goroutines!, 10);
    for (const r of g.suspects) assert.ok(cli.includes(`${r.slope}  ${r.steadiness}`) && cli.includes(r.range), `${r.slope} ${r.steadiness} ${r.range} in:\n${cli}`);
    assert.ok(cli.includes(g.headings.suspects));
    assert.deepEqual(m.memory?.rows.map((r) => [r.label, r.slope, r.range]), [
      ['Sys', '+44.51MB/min', '13.23MB → 146.24MB'],
      ['stacks', '+31.53MB/min', '224kB → 94.81MB'],
      ['live heap', '+10.48MB/min', '129.48kB → 31.57MB'],
    ]);
  });

  it('the tree lists the heap suspect, then the goroutine suspects, then the stacks row (no source to open)', () => {
    const rows = trendTreeRows(series);
    assert.deepEqual(rows.map((r) => [r.kind, r.label, r.description]), [
      ['heap', 'main.(*session).run:19', '▁▃▆█ +8.26MB/min'],
      ['goroutines', 'main.(*feed).follow:32', '▁▃▆█ goroutines +250/min'],
      ['goroutines', 'main.(*session).run:22', '▁▃▆█ goroutines +40/min'],
      ['goroutines', 'main.(*registry).register:40', '▁▃▆█ goroutines +20/min'],
      ['goroutines', 'main.(*service).serveConn:26', '▁▃▆█ goroutines +20/min'],
      ['memory', 'Goroutine stacks (runtime.MemStats)', '▁▃▆█ +31.53MB/min'],
    ]);
    assert.match(rows[1].tooltip, /^Goroutine leak suspect: \+250\/min goroutines waiting here, rose at 3 of 3 steps\nmain\.\(\*feed\)\.follow .*feed\.go:32\n0 → 250 → 500 → 750$/);
    assert.equal(rows[5].frame, undefined);
  });
});
