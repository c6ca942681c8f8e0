import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { decodeProfile } from '../../../../src/core/decode';
import { gunzipPortable } from '../../../../src/core/decode/gzip';
import { ProfileError, type ProfileErrorCode } from '../../../../src/core/errors';
import { HEAP_TYPES, type ProfileSpec, encodeProfile } from '../../../support/profileWriter';

// Bad input gets a typed error with a specific message — never a hang, a crash or a stack trace.

const good = (): ProfileSpec => ({
  sampleTypes: HEAP_TYPES,
  functions: [{ id: 1, name: 'main.f', file: '/a.go' }],
  locations: [{ id: 1, lines: [{ functionId: 1, line: 3 }] }],
  samples: [{ locations: [1], values: [1, 2, 3, 4] }],
});

function expectError(data: Uint8Array, code: ProfileErrorCode, message: RegExp, options = {}) {
  assert.throws(() => decodeProfile(data, options), (e: unknown) => {
    assert.ok(e instanceof ProfileError, `expected ProfileError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    return true;
  });
}

describe('bad input', () => {
  it('empty file', () => expectError(new Uint8Array(0), 'empty', /empty/));

  it('random bytes', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    const data = Uint8Array.from({ length: 4096 }, rnd);
    assert.throws(() => decodeProfile(data), (e) => e instanceof ProfileError && /not a pprof profile|truncated|corrupt|reference|invalid/.test(e.message));
  });

  it('plain text that is not a profile (e.g. a README named .prof)', () => {
    expectError(new TextEncoder().encode('hello\nworld\n'), 'not-a-profile', /not a pprof profile: it is text starting "hello"/);
  });

  it('truncated gzip', () => {
    const gz = gzipSync(encodeProfile(good()));
    expectError(gz.subarray(0, gz.length - 12), 'truncated', /gzip data is truncated/);
  });

  it('corrupt gzip', () => {
    const gz = new Uint8Array(gzipSync(encodeProfile(good())));
    gz[12] ^= 0xff;
    gz[13] ^= 0xff;
    assert.throws(() => decodeProfile(gz), (e) => e instanceof ProfileError && /gzip|protobuf|reference|corrupt/.test(e.message));
  });

  it('truncated protobuf', () => {
    const raw = encodeProfile(good());
    expectError(raw.subarray(0, raw.length - 3), 'truncated', /truncated protobuf/);
  });

  it('sample refers to a location id out of range', () => {
    const spec = good();
    spec.samples[0].locations = [99];
    expectError(encodeProfile(spec), 'invalid-reference', /location id 99, which is not in the profile/);
  });

  it('line refers to a missing function', () => {
    const spec = good();
    spec.locations[0].lines[0].functionId = 5;
    expectError(encodeProfile(spec), 'invalid-reference', /function id 5/);
  });

  it('a location naming a mapping that is not there keeps no mapping, as pprof does (found by the fuzzer)', () => {
    const spec = good();
    spec.locations[0].mappingId = 7;
    const p = decodeProfile(encodeProfile(spec));
    assert.equal(p.locations.mappingIndex[0], -1);
    assert.deepEqual(Array.from(p.samples.values), [1, 2, 3, 4]);
  });

  it('zero sample types with samples', () => {
    expectError(encodeProfile({ ...good(), sampleTypes: [] }), 'no-sample-types', /no sample types/);
  });

  it('values/types length mismatch', () => {
    const spec = good();
    spec.samples.push({ locations: [1], values: [1, 2] });
    expectError(encodeProfile(spec), 'value-count-mismatch', /sample 1 has 2 values but there are 4 sample types/);
  });

  it('decompression bomb is refused at the cap, without inflating past it', () => {
    const bomb = new Uint8Array(gzipSync(Buffer.alloc(64 * 1048576))); // 64 MiB of zeros → ~64 KiB gzipped
    expectError(bomb, 'too-large', /more than 8 MiB/, { maxBytes: 8 * 1048576 });
    // Work, not wall-clock time (a loaded CI machine makes timings flaky): count what the inflater
    // hands out before it gives up. It must stop at the cap, not expand all 64 MiB and check after.
    let inflated = 0;
    assert.throws(() => gunzipPortable(bomb, 8 * 1048576, (chunk) => { inflated += chunk.length; }), /more than 8 MiB/);
    assert.ok(inflated <= 8 * 1048576, `inflated ${inflated} bytes past an 8 MiB cap`);
    assert.ok(inflated > 4 * 1048576, `stopped at ${inflated} bytes, well before the cap`);
  });

  it('a file larger than the cap is refused before decoding', () => {
    expectError(new Uint8Array(2048).fill(1), 'too-large', /more than/, { maxBytes: 1024 });
  });

  it('legacy text with a broken record names the line', () => {
    const text = 'heap profile: 1: 10 [1: 10] @ heap/1048576\n1: 10 [1: 10] @ 0x1\n#\t0x0\tmain.f+0x0\t/a.go:1\nnonsense here\n';
    expectError(new TextEncoder().encode(text), 'corrupt', /line 4 is not a heap record/);
  });

  it('legacy text with count 0 but bytes ≠ 0 (pprof rejects it too)', () => {
    const text = 'heap profile: 1: 10 [1: 10] @ heap/1048576\n0: 10 [1: 10] @ 0x1\n';
    expectError(new TextEncoder().encode(text), 'corrupt', /inuse count is 0 but inuse bytes is 10/);
  });

  it('a real fixture cut at every 97th byte never crashes or hangs', () => {
    const data = new Uint8Array(readFileSync(join(__dirname, '../../../fixtures/profiles/default/bodies/new.pb.gz')));
    for (let n = 0; n < data.length; n += 97) {
      try { decodeProfile(data.subarray(0, n)); } catch (e) { assert.ok(e instanceof ProfileError, `cut at ${n}: ${String(e)}`); }
    }
  });
});
