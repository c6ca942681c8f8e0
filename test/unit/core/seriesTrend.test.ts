import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ProfileError } from '../../../src/core/errors';
import { profileMemory } from '../../../src/core/memory/breakdown';
import { computeSeriesTrend, type SeriesInput } from '../../../src/core/seriesTrend';
import { loadProfileFileSync } from '../../../src/node/loadProfile';

// A captured series of bundles (the goroutineleak fixture, a real Go 1.19 program leaking
// goroutines at four sites): heap profiles and goroutine profiles in one list are fitted apart, and
// the heap snapshots' MemStats — their own block, or the bundle's memstats file — give the stack
// series that a heap profile cannot show.

const FIX = join(__dirname, '../../fixtures/goroutineleak/profiles/default');
const T = ['t0', 't1', 't2', 't3'];
const START = Date.UTC(2026, 0, 1);
const input = (file: string, i: number): SeriesInput => ({ name: file, profile: loadProfileFileSync(join(FIX, file)), fallbackTimeMs: START + i * 60_000 });
const at = (f: { function: string; file: string; line: number }) => `${f.function} ${f.file.split('/').pop()}:${f.line}`;

describe('series trend: heap and goroutine profiles side by side', () => {
  it('ranks heap sites, goroutine sites (where they wait, any form) and the MemStats series', () => {
    const forms = ['goroutine-dump.txt', 'goroutine.txt', 'goroutine.pb.gz', 'goroutine-dump.txt'];
    const inputs = [...T.map((t, i) => input(`${t}.heap.txt`, i)), ...T.map((t, i) => input(`${t}.${forms[i]}`, i))];
    const s = computeSeriesTrend(inputs);
    assert.deepEqual(s.heap?.suspects.map((x) => at(x.userFrame)), ['main.(*session).run sessions.go:19']);
    assert.equal(s.goroutines?.sampleType.type, 'goroutine');
    assert.deepEqual(s.goroutines?.suspects.map((x) => [at(x.site), x.series.join(',')]), [
      ['main.(*feed).follow feed.go:32', '0,250,500,750'],
      ['main.(*session).run sessions.go:22', '0,40,80,120'],
      ['main.(*registry).register registry.go:40', '0,20,40,60'],
      ['main.(*service).serveConn conns.go:26', '0,20,40,60'],
    ]);
    // The stack series is StackSys of each heap text's MemStats block, in time order.
    const stacks = T.map((t) => profileMemory(loadProfileFileSync(join(FIX, `${t}.heap.txt`)))!.stacks);
    assert.deepEqual(s.memory?.points.map((p) => p.memory.stacks), stacks);
    assert.ok(s.memory!.stacksBytesPerMinute > s.memory!.heapLiveBytesPerMinute, 'stacks grow faster than the live heap in this leak');
    assert.ok(s.memory!.stacksBytesPerMinute > 0);
  });

  it('a heap profile without MemStats takes them from `memory` (a bundle\'s memstats file); one missing drops the series', () => {
    const proto = T.map((t, i) => input(`${t}.heap.pb.gz`, i));
    assert.equal(computeSeriesTrend(proto).memory, undefined);
    const withMemory = proto.map((x, i) => ({ ...x, memory: profileMemory(loadProfileFileSync(join(FIX, `${T[i]}.heap.txt`))) }));
    const s = computeSeriesTrend(withMemory);
    assert.equal(s.memory?.points.length, 4);
    assert.equal(s.goroutines, undefined);
    withMemory[2] = { ...withMemory[2], memory: undefined };
    assert.equal(computeSeriesTrend(withMemory).memory, undefined);
  });

  it('goroutine profiles alone make a goroutine trend; fewer than 3 of each kind is one clear error', () => {
    const s = computeSeriesTrend(T.map((t, i) => input(`${t}.goroutine.pb.gz`, i)));
    assert.equal(s.heap, undefined);
    assert.equal(s.memory, undefined);
    assert.equal(s.goroutines?.suspects[0].site.line, 32);
    const two = [input('t0.heap.txt', 0), input('t1.heap.txt', 1), input('t0.goroutine-dump.txt', 0), input('t1.goroutine-dump.txt', 1)];
    assert.throws(() => computeSeriesTrend(two), (e: unknown) => e instanceof ProfileError
      && e.message === 'trend needs at least 3 heap profiles or 3 goroutine profiles (got 2 heap, 2 goroutine)');
  });
});
