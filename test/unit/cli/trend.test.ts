import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import { decodeProfile } from '../../../src/core/decode';
import { ProfileError } from '../../../src/core/errors';
import type { Profile } from '../../../src/core/model';
import {
  type TrendInput, computeTrend, formatSlope, leastSquaresSlope, sparkline, trendAnnotations,
} from '../../../src/core/trend';
import { UsageError, parseArgs } from '../../../src/cli/args';
import { loadProfileFileSync } from '../../../src/node/loadProfile';
import { CliError } from '../../../src/cli/topCommand';
import { TREND_BOOLEANS, TREND_VALUED, runTrend } from '../../../src/cli/trendCommand';
import { HEAP_TYPES, type ProfileSpec, encodeProfile } from '../../support/profileWriter';

// Trends across series of heap profiles: built from small synthetic profiles where the expected
// slope and steadiness are known by construction, then on a real series (parca's ten snapshots).

type Frame = [fn: string, file: string, line: number];
interface SiteSpec { stack: Frame[]; inuse: number }

const MINUTE_NS = 60e9;
const T0 = 1_700_000_000e9;
const MB = 1 << 20;

const LEAK: Frame[] = [['main.recordAuditEvent', '/src/app/leak.go', 19], ['main.leakLoop', '/src/app/leak.go', 40], ['runtime.goexit', '/usr/lib/go/src/runtime/asm_amd64.s', 1594]];
const CACHE: Frame[] = [['main.fillCache', '/src/app/cache.go', 12], ['main.main', '/src/app/main.go', 30], ['runtime.main', '/usr/lib/go/src/runtime/proc.go', 250]];
const BODY: Frame[] = [
  ['bytes.growSlice', '/usr/lib/go/src/bytes/buffer.go', 240],
  ['bytes.(*Buffer).ReadFrom', '/usr/lib/go/src/bytes/buffer.go', 210],
  ['main.readBody', '/src/app/handlers.go', 18],
  ['net/http.HandlerFunc.ServeHTTP', '/usr/lib/go/src/net/http/server.go', 2109],
  ['runtime.goexit', '/usr/lib/go/src/runtime/asm_amd64.s', 1594],
];
const CHURN: Frame[] = [['main.render', '/src/app/render.go', 7], ['main.main', '/src/app/main.go', 31], ['runtime.main', '/usr/lib/go/src/runtime/proc.go', 250]];

/** heapSpec builds the profile.proto spec of a Go heap profile holding `sites`. */
function heapSpec(timeNanos: number, sites: SiteSpec[], period = 512 * 1024): ProfileSpec {
  const fnIds = new Map<string, number>();
  const locIds = new Map<string, number>();
  const spec: ProfileSpec = { sampleTypes: HEAP_TYPES, samples: [], locations: [], functions: [], timeNanos, period, periodType: ['space', 'bytes'] };
  for (const site of sites) {
    const locations = site.stack.map(([fn, file, line]) => {
      let f = fnIds.get(fn);
      if (f === undefined) { f = fnIds.size + 1; fnIds.set(fn, f); spec.functions.push({ id: f, name: fn, file }); }
      const key = `${fn}:${line}`;
      let l = locIds.get(key);
      if (l === undefined) { l = locIds.size + 1; locIds.set(key, l); spec.locations.push({ id: l, address: 0x1000 + l, lines: [{ functionId: f, line }] }); }
      return l;
    });
    spec.samples.push({ locations, values: [1, site.inuse, 1, site.inuse] });
  }
  return spec;
}

/** heap builds a decoded Go heap profile holding `sites` (inuse bytes; alloc = inuse, so totals move with it). */
function heap(timeNanos: number, sites: SiteSpec[], period = 512 * 1024): Profile {
  return decodeProfile(encodeProfile(heapSpec(timeNanos, sites, period)));
}

/** series makes one profile per minute from per-profile site values. */
function series(rows: Array<Array<[Frame[], number]>>): TrendInput[] {
  return rows.map((sites, i) => ({ name: `p${i}.pb.gz`, profile: heap(T0 + i * MINUTE_NS, sites.map(([stack, inuse]) => ({ stack, inuse }))) }));
}

describe('trend: slope and steadiness', () => {
  it('fits a least-squares slope', () => {
    assert.equal(leastSquaresSlope([0, 1, 2, 3], [1, 3, 5, 7]), 2);
    assert.equal(leastSquaresSlope([0, 1, 2], [5, 5, 5]), 0);
    assert.equal(leastSquaresSlope([2, 2, 2], [1, 2, 3]), 0); // no spread in x: no slope
    assert.ok(Math.abs(leastSquaresSlope([0, 1, 2, 3], [0, 2, 1, 3]) - 0.8) < 1e-12);
  });

  it('ranks a steady riser above a bigger one-off jump and ignores flat and falling sites', () => {
    const trend = computeTrend(series([
      [[LEAK, 1 * MB], [CACHE, 1 * MB], [CHURN, 8 * MB]],
      [[LEAK, 3 * MB], [CACHE, 60 * MB], [CHURN, 7 * MB]],
      [[LEAK, 5 * MB], [CACHE, 60 * MB], [CHURN, 6 * MB]],
      [[LEAK, 7 * MB], [CACHE, 60 * MB], [CHURN, 5 * MB]],
      [[LEAK, 9 * MB], [CACHE, 60 * MB], [CHURN, 4 * MB]],
    ]));
    assert.equal(trend.timeBasis, 'profile');
    assert.equal(trend.informativeSteps, 4);
    assert.deepEqual(trend.suspects.map((s) => s.userFrame.function), ['main.recordAuditEvent']);
    const leak = trend.suspects[0];
    assert.deepEqual(leak.series, [1 * MB, 3 * MB, 5 * MB, 7 * MB, 9 * MB]);
    assert.equal(leak.slopePerMinute, 2 * MB);
    assert.equal(leak.monotonic, 1);
    assert.deepEqual(leak.site, { function: 'main.recordAuditEvent', file: '/src/app/leak.go', line: 19 });
    // The cache jumped once (+59 MB, a steeper fitted slope) but rose at 1 of 4 steps: not a leak.
    const cache = trend.sites.find((s) => s.userFrame.function === 'main.fillCache')!;
    assert.ok(cache.slopePerMinute > leak.slopePerMinute);
    assert.equal(cache.monotonic, 0.25);
    assert.equal(cache.suspect, false);
    assert.equal(trend.sites[0], leak, 'suspects come first in the full ranking');
    const churn = trend.sites.find((s) => s.userFrame.function === 'main.render')!;
    assert.ok(churn.slopePerMinute < 0 && !churn.suspect);
  });

  it('charges growth inside the standard library to the nearest user frame and keeps the leaf as the site', () => {
    const trend = computeTrend(series([[[BODY, 1 * MB]], [[BODY, 4 * MB]], [[BODY, 6 * MB]], [[BODY, 9 * MB]]]));
    assert.equal(trend.suspects.length, 1);
    assert.deepEqual(trend.suspects[0].userFrame, { function: 'main.readBody', file: '/src/app/handlers.go', line: 18 });
    assert.deepEqual(trend.suspects[0].site, { function: 'bytes.growSlice', file: '/usr/lib/go/src/bytes/buffer.go', line: 240 });
  });

  it('calls a climb with a dip "steady" at ≥ 70% of steps, and a zig-zag not', () => {
    // 4 of 5 steps rise (0.8): a suspect. 3 of 5 (0.6): not.
    const mostly = computeTrend(series([1, 3, 5, 4, 7, 9].map((v) => [[LEAK, v * MB]])));
    assert.equal(mostly.suspects.length, 1);
    assert.equal(mostly.suspects[0].monotonic, 0.8);
    const zigzag = computeTrend(series([1, 3, 2, 5, 4, 9].map((v) => [[LEAK, v * MB]])));
    assert.equal(zigzag.sites[0].monotonic, 0.6);
    assert.equal(zigzag.suspects.length, 0);
  });

  it('skips steps across which no GC ran (identical profiles) instead of counting them as flat', () => {
    // Go serves heap profiles as of the last GC: snapshots 1 and 2 are the same data.
    const trend = computeTrend(series([1, 3, 3, 5, 7].map((v) => [[LEAK, v * MB]])));
    assert.deepEqual(trend.snapshots.map((s) => s.changed), [true, true, false, true, true]);
    assert.equal(trend.informativeSteps, 3);
    assert.equal(trend.suspects[0].monotonic, 1);
  });

  it('needs two rising steps: a single GC between the snapshots gives no suspect', () => {
    const trend = computeTrend(series([1, 1, 1, 9, 9].map((v) => [[LEAK, v * MB]])));
    assert.equal(trend.informativeSteps, 1);
    assert.equal(trend.suspects.length, 0);
    assert.ok(trend.sites[0].slopePerMinute > 0);
  });

  it('does not call a rise of less than four sampling periods a leak (within heap-sampling noise)', () => {
    const k = 1024;
    const small = computeTrend(series([100, 600, 1100, 1600].map((v) => [[LEAK, v * k]])));
    assert.equal(small.minRise, 2048 * k);
    assert.equal(small.suspects.length, 0, 'a 1.5 MB rise is about three samples at 512 kB');
    const big = computeTrend(series([100, 800, 1500, 2200].map((v) => [[LEAK, v * k]])));
    assert.equal(big.suspects.length, 1);
    const finer = computeTrend(series([100, 600, 1100, 1600].map((v) => [[LEAK, v * k]])).map((x) => ({ ...x, profile: { ...x.profile, period: 64 * k } })));
    assert.equal(finer.minRise, 256 * k, 'a finer MemProfileRate makes smaller rises meaningful');
    assert.equal(finer.suspects.length, 1);
  });

  it('orders profiles by their timestamps, not by the order given', () => {
    const inputs = series([1, 3, 5, 7].map((v) => [[LEAK, v * MB]]));
    const trend = computeTrend([inputs[2], inputs[0], inputs[3], inputs[1]]);
    assert.deepEqual(trend.snapshots.map((s) => s.name), ['p0.pb.gz', 'p1.pb.gz', 'p2.pb.gz', 'p3.pb.gz']);
    assert.deepEqual(trend.suspects[0].series, [1 * MB, 3 * MB, 5 * MB, 7 * MB]);
  });

  it('falls back to file times, then to the order given, when profiles carry no time', () => {
    const untimed = [1, 3, 5].map((v, i) => ({ name: `f${i}`, profile: heap(0, [{ stack: LEAK, inuse: v * MB }]), fallbackTimeMs: 1000 + (2 - i) * 30000 }));
    const byFile = computeTrend(untimed);
    assert.equal(byFile.timeBasis, 'file');
    assert.deepEqual(byFile.snapshots.map((s) => s.name), ['f2', 'f1', 'f0']);
    assert.equal(byFile.sites[0].slopePerMinute, -4 * MB, '30 s apart: −2 MB per 30 s');
    const byOrder = computeTrend(untimed.map(({ name, profile }) => ({ name, profile })));
    assert.equal(byOrder.timeBasis, 'order');
    assert.deepEqual(byOrder.snapshots.map((s) => s.name), ['f0', 'f1', 'f2']);
    assert.equal(byOrder.suspects[0].slopePerMinute, 2 * MB, 'one step counts as one minute');
  });

  it('refuses fewer than 3 profiles and profiles without the sample type, naming the profile', () => {
    const two = series([[[LEAK, MB]], [[LEAK, 2 * MB]]]);
    assert.throws(() => computeTrend(two), (e: unknown) => e instanceof ProfileError && /at least 3 profiles \(got 2\)/.test(e.message));
    const three = series([[[LEAK, MB]], [[LEAK, 2 * MB]], [[LEAK, 3 * MB]]]);
    assert.throws(() => computeTrend(three, { sampleType: 'cpu' }), (e: unknown) => e instanceof ProfileError && /^p0\.pb\.gz: sample type "cpu"/.test(e.message));
  });
});

describe('trend: labels', () => {
  it('draws block sparklines scaled to the series', () => {
    assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7]), '▁▂▃▄▅▆▇█');
    assert.equal(sparkline([5, 5, 5]), '▁▁▁');
    assert.equal(sparkline([10, 0]), '█▁');
  });

  it('formats slopes per minute with a sign', () => {
    assert.equal(formatSlope(2 * MB, 'bytes'), '+2MB/min');
    assert.equal(formatSlope(-300 * 1024, 'bytes'), '\u2212300kB/min');
    // Under one per minute a riser keeps a digit (one goroutine every five minutes), never "+0/min".
    assert.equal(formatSlope(0.2, 'count'), '+0.2/min');
    assert.equal(formatSlope(-0.04, 'count'), '\u22120.04/min');
    assert.equal(formatSlope(0.3, 'bytes'), '+0.3B/min');
    assert.equal(formatSlope(0.6, 'count'), '+1/min');
    assert.equal(formatSlope(0, 'count'), '0/min');
  });

  it('gives one slope annotation per user-frame line, summing the sites through it', () => {
    const readFrom: Frame[] = [['bytes.makeSlice', '/usr/lib/go/src/bytes/buffer.go', 229], ...BODY.slice(1)];
    const trend = computeTrend(series([1, 2, 3, 4].map((v) => [[BODY, v * MB], [readFrom, v * MB], [CACHE, MB]])));
    const labels = trendAnnotations(trend);
    assert.equal(labels.length, 1, 'the flat cache line gets no label');
    assert.equal(labels[0].file, '/src/app/handlers.go');
    assert.equal(labels[0].line, 18);
    assert.equal(labels[0].slopePerMinute, 2 * MB);
    assert.equal(labels[0].suspect, true);
    assert.equal(labels[0].label, '+2MB/min inuse_space ▁▃▆█ leak suspect');
  });
});

const PARCA = join(__dirname, '../../../../shared/corpus/parca-dev+parca/pkg/query/testdata/many');

describe('trend: parca\'s ten consecutive heap profiles', { skip: existsSync(PARCA) ? false : 'corpus (../shared) absent' }, () => {
  it('orders by profile time, sees that only one step changed, and calls nothing steady', () => {
    const files = readdirSync(PARCA).sort();
    const inputs = [...files].reverse().map((f) => ({ name: f, profile: loadProfileFileSync(join(PARCA, f)) }));
    const trend = computeTrend(inputs);
    assert.equal(trend.timeBasis, 'profile');
    // The file names are the profiles' timestamps: time order is name order.
    assert.deepEqual(trend.snapshots.map((s) => s.name), files);
    // Every total is identical in 9 of the 10 snapshots: one GC ran during the 27 s.
    assert.equal(trend.informativeSteps, 1);
    assert.equal(trend.suspects.length, 0);
    const top = trend.sites[0];
    assert.equal(top.userFrame.function, 'github.com/parca-dev/parca/pkg/metastore.NewBadgerMetastore');
    assert.match(top.userFrame.file, /parca\/pkg\/metastore\/badger\.go$/);
    assert.equal(top.site.function, 'github.com/dgraph-io/badger/v3/skl.newArena');
    assert.ok(top.series[9] > 80 * MB && top.series[0] === 0, `series ${top.series}`);
  });
});

describe('heaplens trend (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'heaplens-trend-'));
  const files = [1, 3, 5, 7].map((v, i) => {
    const file = join(dir, `snap${i}.pb.gz`);
    writeFileSync(file, new Uint8Array(gzipSync(encodeProfile(heapSpec(T0 + i * MINUTE_NS, [{ stack: BODY, inuse: v * MB }, { stack: CACHE, inuse: 4 * MB }])))));
    return file;
  });
  const run = (...argv: string[]) => runTrend(parseArgs(argv, TREND_VALUED, TREND_BOOLEANS));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints exactly one JSON object with the ranked suspects', async () => {
    const out = await run('--json', ...files);
    assert.ok(out.endsWith('}\n') && out.indexOf('\n') === out.length - 1, 'one line');
    assert.deepEqual(JSON.parse(out), {
      suspects: [{
        kind: 'heap',
        userFrame: { function: 'main.readBody', file: '/src/app/handlers.go', line: 18 },
        site: { function: 'bytes.growSlice', file: '/usr/lib/go/src/bytes/buffer.go', line: 240 },
        slopeBytesPerMinute: 2 * MB,
        monotonic: 1,
        series: [1 * MB, 3 * MB, 5 * MB, 7 * MB],
      }],
    });
  });

  it('prints the suspects for a terminal, user frame first, then where it allocates', async () => {
    assert.equal(await run(...files), [
      'Trend of inuse_space across 4 profiles over 3.0min (ordered by profile timestamps)',
      '3 of 3 steps changed (Go updates a heap profile only when a GC completes)',
      '',
      'Leak suspects — rising steadily, steepest first (1):',
      '  1. +2MB/min  rose 3/3  ▁▃▆█  1MB → 7MB',
      '     main.readBody /src/app/handlers.go:18',
      '       allocates in bytes.growSlice /usr/lib/go/src/bytes/buffer.go:240',
      '',
    ].join('\n'));
  });

  it('--module makes only that code the user\'s', async () => {
    const ingest: Frame[] = [
      BODY[0],
      ['example.com/app/ingest.decode', '/src/app/ingest/decode.go', 31],
      ['example.com/app/ingest.Serve', '/src/app/ingest/serve.go', 12],
      ['main.run', '/src/app/main.go', 44],
      ['runtime.main', '/usr/lib/go/src/runtime/proc.go', 250],
    ];
    const own = [1, 3, 5].map((v, i) => {
      const file = join(dir, `ingest${i}.pb.gz`);
      writeFileSync(file, new Uint8Array(gzipSync(encodeProfile(heapSpec(T0 + i * MINUTE_NS, [{ stack: ingest, inuse: v * MB }])))));
      return file;
    });
    // Inferred: a path outside GOROOT and the module cache is the user's.
    assert.equal(JSON.parse(await run('--json', ...own)).suspects[0].userFrame.function, 'example.com/app/ingest.decode');
    // Told the user's module is another one, the ingest package is somebody else's: package main is next.
    assert.deepEqual(JSON.parse(await run('--json', '--module', 'example.com/other', ...own)).suspects[0].userFrame,
      { function: 'main.run', file: '/src/app/main.go', line: 44 });
    assert.equal(JSON.parse(await run('--json', '--module', 'example.com/app/ingest', ...own)).suspects[0].userFrame.function, 'example.com/app/ingest.decode');
  });

  it('refuses fewer than 3 profiles, and names a file that is not a profile', async () => {
    await assert.rejects(() => run(files[0], files[1]), (e: unknown) => e instanceof UsageError && /at least 3 profiles \(got 2\)/.test(e.message));
    const bogus = join(dir, 'notes.txt');
    writeFileSync(bogus, 'hello');
    await assert.rejects(() => run(files[0], files[1], bogus), (e: unknown) => e instanceof CliError && e.message.startsWith(`${bogus}: not a pprof profile`));
    await assert.rejects(() => run(files[0], files[1], join(dir, 'missing.pb.gz')), (e: unknown) => e instanceof CliError && /missing\.pb\.gz: .*no such file/.test(e.message));
  });

  it('prints {"suspects": []} for parca\'s series, and says why in text', { skip: existsSync(PARCA) ? false : 'corpus (../shared) absent' }, async () => {
    const parca = readdirSync(PARCA).map((f) => join(PARCA, f));
    assert.equal(await run('--json', ...parca), '{"suspects":[]}\n');
    const text = await run(...parca);
    assert.match(text, /^Trend of inuse_space across 10 profiles over 27s \(ordered by profile timestamps\)\n1 of 9 steps changed/);
    assert.match(text, /No leak suspects\. Only 1 of 9 steps changed: .*gc=1/);
    assert.match(text, /Largest rises \(not steady enough to call a leak\):\n\s+1\. \+161\.37MB\/min  rose 1\/1  ▁▁▁▁▁▁▁▁██  0 → 83\.20MB\n\s+github\.com\/parca-dev\/parca\/pkg\/metastore\.NewBadgerMetastore \S+badger\.go:115/);
  });
});
