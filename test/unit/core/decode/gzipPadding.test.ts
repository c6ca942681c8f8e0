import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { gzipPadding } from '../../../../src/core/decode/gzip';

// Zero bytes after the gzip data (a padding proxy): counted exactly, never confused with the
// trailer's own zero bytes (ISIZE of a profile under 16 MiB ends in 0x00), never with junk.

const PROTO = new Uint8Array(readFileSync(join(__dirname, '../../../fixtures/profiles/default/bodies/base.pb.gz')));
const join2 = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => Array.from(p)));

describe('gzip padding', () => {
  it('counts the zeros after the gzip data, and only those', () => {
    assert.equal(PROTO[PROTO.length - 1], 0, 'the fixture\'s trailer itself ends in a zero byte');
    assert.equal(gzipPadding(PROTO, 1 << 30), 0);
    assert.equal(gzipPadding(join2(PROTO, new Uint8Array(1)), 1 << 30), 1);
    assert.equal(gzipPadding(join2(PROTO, new Uint8Array(4096)), 1 << 30), 4096);
  });

  it('an empty member whose trailer is all zeros is not padding', () => {
    const empty = new Uint8Array(gzipSync(new Uint8Array(0)));
    assert.equal(gzipPadding(empty, 1 << 30), 0);
    assert.equal(gzipPadding(join2(empty, new Uint8Array(7)), 1 << 30), 7);
  });

  it('leaves alone what is not only zeros, truncated data, and inflation past the cap', () => {
    assert.equal(gzipPadding(join2(PROTO, Uint8Array.of(0, 0, 7, 0)), 1 << 30), 0);
    assert.equal(gzipPadding(join2(PROTO.subarray(0, PROTO.length - 9), new Uint8Array(8)), 1 << 30), 0);
    assert.equal(gzipPadding(join2(PROTO, new Uint8Array(8)), 16), 0);
    assert.equal(gzipPadding(new Uint8Array(16), 1 << 30), 0);
  });

  it('after two members, only the zeros after the second are padding', () => {
    assert.equal(gzipPadding(join2(PROTO, PROTO, new Uint8Array(3)), 1 << 30), 3);
  });
});
