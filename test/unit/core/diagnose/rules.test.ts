import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeProfile } from '../../../../src/core/decode';
import { scaleHeapSample } from '../../../../src/core/decode/legacyText';
import { ProfileError } from '../../../../src/core/errors';
import type { Profile } from '../../../../src/core/model';
import { classifyKind, diagnose, type Finding } from '../../../../src/core/diagnose';
import { doublingChain } from '../../../../src/core/diagnose/patterns';
import { frontResliceOf, lineShapes } from '../../../../src/core/diagnose/sourceLine';
import { rawObjectSize, recordVariance, samplingProbability, zScore } from '../../../../src/core/diagnose/sampling';
import { HEAP_TYPES, type SpecFunction, type SpecLocation, encodeProfile } from '../../../support/profileWriter';

// The diagnosis rules on hand-made heap profiles whose answer is obvious: significance from the
// sampling rate, the kinds, goroutine attribution, and each pattern signature (including the ones
// the Go fixture does not exercise). Values are written the way Go writes them: raw sampled
// (count, bytes) pairs unsampled with runtime/pprof's scaleHeapSample.

const RATE = 512 * 1024;
const GO = '/usr/local/go/src';

/** Rec is one heap record: a stack (leaf first, "function file:line") and raw sampled objects of one size. */
interface Rec {
  stack: string[];
  size: number;
  /** Raw sampled allocations (alloc side) and how many of them are still live. */
  allocs: number;
  live: number;
}

function heap(records: Rec[]): Profile {
  const functions: SpecFunction[] = [];
  const locations: SpecLocation[] = [];
  const fnIds = new Map<string, number>();
  const locIds = new Map<string, number>();
  const loc = (frame: string): number => {
    let id = locIds.get(frame);
    if (id === undefined) {
      const m = /^(\S+) (.+):(\d+)$/.exec(frame);
      if (!m) throw new Error(`bad frame ${frame}`);
      const key = `${m[1]} ${m[2]}`;
      let fid = fnIds.get(key);
      if (fid === undefined) {
        fid = functions.length + 1;
        fnIds.set(key, fid);
        functions.push({ id: fid, name: m[1], file: m[2] });
      }
      id = locations.length + 1;
      locIds.set(frame, id);
      locations.push({ id, address: 0x1000 + id, lines: [{ functionId: fid, line: Number(m[3]) }] });
    }
    return id;
  };
  const samples = records.map((r) => {
    const [ac, ab] = scaleHeapSample(r.allocs, r.allocs * r.size, RATE);
    const [ic, ib] = scaleHeapSample(r.live, r.live * r.size, RATE);
    return { locations: r.stack.map(loc), values: [ac, ab, ic, ib] };
  });
  return decodeProfile(encodeProfile({ sampleTypes: HEAP_TYPES, functions, locations, samples, period: RATE, periodType: ['space', 'bytes'] }));
}

const MAIN = ['main.main /app/main.go:3', `runtime.main ${GO}/runtime/proc.go:250`];
const kept = (leaf: string[], size: number, n: number): Rec => ({ stack: [...leaf, ...MAIN], size, allocs: n, live: n });
const find = (findings: Finding[], fn: string) => findings.find((f) => f.site.function === fn);

describe('significance', () => {
  it('a few samples of small objects are noise; a single large object is not; noise never outranks', () => {
    const base = heap([kept(['main.other /app/o.go:1'], 64, 5)]);
    const target = heap([
      kept(['main.other /app/o.go:1'], 64, 5),
      kept(['main.few /app/a.go:10'], 64, 3), // ≈ 1.5 MB estimated from 3 sampled allocations
      kept(['main.big /app/b.go:20'], 1 << 20, 1), // one 1 MiB object: sampled with p = 0.86
      kept(['main.many /app/c.go:30'], 64, 40),
    ]);
    const d = diagnose({ base, target });
    const few = find(d.findings, 'main.few')!;
    const big = find(d.findings, 'main.big')!;
    assert.equal(few.significant, false);
    assert.equal(big.significant, true);
    assert.equal(find(d.findings, 'main.many')!.significant, true);
    assert.ok(few.delta.inuse_space > big.delta.inuse_space, 'the noisy site is the larger one');
    assert.ok(d.findings.indexOf(big) < d.findings.indexOf(few), 'yet ranks below the significant one');
    assert.equal(find(d.findings, 'main.other'), undefined, 'unchanged sites are not findings');
    assert.match(few.reason, /sampling noise/);
  });

  it('an unsampled profile (no period) makes every change exact', () => {
    const p = (n: number) => decodeProfile(encodeProfile({
      sampleTypes: HEAP_TYPES,
      functions: [{ id: 1, name: 'main.f', file: '/app/f.go' }],
      locations: [{ id: 1, lines: [{ functionId: 1, line: 3 }] }],
      samples: [{ locations: [1], values: [n, n * 8, n, n * 8] }],
    }));
    const d = diagnose({ base: p(1), target: p(2) });
    assert.equal(d.period, 0);
    assert.equal(d.findings[0].significant, true);
    assert.equal(d.findings[0].z, Infinity);
  });

  it('sampling maths: probability, recovered object size, variance', () => {
    assert.ok(Math.abs(samplingProbability(RATE, RATE) - (1 - Math.exp(-1))) < 1e-12);
    // Go writes a sampled 360 KiB object as count 1, bytes 730032 (×1.98): the size comes back.
    const [c, b] = scaleHeapSample(1, 368640, RATE);
    assert.deepEqual([c, b], [1, 730032]);
    assert.ok(Math.abs(rawObjectSize(c, b, RATE) - 368640) < 368640 * 0.001);
    assert.equal(rawObjectSize(1000, 4096000, RATE), 4096);
    assert.ok(recordVariance(64 << 20, 1, 64 << 20, RATE) < 1e-6, 'a 64 MiB object is always sampled');
    assert.equal(zScore(0, 0), 0);
    assert.equal(zScore(5, 0), Infinity);
  });
});

describe('kinds', () => {
  it('classifyKind: retained, churn, shrinking, goroutines, and the 10% churn bar', () => {
    const base = { goroutineDescriptors: false, userGoroutineRoot: false, goroutinesGrew: false };
    assert.equal(classifyKind({ ...base, inuse: 50, inuseZ: 9, alloc: 100, allocZ: 12 }).kind, 'retained');
    assert.equal(classifyKind({ ...base, inuse: 5, inuseZ: 3, alloc: 100, allocZ: 20 }).kind, 'churn');
    assert.equal(classifyKind({ ...base, inuse: 0, inuseZ: 0, alloc: 100, allocZ: 20 }).kind, 'churn');
    assert.equal(classifyKind({ ...base, inuse: -80, inuseZ: 9, alloc: 0, allocZ: 0 }).kind, 'shrinking');
    assert.equal(classifyKind({ ...base, inuse: 80, inuseZ: 9, alloc: 80, allocZ: 9, goroutineDescriptors: true }).kind, 'goroutines');
    assert.equal(classifyKind({ ...base, inuse: 80, inuseZ: 9, alloc: 80, allocZ: 9, userGoroutineRoot: true }).kind, 'retained', 'no goroutine growth, no goroutines kind');
    assert.equal(classifyKind({ ...base, inuse: 80, inuseZ: 9, alloc: 80, allocZ: 9, userGoroutineRoot: true, goroutinesGrew: true }).kind, 'goroutines');
    const noise = classifyKind({ ...base, inuse: 1, inuseZ: 1, alloc: 1, allocZ: 1 });
    assert.deepEqual([noise.kind, noise.significant], ['retained', false]);
    assert.equal(classifyKind({ ...base, alloc: 100, allocZ: 20 }).kind, 'churn', 'alloc-only profiles can only show churn');
  });

  it('memory held under a goroutine the user started is "goroutines" only while goroutines grow', () => {
    const malg = [`runtime.malg ${GO}/runtime/proc.go:4076`, `runtime.newproc1 ${GO}/runtime/proc.go:4123`, `runtime.systemstack ${GO}/runtime/asm_amd64.s:492`];
    const worker = ['main.(*watcher).subscribe /app/w.go:27', 'main.(*watcher).run /app/w.go:18'];
    const served = ['main.handle /app/h.go:40', `net/http.HandlerFunc.ServeHTTP ${GO}/net/http/server.go:2109`, `net/http.(*conn).serve ${GO}/net/http/server.go:1995`];
    const deep = ['main.leaf /app/d.go:9', ...Array.from({ length: 31 }, (_, i) => `main.rec /app/d.go:${100 + i}`)];
    const common = [kept(['main.keep /app/k.go:5'], 4096, 1)];
    const base = heap([...common, { stack: malg, size: 448, allocs: 1, live: 1 }]);
    const grown = [
      ...common,
      { stack: worker, size: 4096, allocs: 60, live: 60 },
      { stack: served, size: 4096, allocs: 60, live: 60 },
      { stack: deep, size: 4096, allocs: 60, live: 60 },
      kept(['main.keep /app/k.go:5'], 4096, 60),
    ];
    const d = diagnose({ base, target: heap([...grown, { stack: malg, size: 448, allocs: 30, live: 30 }]) });
    assert.ok(d.goroutines?.grew);
    assert.equal(find(d.findings, 'main.(*watcher).subscribe')!.kind, 'goroutines');
    assert.equal(find(d.findings, 'main.(*watcher).subscribe')!.pattern?.id, 'goroutines-blocked');
    assert.equal(find(d.findings, 'runtime.malg')!.kind, 'goroutines');
    assert.equal(find(d.findings, 'main.handle')!.kind, 'retained', 'net/http started that goroutine, not the user');
    assert.equal(find(d.findings, 'main.leaf')!.kind, 'retained', 'a stack cut at 32 frames has no known root');
    assert.equal(find(d.findings, 'main.keep')!.kind, 'retained');

    const flat = diagnose({ base, target: heap([...grown, { stack: malg, size: 448, allocs: 1, live: 1 }]) });
    assert.equal(flat.goroutines?.grew, false);
    assert.equal(find(flat.findings, 'main.(*watcher).subscribe')!.kind, 'retained');
  });

  it('profiles of two processes (alloc_space went down): a note, and no churn from alloc deltas', () => {
    const base = heap([{ stack: ['main.a /app/a.go:1', ...MAIN], size: 4096, allocs: 500, live: 10 }]);
    const target = heap([{ stack: ['main.a /app/a.go:1', ...MAIN], size: 4096, allocs: 100, live: 60 }]);
    const d = diagnose({ base, target });
    assert.match(d.notes.join(' '), /different processes/);
    assert.equal(d.findings[0].kind, 'retained');
    assert.equal(d.findings[0].measure, 'inuse');
  });

  it('refuses profiles that are not heap profiles, with one line naming the problem', () => {
    const cpu = decodeProfile(encodeProfile({
      sampleTypes: [['samples', 'count'], ['cpu', 'nanoseconds']],
      functions: [{ id: 1, name: 'main.f', file: '/app/f.go' }],
      locations: [{ id: 1, lines: [{ functionId: 1, line: 3 }] }],
      samples: [{ locations: [1], values: [1, 10] }],
    }));
    assert.throws(() => diagnose({ base: cpu, target: cpu }), (e: unknown) => e instanceof ProfileError && /heap profiles.*cpu\/nanoseconds/.test(e.message) && !e.message.includes('\n'));
  });
});

describe('patterns', () => {
  const upload = ['io.ReadAll ' + GO + '/io/io.go:661', 'main.upload /app/u.go:30'];

  it('io.ReadAll kept → request-body-kept when the line reads a body; the same stack as churn or as noise → no pattern', () => {
    const base = heap([kept(['main.keep /app/k.go:5'], 4096, 1)]);
    const readLine = (file: string, line: number) => (file === '/app/u.go' && line === 30 ? '\tdata, _ := io.ReadAll(r.Body) // keep it' : undefined);
    assert.equal(diagnose({ base, target: heap([kept(upload, 1 << 20, 30)]) }, { readLine }).findings[0].pattern?.id, 'request-body-kept');
    assert.equal(diagnose({ base, target: heap([kept(upload, 1 << 20, 30)]) }).findings[0].pattern, null, 'a file read whole is not a request body');
    const churn = diagnose({ base, target: heap([{ stack: [...upload, ...MAIN], size: 1 << 20, allocs: 30, live: 0 }]) }, { readLine }).findings[0];
    assert.deepEqual([churn.kind, churn.pattern], ['churn', null]);
    const noise = diagnose({ base, target: heap([kept(upload, 4096, 1)]) }, { readLine }).findings[0];
    assert.deepEqual([noise.significant, noise.pattern], [false, null]);
  });

  it('single objects doubling at a line of user code → map-only-grows; in the standard library or growing by 1.25× → not', () => {
    const doubling = (leaf: string, sizes: number[]): Rec[] => sizes.map((size, i) => ({ stack: [leaf, 'main.fill /app/c.go:34', ...MAIN], size, allocs: 1, live: i === sizes.length - 1 ? 1 : 0 }));
    const base = heap([kept(['main.keep /app/k.go:5'], 4096, 1)]);
    const readLine = (file: string, line: number) => (file === '/app/c.go' && line === 19 ? '\tc.entries[key] = page' : undefined);
    const map = diagnose({ base, target: heap(doubling('main.put /app/c.go:19', [1, 2, 4, 8].map((m) => m << 20))) }, { readLine }).findings[0];
    assert.equal(map.pattern?.id, 'map-only-grows');
    assert.match(map.pattern!.evidence, /doubling in size.*1MB → 2MB → 4MB → 8MB/);
    const buffer = diagnose({ base, target: heap(doubling(`bytes.growSlice ${GO}/bytes/buffer.go:240`, [1, 2, 4, 8].map((m) => m << 20))) }).findings[0];
    assert.equal(buffer.pattern, null);
    const unread = diagnose({ base, target: heap(doubling('main.put /app/c.go:19', [1, 2, 4, 8].map((m) => m << 20))) }).findings[0];
    assert.equal(unread.pattern, null, 'without the line, doubling objects could be a slice or a buffer: no pattern');
    const appended = diagnose({ base, target: heap(doubling('main.put /app/c.go:19', [1, 2, 4, 8].map((m) => m << 20))) }, { readLine: () => 'items = append(items, x)' }).findings[0];
    assert.equal(appended.pattern, null, 'an append doubling is a slice');
    const slice = diagnose({ base, target: heap(doubling('main.put /app/c.go:19', [4, 5, 6.25, 7.8, 9.8].map((m) => Math.round(m * 1048576)))) }, { readLine }).findings[0];
    assert.equal(slice.pattern, null);
    assert.deepEqual(doublingChain([100, 205, 150, 410, 300, 830]), [100, 205, 410, 830]);
  });

  it('map growth charges the values stored by the same call; another call line is not enough', () => {
    const base = heap([kept(['main.keep /app/k.go:5'], 4096, 1)]);
    const grow = [1, 2, 4, 8].map((m, i, all): Rec => ({ stack: ['main.put /app/c.go:19', 'main.fill /app/c.go:34', ...MAIN], size: m << 20, allocs: 1, live: i === all.length - 1 ? 1 : 0 }));
    const values = (callerLine: number): Rec => kept(['main.render /app/c.go:25', `main.fill /app/c.go:${callerLine}`], 1024, 400);
    const readLine = (file: string, line: number) => (file === '/app/c.go' && line === 19 ? 'c.entries[key] = page' : undefined);
    const same = diagnose({ base, target: heap([...grow, values(34)]) }, { readLine });
    assert.equal(find(same.findings, 'main.render')!.pattern?.id, 'cache-no-eviction');
    assert.match(find(same.findings, 'main.render')!.pattern!.evidence, /main\.fill \(c\.go:34\) also reaches main\.put \(c\.go:19\)/);
    const other = diagnose({ base, target: heap([...grow, values(36)]) }, { readLine });
    assert.equal(find(other.findings, 'main.render')!.pattern, null);
  });

  it('a profile that shows runtime map frames matches map-only-grows by frame', () => {
    const base = heap([kept(['main.keep /app/k.go:5'], 4096, 1)]);
    const f = diagnose({ base, target: heap([kept([`runtime.hashGrow ${GO}/runtime/map.go:1046`, `runtime.mapassign_faststr ${GO}/runtime/map_faststr.go:230`, 'main.put /app/c.go:19'], 1 << 20, 20)]) }).findings[0];
    assert.equal(f.pattern?.id, 'map-only-grows');
    assert.equal(f.userFrame?.function, 'main.put');
  });
});

describe('shapes the other scenarios do not show', () => {
  const base = heap([kept(['main.keep /app/k.go:5'], 4096, 1)]);

  it('line shapes: self-append vs a copy stored in a map, map keys vs positions, front re-slices', () => {
    assert.deepEqual([...lineShapes('q.items = append(q.items, d) // push')].sort(), ['append']);
    assert.deepEqual([...lineShapes('pc.pages[key] = append([]byte(nil), page...)')].sort(), ['index-assign', 'map-assign']);
    assert.deepEqual([...lineShapes('bufs[i] = make([]byte, n)')].sort(), ['index-assign']);
    assert.ok(lineShapes('if x == y[k] {').size === 0, 'a comparison is no assignment');
    assert.equal(frontResliceOf('\tq.items = q.items[1:]'), 'q.items');
    assert.equal(frontResliceOf('q.items = other[1:]'), undefined);
    assert.ok(lineShapes('case <-time.After(5 * time.Minute):').has('timer'));
  });

  it('queue-reslice-kept needs the append line and a front re-slice of the same slice in the file', () => {
    const file = ['package main', '', 'func (q *queue) push(d int) {', '\tq.items = append(q.items, d)', '}', 'func (q *queue) pop() {', '\tq.items = q.items[1:]', '}'];
    const target = heap([kept(['main.(*queue).push /app/q.go:4', 'main.run /app/q.go:20'], 256 << 10, 40)]);
    const read = (lines: string[]) => (f: string, n: number) => (f === '/app/q.go' ? lines[n - 1] : undefined);
    const f = diagnose({ base, target }, { readLine: read(file) }).findings[0];
    assert.equal(f.pattern?.id, 'queue-reslice-kept');
    assert.match(f.pattern!.evidence, /q\.go:7 reads `q\.items = q\.items\[1:\]`/);
    assert.equal(diagnose({ base, target }, { readLine: read(file.map((l) => l.replace('[1:]', '[:0]'))) }).findings[0].pattern, null, 'no front cut: just a growing slice');
    assert.equal(diagnose({ base, target }).findings[0].pattern, null, 'no source: no pattern');
  });

  it('memory in net/http Transport goroutines is charged to the user\'s client.Do call, saying how and how sure', () => {
    const dial = ['bufio.NewReaderSize ' + GO + '/bufio/bufio.go:57', 'net/http.(*Transport).dialConn ' + GO + '/net/http/transport.go:1748', 'net/http.(*Transport).dialConnFor ' + GO + '/net/http/transport.go:1450'];
    const call = (line: number) => ['net/http.(*Client).do ' + GO + '/net/http/client.go:715', 'net/http.(*Client).Do ' + GO + '/net/http/client.go:581', `main.deliver /app/d.go:${line}`, ...MAIN];
    const target = heap([
      { stack: dial, size: 4096, allocs: 400, live: 400 },
      { stack: ['net/http.setupRewindBody ' + GO + '/net/http/transport.go:654', ...call(41)], size: 512, allocs: 300, live: 0 },
      { stack: ['net/http.setupRewindBody ' + GO + '/net/http/transport.go:654', ...call(77)], size: 512, allocs: 20, live: 0 },
    ]);
    const f = diagnose({ base, target }).findings[0];
    assert.equal(f.site.function, 'bufio.NewReaderSize');
    assert.deepEqual([f.userFrame?.function, f.userFrame?.line, f.userFrameIndex], ['main.deliver', 41, -1]);
    assert.equal(f.attribution?.method, 'library-goroutine');
    assert.equal(f.attribution?.confidence, 'likely');
    assert.match(f.attribution!.note, /net\/http's Transport.*main\.deliver \(d\.go:41\).*net\/http\.\(\*Client\)\.Do.*other calls: main\.deliver \(d\.go:77\)/);
    assert.equal(f.pattern?.id, 'response-body-not-closed');
    const alone = diagnose({ base, target: heap([{ stack: dial, size: 4096, allocs: 400, live: 400 }]) }).findings[0];
    assert.deepEqual([alone.userFrame, alone.attribution], [null, null], 'no call into the library in the profile: no link');
  });

  it('churn smaller than the live heap is not a finding; churn larger than it is', () => {
    const live = kept(['main.keep /app/k.go:5'], 1 << 20, 40); // ≈ 40 MB live
    const garbage = (n: number): Rec => ({ stack: ['main.handle /app/h.go:9', ...MAIN], size: 64 << 10, allocs: n, live: 0 });
    const small = diagnose({ base: heap([live]), target: heap([live, garbage(30)]) }).findings.find((x) => x.site.function === 'main.handle')!;
    assert.deepEqual([small.kind, small.significant], ['churn', false]);
    assert.match(small.reason, /under one GC cycle/);
    const big = diagnose({ base: heap([live]), target: heap([live, garbage(3000)]) }).findings[0];
    assert.deepEqual([big.kind, big.significant, big.site.function], ['churn', true, 'main.handle']);
  });

  it('objects allocated in a goroutine\'s own entry function and kept are goroutine growth, even when runtime.malg shows none', () => {
    const target = heap([{ stack: ['main.(*batch).worker /app/w.go:20'], size: 64 << 10, allocs: 300, live: 300 }]);
    const f = diagnose({ base, target }).findings[0];
    assert.deepEqual([f.kind, f.pattern?.id], ['goroutines', 'goroutines-blocked']);
    const callee = diagnose({ base, target: heap([{ stack: ['main.encode /app/w.go:40', 'main.(*batch).worker /app/w.go:22'], size: 64 << 10, allocs: 300, live: 300 }]) }).findings[0];
    assert.deepEqual([callee.kind, callee.pattern], ['retained', null], 'allocated further down: held by whom is not known');
  });
});
