import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { ProfileStream, decodeInflated } from '../../../../src/core/decode';
import { ProfileError } from '../../../../src/core/errors';
import type { Profile } from '../../../../src/core/model';
import { WireReader } from '../../../../src/core/decode/wire';
import { generateHeapProfile } from '../../../bench/generate';
import { HEAP_TYPES, encodeProfile } from '../../../support/profileWriter';

// The streamed profile.proto reader must see exactly what the whole-buffer reader sees: the same
// profile, or the same error (code and message, byte offsets included), wherever the chunks split.

const BODIES = join(__dirname, '../../../fixtures/profiles/default/bodies');
/** new.pb.gz of the default fixture: a real profile written by Go's runtime/pprof. */
const REAL = new Uint8Array(gunzipSync(readFileSync(join(BODIES, 'new.pb.gz'))));

type Outcome = { ok: true; profile: Profile } | { ok: false; code: string; message: string };

function outcome(f: () => Profile): Outcome {
  try {
    return { ok: true, profile: f() };
  } catch (e) {
    if (!(e instanceof ProfileError)) throw e;
    return { ok: false, code: e.code, message: e.message };
  }
}

/** streamed decodes `data` pushed at the given cut points, through one reused chunk buffer (overwritten after each feed). */
function streamed(data: Uint8Array, cuts: number[], gzipped = false): Profile {
  const stream = new ProfileStream(gzipped);
  const scratch = new Uint8Array(data.length);
  let from = 0;
  for (const to of [...cuts, data.length]) {
    const chunk = scratch.subarray(0, to - from);
    chunk.set(data.subarray(from, to));
    stream.feed(chunk, to / data.length);
    chunk.fill(0xee); // the reader must have kept nothing that points into the chunk
    from = to;
  }
  return stream.finish();
}

function chunked(data: Uint8Array, size: number): number[] {
  const cuts: number[] = [];
  for (let at = size; at < data.length; at += size) cuts.push(at);
  return cuts;
}

/** same compares outcomes; profiles by value (typed arrays by content). */
function same(actual: Outcome, expected: Outcome, what: string): void {
  if (!expected.ok || !actual.ok) {
    assert.deepEqual(actual.ok ? 'decoded' : { code: actual.code, message: actual.message }, expected.ok ? 'decoded' : { code: expected.code, message: expected.message }, what);
    return;
  }
  assert.deepEqual(actual.profile, expected.profile, what);
}

describe('streamed profile.proto', () => {
  const whole = outcome(() => decodeInflated(REAL, false));

  it('decodes a real profile identically split at every possible byte', () => {
    assert.ok(whole.ok && whole.profile.samples.count > 0);
    for (let cut = 1; cut < REAL.length; cut++) same(outcome(() => streamed(REAL, [cut])), whole, `split at ${cut}`);
  });

  it('decodes it identically in chunks of every size from 1 to 64 bytes, and in 3-way splits around each field boundary', () => {
    for (let size = 1; size <= 64; size++) same(outcome(() => streamed(REAL, chunked(REAL, size))), whole, `chunks of ${size}`);
    for (let cut = 1; cut + 2 < REAL.length; cut += 3) same(outcome(() => streamed(REAL, [cut, cut + 1, cut + 2])), whole, `cuts ${cut}..${cut + 2}`);
  });

  it('reports exactly the whole-buffer error for every truncation', () => {
    for (let n = 1; n < REAL.length; n++) {
      const prefix = REAL.subarray(0, n);
      same(outcome(() => streamed(prefix, chunked(prefix, 5))), outcome(() => decodeInflated(prefix, false)), `first ${n} bytes`);
    }
  });

  it('reports exactly the whole-buffer error (or profile) for every corrupted byte', () => {
    for (let i = 0; i < REAL.length; i++) {
      for (const bad of [0x00, 0x80, 0xff, REAL[i] ^ 0x07]) {
        const data = REAL.slice();
        data[i] = bad;
        same(outcome(() => streamed(data, chunked(data, 7))), outcome(() => decodeInflated(data, false)), `byte ${i} = ${bad}`);
      }
    }
  });

  it('reads fields far larger than a chunk (a 3 MB string, a 200,000-frame stack) fed 4 KiB at a time', () => {
    const depth = 200_000;
    const data = encodeProfile({
      sampleTypes: HEAP_TYPES,
      functions: [{ id: 1, name: `main.${'x'.repeat(3 << 20)}`, file: '/src/main.go' }, { id: 2, name: 'main.main', file: '/src/main.go' }],
      locations: [{ id: 1, lines: [{ functionId: 1, line: 3 }] }, { id: 2, lines: [{ functionId: 2, line: 9 }] }],
      samples: [{ locations: Array.from({ length: depth }, (_, k) => (k === 0 ? 1 : 2)), values: [1, 2, 3, 4] }, { locations: [1], values: [5, 6, 7, 8] }],
    });
    const p = streamed(data, chunked(data, 4096));
    assert.deepEqual(p, decodeInflated(data, false));
    assert.equal(p.functions.name[0].length, 5 + (3 << 20));
    assert.equal(p.samples.locationStart[1], depth);
  });

  it('sizes the sample columns from the progress it is told, without doubling them', () => {
    const raw = new Uint8Array(gunzipSync(generateHeapProfile(50_000, 0, 7).gz));
    const p = streamed(raw, chunked(raw, 64 * 1024));
    assert.deepEqual(p, decodeInflated(raw, false));
    // The projection made early on is the ids so far over the fraction read, plus 10%: it
    // overshoots by the share of the message after the samples (locations, functions, strings).
    let samplesEnd = 0;
    for (const r = new WireReader(raw); r.pos < r.end;) {
      const tag = r.uint32();
      r.skip(tag & 7);
      if (tag >>> 3 === 2) samplesEnd = r.pos;
    }
    const ids = p.samples.locationIndex;
    const bound = (ids.length * 1.1 * raw.length) / samplesEnd + 65536 + 1;
    const capacity = ids.buffer.byteLength / 4;
    assert.ok(capacity >= ids.length && capacity <= bound, `id column capacity ${capacity} for ${ids.length} ids (bound ${Math.round(bound)})`);
  });

  it('hands text formats to the whole-buffer decoders, and words an empty stream as before', () => {
    for (const name of ['new.heap.txt', 'base.heap.txt']) {
      const text = new Uint8Array(readFileSync(join(BODIES, name)));
      same(outcome(() => streamed(text, chunked(text, 100))), outcome(() => decodeInflated(text, false)), name);
    }
    same(outcome(() => streamed(new Uint8Array(0), [], true)), outcome(() => decodeInflated(new Uint8Array(0), true)), 'empty gzip');
    const hello = new TextEncoder().encode('hello, world');
    same(outcome(() => streamed(hello, [3])), outcome(() => decodeInflated(hello, false)), 'short text');
  });
});
