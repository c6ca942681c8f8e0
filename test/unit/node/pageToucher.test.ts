import assert from 'node:assert/strict';
import { MessageChannel } from 'node:worker_threads';
import { gunzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { ProfileStream, decodeInflated } from '../../../src/core/decode';
import type { Profile } from '../../../src/core/model';
import { profileBuffers } from '../../../src/node/decodeJob';
import { PageToucher } from '../../../src/node/pageToucher';
import { generateHeapProfile } from '../../bench/generate';

// The big sample columns may live in shared memory that another thread faults in while the parser
// fills it: the values must be exactly those of plain memory, and the profile must still travel
// between threads as the decode worker sends it.

describe('columns in shared memory touched by another thread', () => {
  const raw = new Uint8Array(gunzipSync(generateHeapProfile(60_000, 2, 9).gz));

  function decodeShared(): Profile {
    const memory = new PageToucher();
    try {
      const stream = new ProfileStream(false, memory);
      for (let at = 0; at < raw.length; at += 65536) stream.feed(raw.subarray(at, Math.min(raw.length, at + 65536)), Math.min(raw.length, at + 65536) / raw.length);
      return stream.finish();
    } finally {
      memory.close();
    }
  }

  it('decodes exactly what plain memory decodes, with the big columns shared', () => {
    const shared = decodeShared();
    assert.ok(shared.samples.locationIndex.buffer instanceof SharedArrayBuffer, 'the location ids (several MB) are in shared memory');
    assert.ok(shared.samples.locationIndex.length * 4 > 4 << 20);
    assert.deepEqual(shared, decodeInflated(raw, false));
  });

  it('the shared columns survive a postMessage with the decode worker\'s transfer list', async () => {
    const shared = decodeShared();
    const { port1, port2 } = new MessageChannel();
    const received = new Promise<Profile>((resolve) => port2.once('message', resolve));
    port1.postMessage(shared, profileBuffers(shared));
    const copy = await received;
    port1.close();
    port2.close();
    assert.deepEqual(copy, decodeInflated(raw, false));
  });
});
