import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeProfile } from '../../../../src/core/decode';
import { ProfileError } from '../../../../src/core/errors';
import { HEAP_TYPES, encodeProfile } from '../../../support/profileWriter';

// Encodings that protobuf and pprof accept but are unusual: overlong varints; and values that a
// double cannot hold exactly, which heaplens refuses by name rather than rounding.

function readVarint(b: Uint8Array, pos: number): [number, number] {
  let v = 0;
  let mul = 1;
  for (;;) {
    const x = b[pos++];
    v += (x & 0x7f) * mul;
    mul *= 128;
    if (x < 0x80) return [v, pos];
  }
}

/** overlong writes v in exactly `bytes` bytes (high groups zero), as a lax encoder may. */
function overlong(v: number, bytes: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < bytes; i++) {
    out.push((v % 128) | (i < bytes - 1 ? 0x80 : 0));
    v = Math.floor(v / 128);
  }
  return out;
}

/** stretch re-encodes every top-level tag and length of a profile with `bytes`-byte varints. */
function stretch(b: Uint8Array, bytes: number): Uint8Array {
  const out: number[] = [];
  let pos = 0;
  while (pos < b.length) {
    const [tag, p1] = readVarint(b, pos);
    out.push(...overlong(tag, bytes));
    if ((tag & 7) === 2) {
      const [len, p2] = readVarint(b, p1);
      out.push(...overlong(len, bytes), ...b.subarray(p2, p2 + len));
      pos = p2 + len;
    } else {
      const [, p2] = readVarint(b, p1);
      out.push(...b.subarray(p1, p2));
      pos = p2;
    }
  }
  return Uint8Array.from(out);
}

const spec = () => ({
  sampleTypes: HEAP_TYPES,
  period: 524288,
  functions: [{ id: 1, name: 'main.f', file: '/a.go' }],
  locations: [{ id: 1, lines: [{ functionId: 1, line: 3 }] }],
  samples: [{ locations: [1], values: [1, 2, 3, 4] }],
});

describe('overlong varints', () => {
  const plain = encodeProfile(spec());
  for (const bytes of [6, 8, 10]) {
    it(`tags and lengths written in ${bytes} bytes decode as the short form does`, () => {
      const p = decodeProfile(stretch(plain, bytes));
      const q = decodeProfile(plain);
      assert.deepEqual(p.sampleTypes, q.sampleTypes);
      assert.deepEqual(Array.from(p.samples.values), Array.from(q.samples.values));
      assert.equal(p.period, 524288);
    });
  }

  it('11 bytes is malformed, and a length of 2^32 or more is refused', () => {
    assert.throws(() => decodeProfile(stretch(plain, 11)), (e: unknown) => e instanceof ProfileError && /longer than 10 bytes/.test(e.message));
    const huge = Uint8Array.from([0x32, ...overlong(2 ** 32, 6)]);
    assert.throws(() => decodeProfile(huge), (e: unknown) => e instanceof ProfileError);
  });
});

describe('values beyond exact representation', () => {
  it('a sample value past 2^53 is refused naming the sample and its type', () => {
    const s = spec();
    s.samples[0].values = [1, 2, 3, 2 ** 60];
    assert.throws(() => decodeProfile(encodeProfile(s)), (e: unknown) => e instanceof ProfileError && /^sample 0: its inuse_space value .* is beyond 2\^53/.test(e.message));
  });

  it('values that each fit but add up past 2^53 are refused naming the type', () => {
    const s = spec();
    s.samples = [{ locations: [1], values: [1, 2, 3, 2 ** 52] }, { locations: [1], values: [1, 2, 3, 2 ** 52] }, { locations: [1], values: [1, 2, 3, 2 ** 52] }];
    assert.throws(() => decodeProfile(encodeProfile(s)), (e: unknown) => e instanceof ProfileError && /the inuse_space values add up to more than 2\^53/.test(e.message));
  });
});

describe('packed location ids of every length', () => {
  // The sample parser reads ids of up to three bytes without branching on their length and leaves
  // longer ones to the general reader; ids of each length, in every position of a payload (its
  // last two bytes included), must come out as written.
  const ids = [1, 127, 128, 16383, 16384, 2 ** 21 - 1, 2 ** 21, 2 ** 28 - 1, 2 ** 28, 2 ** 32 - 1];
  it('decode to the locations they name, alone, in pairs and in long stacks', () => {
    const s = {
      sampleTypes: HEAP_TYPES,
      period: 1,
      functions: ids.map((id, k) => ({ id: k + 1, name: `main.f${id}`, file: '/a.go' })),
      locations: ids.map((id, k) => ({ id, lines: [{ functionId: k + 1, line: k + 1 }] })),
      samples: [] as Array<{ locations: number[]; values: number[] }>,
    };
    const stacks: number[][] = ids.map((id) => [id]);
    for (const a of ids) for (const b of ids) stacks.push([a, b]);
    for (let r = 0; r < ids.length; r++) stacks.push([...ids.slice(r), ...ids.slice(0, r), ids[r], 1, 128]);
    s.samples = stacks.map((locations, k) => ({ locations, values: [1, k + 1, 1, k + 1] }));
    const p = decodeProfile(encodeProfile(s));
    assert.equal(p.samples.count, stacks.length);
    for (let k = 0; k < stacks.length; k++) {
      const got: number[] = [];
      for (let j = p.samples.locationStart[k]; j < p.samples.locationStart[k + 1]; j++) got.push(p.locations.id[p.samples.locationIndex[j]]);
      assert.deepEqual(got, stacks[k], `sample ${k}`);
    }
  });

  it('overlong ids (1 written in two and three bytes) read as the short form', () => {
    // sample { location_id: [1, 1, 1] packed as 01, 81 00, 81 80 00 }
    const body = [0x0a, 6, 0x01, 0x81, 0x00, 0x81, 0x80, 0x00, 0x12, 4, 1, 2, 3, 4];
    const plain = encodeProfile(spec());
    const withSample = Uint8Array.from([...plain, 0x12, body.length, ...body]);
    const p = decodeProfile(withSample);
    assert.equal(p.samples.count, 2);
    assert.deepEqual([...p.samples.locationIndex.subarray(p.samples.locationStart[1], p.samples.locationStart[2])], [0, 0, 0]);
  });

  it('an id cut off at the end of its payload is refused, never read into the next field', () => {
    // location_id payload 01 81 81: its last id has no final byte; the values field follows.
    const body = [0x0a, 3, 0x01, 0x81, 0x81, 0x12, 4, 1, 2, 3, 4];
    const withSample = Uint8Array.from([...encodeProfile(spec()), 0x12, body.length, ...body]);
    assert.throws(() => decodeProfile(withSample), (e: unknown) => e instanceof ProfileError && e.code === 'truncated');
  });
});
