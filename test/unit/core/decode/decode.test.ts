import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { decodeProfile } from '../../../../src/core/decode';
import { scaleHeapSample } from '../../../../src/core/decode/legacyText';
import { aggregate } from '../../../../src/core/aggregate';
import { HEAP_TYPES, type ProfileSpec, encodeProfile } from '../../../support/profileWriter';

/** A small heap profile: main.main → main.handler → bytes.makeSlice, with an inlined frame. */
function smallSpec(): ProfileSpec {
  return {
    sampleTypes: HEAP_TYPES,
    period: 524288,
    periodType: ['space', 'bytes'],
    timeNanos: 1_700_000_000_000_000_000,
    functions: [
      { id: 1, name: 'main.main', file: '/src/app/main.go' },
      { id: 2, name: 'main.handler', file: '/src/app/handlers.go' },
      { id: 3, name: 'bytes.makeSlice', file: '/usr/lib/go/src/bytes/buffer.go' },
      { id: 4, name: 'main.readBody', file: '/src/app/handlers.go' },
    ],
    locations: [
      { id: 1, address: 0x1000, lines: [{ functionId: 3, line: 229 }] },
      // readBody inlined into handler: line[0] innermost.
      { id: 2, address: 0x2000, lines: [{ functionId: 4, line: 21 }, { functionId: 2, line: 40 }] },
      { id: 3, address: 0x3000, lines: [{ functionId: 1, line: 10 }] },
    ],
    samples: [
      { locations: [1, 2, 3], values: [10, 10 * 1048576, 8, 8 * 1048576] },
      { locations: [2, 3], values: [1, 4096, 0, 0] },
    ],
  };
}

describe('profile.proto decoding', () => {
  it('resolves strings, ids and inlined lines into the model', () => {
    const p = decodeProfile(encodeProfile(smallSpec()));
    assert.deepEqual(p.sampleTypes.map((t) => t.type), ['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']);
    assert.equal(p.samples.count, 2);
    assert.equal(p.period, 524288);
    assert.equal(p.timeNanos, 1_700_000_000_000_000_000);
    const loc = p.samples.locationIndex[p.samples.locationStart[0] + 1];
    const first = p.locations.lineStart[loc];
    assert.equal(p.functions.name[p.locations.lineFunction[first]], 'main.readBody');
    assert.equal(p.functions.name[p.locations.lineFunction[first + 1]], 'main.handler');
    assert.equal(p.locations.address[loc], 0x2000);
  });

  it('detects gzip by content, not by name', () => {
    const raw = encodeProfile(smallSpec());
    const a = decodeProfile(new Uint8Array(gzipSync(raw)));
    const b = decodeProfile(raw);
    assert.equal(a.gzipped, true);
    assert.equal(b.gzipped, false);
    assert.deepEqual(Array.from(a.samples.values), Array.from(b.samples.values));
  });

  it('accepts packed and unpacked repeated fields alike', () => {
    const packed = decodeProfile(encodeProfile(smallSpec()));
    const unpacked = decodeProfile(encodeProfile({ ...smallSpec(), unpacked: true }));
    assert.deepEqual(Array.from(unpacked.samples.values), Array.from(packed.samples.values));
    assert.deepEqual(Array.from(unpacked.samples.locationIndex), Array.from(packed.samples.locationIndex));
  });

  it('keeps negative int64 values signed and large values exact up to 2^53', () => {
    const spec = smallSpec();
    spec.samples = [
      { locations: [1, 2, 3], values: [-910, -(2 ** 40) - 3, 2 ** 53 - 1, 9007199254740991] },
      { locations: [3], values: [-1, -2, -3, -(2 ** 53 - 1)] },
    ];
    const p = decodeProfile(encodeProfile(spec));
    assert.deepEqual(Array.from(p.samples.values), [-910, -(2 ** 40) - 3, 2 ** 53 - 1, 9007199254740991, -1, -2, -3, -(2 ** 53 - 1)]);
  });

  it('accepts 64-bit location ids (hash-based ids from other producers)', () => {
    const spec = smallSpec();
    const big = [2 ** 40 + 1, 2 ** 45 + 7, 2 ** 50 + 3];
    spec.locations.forEach((l, i) => { l.id = big[i]; });
    spec.samples = [{ locations: [big[0], big[1], big[2]], values: [1, 2, 3, 4] }, { locations: [big[2]], values: [1, 1, 1, 1] }];
    const p = decodeProfile(encodeProfile(spec));
    assert.deepEqual(Array.from(p.samples.locationIndex), [0, 1, 2, 2]);
    assert.equal(aggregate(p).cum[aggregate(p).nodes.name.indexOf('main.main')], 5);
  });

  it('finds the string table wherever it is and resolves default_sample_type', () => {
    const p = decodeProfile(encodeProfile({ ...smallSpec(), defaultSampleType: 'alloc_space' }));
    assert.equal(p.defaultSampleType, 'alloc_space');
    assert.equal(aggregate(p).sampleType.type, 'alloc_space');
    assert.equal(aggregate(decodeProfile(encodeProfile(smallSpec()))).sampleType.type, 'inuse_space');
  });
});

describe('legacy heap text (debug=1)', () => {
  const text = [
    'heap profile: 2: 2097152 [5: 5242880] @ heap/1048576',
    '1: 1048576 [3: 3145728] @ 0x4a1001 0x4a2002 0x4a3003',
    '#\t0x4a1000\tmain.readBody+0x20\t/build/app/handlers.go:21',
    '#\t0x4a2001\tmain.readAllBodies+0x41\t/build/app/handlers.go:30',
    '#\t0x4a3002\tmain.main+0x12\t/build/app/main.go:12',
    '',
    '1: 1048576 [2: 2097152] @ 0x4a9009 0x4a3003',
    '#\t0x4a9008\tmain.cacheValue+0x8\t/build/app/cache.go:17',
    '#\t0x4a3002\tmain.main+0x12\t/build/app/main.go:12',
    '',
    '',
    '# runtime.MemStats',
    '# Alloc = 2097152',
    '# HeapInuse = 4194304',
    '# NumGC = 7',
  ].join('\n');

  it('reads four sample types, names from # lines, and unsamples like pprof', () => {
    const p = decodeProfile(new TextEncoder().encode(text));
    assert.equal(p.format, 'legacy-heap-text');
    assert.deepEqual(p.sampleTypes.map((t) => t.type), ['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']);
    assert.equal(p.period, 524288, 'heap/RATE2 means rate = RATE2 / 2');
    const [ao, as] = scaleHeapSample(3, 3145728, 524288);
    const [io, is] = scaleHeapSample(1, 1048576, 524288);
    assert.deepEqual(Array.from(p.samples.values.subarray(0, 4)), [ao, as, io, is]);
    assert.ok(is > 1048576 && is < 1048576 * 1.2, 'unsampling scales up by 1/(1-exp(-avg/rate))');
    const agg = aggregate(p, { granularity: 'lines' });
    const names = agg.nodes.name.map((n, i) => `${n} ${agg.nodes.file[i]}:${agg.nodes.line[i]}`);
    assert.ok(names.includes('main.readBody /build/app/handlers.go:21'));
    assert.ok(names.includes('main.cacheValue /build/app/cache.go:17'));
    assert.deepEqual(p.memStats, [['Alloc', '2097152'], ['HeapInuse', '4194304'], ['NumGC', '7']]);
  });

  it('reads two sample types when the alloc figures equal the in-use ones', () => {
    const p = decodeProfile(new TextEncoder().encode('heap profile: 1: 4096 [1: 4096] @ heap_v2/524288\n1: 4096 [1: 4096] @ 0x10\n#\t0xf\tmain.f+0x1\t/a.go:3\n'));
    assert.deepEqual(p.sampleTypes.map((t) => t.type), ['objects', 'space']);
    assert.equal(aggregate(p, { sampleIndex: 'inuse_space' }).sampleType.type, 'space', 'inuse_ prefix is stripped like pprof');
  });

  it('matches scaleHeapSample on known values (pprof legacy_profile.go)', () => {
    assert.deepEqual(scaleHeapSample(0, 0, 524288), [0, 0]);
    assert.deepEqual(scaleHeapSample(5, 500, 1), [5, 500]);
    // avg = rate: scale = 1/(1 - e^-1) = 1.5819767068693265
    assert.deepEqual(scaleHeapSample(1, 524288, 524288), [1, Math.trunc(524288 * 1.5819767068693265)]);
  });
});
