import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bundleGoroutineName, bundleStamp, coveredMemStats } from '../../../src/node/captureBundle';

// A capture bundle's files are found by name and one timestamp only: the heap file gives the goroutine
// dump's name (automatic pairing of a heap comparison), and a memstats file whose heap profile is in
// the same selection is not a trend snapshot of its own.

describe('capture bundle names', () => {
  it('a bundle heap file names its goroutine dump; other names name nothing', () => {
    assert.equal(bundleGoroutineName('/w/.heaplens/heap-20260102-030405.pb.gz'), 'goroutine-20260102-030405.txt');
    assert.equal(bundleGoroutineName('heap-20260102-030405-2.txt'), 'goroutine-20260102-030405-2.txt');
    for (const other of ['bad_heap.prof', 'heap-2026.pb.gz', 'goroutine-20260102-030405.txt', 'memstats-20260102-030405.txt', 'heap-20260102-030405.pb.gz.bak']) {
      assert.equal(bundleGoroutineName(other), undefined, other);
      assert.equal(bundleStamp(other), undefined, other);
    }
  });

  it('memstats files are covered only when their own heap profile is selected too', () => {
    const files = ['/d/heap-20260102-030405.pb.gz', '/d/memstats-20260102-030405.txt', '/d/goroutine-20260102-030405.txt', '/d/memstats-20260102-030505.txt'];
    assert.deepEqual([...coveredMemStats(files)], ['/d/memstats-20260102-030405.txt']);
    assert.deepEqual([...coveredMemStats(['/d/memstats-20260102-030405.txt'])], []);
  });
});
