import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Trend, TrendSite } from '../../../../src/core/trend';
import { shortFunction, trendTreeRows, trendViewModel } from '../../../../src/extension/trend/trendModel';

// What the trend panel and the Heap Trend tree show for a trend: labels, order, and the note that
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
    const m = trendViewModel(trend([leak, body, flat]));
    assert.equal(m.title, 'Trend of inuse_space across 4 profiles');
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
    const m = trendViewModel(trend([{ ...body }], 1));
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
