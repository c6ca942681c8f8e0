import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decodeProfile } from '../../../../src/core/decode';
import { parseFrameLine } from '../../../../src/core/decode/legacyText';
import { ProfileError } from '../../../../src/core/errors';
import { pprofBinary, pprofRawTotals } from '../../../support/pprofRaw';

// Legacy text (debug=1) from outside: pathological frame and MemStats lines, numbers that do not
// fit, and the frames Go writes no `#` line for.

const enc = (s: string) => new TextEncoder().encode(s);

/** cpuMs is the CPU time of f: used only with inputs where a quadratic scan would need hours. */
function cpuMs(f: () => void): number {
  const start = process.cpuUsage();
  f();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function refuses(text: string, message: RegExp) {
  assert.throws(() => decodeProfile(enc(text)), (e: unknown) => {
    assert.ok(e instanceof ProfileError, String(e));
    assert.match(e.message, message);
    return true;
  });
}

describe('legacy text frame lines are scanned in linear time', () => {
  it('parses Go\'s frame line shapes like the former regex', () => {
    assert.deepEqual(parseFrameLine('#\t0x4d2a1f\tmain.readBody+0x3f\t/tmp/app/handlers.go:18'), { pc: 0x4d2a1f, name: 'main.readBody', file: '/tmp/app/handlers.go', line: '18' });
    assert.deepEqual(parseFrameLine('#\t0x4d2a1f'), { pc: 0x4d2a1f });
    assert.deepEqual(parseFrameLine('#\t0x1\ta+0x1 b+0x2\tC:\\go\\x y.go:7  '), { pc: 1, name: 'a', file: 'b+0x2\tC:\\go\\x y.go', line: '7' });
    assert.equal(parseFrameLine('#\t0x1\tmain.f+0x1\t/a.go:'), undefined);
    assert.equal(parseFrameLine('#\tzz'), undefined);
    assert.equal(parseFrameLine('# runtime.MemStats'), undefined);
  });

  // Each of these took seconds at 20 KB with the regex (it grew with the square of the length);
  // at 2 MB a quadratic scan needs ~10^12 steps, a linear one milliseconds. The bound is 1,000× loose.
  const n = 2_000_000;
  const lines: Array<[string, string]> = [
    ['a long name with no offset', `#\t0x1\t${'a'.repeat(n)}`],
    ['many "+0x" candidates without a blank', `#\t0x1\tf${'+0x1'.repeat(n / 4)}`],
    ['a file part with no line number', `#\t0x1\tf+0x1\t${':'.repeat(n)}x`],
    ['blanks everywhere', `#\t0x1 ${' \t'.repeat(n / 2)}x`],
    // The shape the former regex backtracked on: every `name+0xOFF ` is a candidate and no `:LINE`
    // ends the line (30 ms at 16 KB, growing with the square: ~8 minutes at 2 MB).
    ['many offsets and no line number', `#\t0x1\t${'a+0x1 '.repeat(n / 6)}x`],
  ];
  for (const [what, line] of lines) {
    it(`${what}: ${line.length.toLocaleString('en')} characters in well under a second of CPU`, () => {
      const text = `heap profile: 1: 1 [1: 1] @ heap/1\n1: 1 [1: 1] @ 0x2\n${line}\n`;
      const ms = cpuMs(() => decodeProfile(enc(text)));
      assert.ok(ms < 3000, `${ms.toFixed(0)} ms of CPU`);
    });
  }

  it('a MemStats line of blanks ending in U+2028 (where `.` stops) is linear too', () => {
    const text = `heap profile: 1: 1 [1: 1] @ heap/1\n1: 1 [1: 1] @ 0x2\n\n# runtime.MemStats\n# Alloc = ${' '.repeat(n)}\u2028x\n`;
    const ms = cpuMs(() => decodeProfile(enc(text)));
    assert.ok(ms < 3000, `${ms.toFixed(0)} ms of CPU`);
  });
});

describe('legacy text numbers that do not fit', () => {
  it('a 400-digit count is refused naming the line and field (pprof refuses it too)', () => {
    refuses(`heap profile: 1: 1 [1: 1] @ heap/1\n${'9'.repeat(400)}: 1 [1: 1] @ 0x2\n`, /^line 2: inuse count 99999999999999999999… \(400 digits\) is beyond 2\^53/);
  });

  it('a count just past 2^53 is refused, 2^53 − 1 is accepted', () => {
    refuses(`heap profile: 1: 1 [1: 1] @ heap/1\n1: 9007199254740993 [1: 1] @ 0x2\n`, /line 2: inuse bytes 9007199254740993 is beyond 2\^53/);
    const p = decodeProfile(enc(`heap profile: 1: 1 [1: 1] @ heapprofile\n1: 9007199254740991 [1: 9007199254740991] @ 0x2\n`));
    assert.equal(p.samples.values[1], 9007199254740991);
  });

  it('a huge heap_v2 rate is refused naming the header', () => {
    refuses(`heap profile: 1: 1 [1: 1] @ heap_v2/${'5'.repeat(300)}\n1: 1 [1: 1] @ 0x2\n`, /^line 1: the sampling rate of 300 digits is beyond 2\^53/);
  });

  it('an address past 64 bits is refused naming the line, as pprof does; 64-bit ones with leading zeros are kept', () => {
    refuses(`heap profile: 1: 1 [1: 1] @ heapprofile\n1: 1 [1: 1] @ 0x99999999999999999999c9bbb 0x2\n`, /^line 2: address 0x99999999999999999999c9bbb does not fit in 64 bits$/);
    refuses(`heap profile: 1: 1 [1: 1] @ heapprofile\n1: 1 [1: 1] @ 9007199254740993x438c12\n`, /^line 2: bad address "9007199254740993x438c12"$/);
    const p = decodeProfile(enc(`heap profile: 1: 1 [1: 1] @ heapprofile\n1: 1 [1: 1] @ 0x0000000000000000001 0xffffffffffffffff\n`));
    assert.equal(p.samples.locationStart[1], 2);
  });

  it('values scaled past 2^53 by the sampling rate are refused naming the line', () => {
    refuses(`heap profile: 1: 1 [1: 1] @ heap_v2/524288\n9000000000000000: 9000000000000000 [9000000000000000: 9000000000000000] @ 0x2\n`, /^line 2: .* scaled by the sampling rate exceed 2\^53/);
  });
});

describe('frames Go writes no `#` line for', () => {
  it('runtime.goexit\'s address (no `#` line) is dropped; a bare `#\\t0xPC` frame is kept', () => {
    const text = [
      'heap profile: 1: 1024 [1: 1024] @ heapprofile',
      '1: 1024 [1: 1024] @ 0x11 0x21 0x31 0x41',
      '#\t0x10\tmain.leaf+0x1\t/a.go:1',
      '#\t0x20',
      '#\t0x30\tmain.main+0x1\t/a.go:3',
      '',
    ].join('\n');
    const p = decodeProfile(enc(text));
    const stack = Array.from(p.samples.locationIndex.subarray(p.samples.locationStart[0], p.samples.locationStart[1]));
    assert.deepEqual(stack.map((l) => p.locations.address[l]), [0x10, 0x20, 0x30]);
  });

  it('a record with no `#` lines at all keeps its addresses', () => {
    const p = decodeProfile(enc('heap profile: 1: 1024 [1: 1024] @ heapprofile\n1: 1024 [1: 1024] @ 0x11 0x21\n'));
    assert.equal(p.samples.locationStart[1], 2);
  });
});

describe('sampling rate 0 (`@ heap_v2/0`, `@ heap/1`)', () => {
  // pprof's legacy parser (profile/legacy_profile.go, scaleHeapSample) treats a rate below 1 as
  // unknown and leaves the sampled counts as written, with Period 0; it does not refuse the file.
  // heaplens does the same so its numbers stay pprof's.
  const text = [
    'heap profile: 3: 3145728 [5: 4194304] @ heap_v2/0',
    '3: 3145728 [3: 3145728] @ 0x11 0x21',
    '#\t0x10\tmain.leaf+0x1\t/a.go:1',
    '#\t0x20\tmain.main+0x1\t/a.go:3',
    '0: 0 [2: 1048576] @ 0x31 0x21',
    '#\t0x30\tmain.other+0x1\t/a.go:7',
    '#\t0x20\tmain.main+0x1\t/a.go:3',
    '',
  ].join('\n');

  it('keeps the counts as written (no unsampling) and reports period 0', () => {
    const p = decodeProfile(enc(text));
    assert.deepEqual(p.sampleTypes.map((t) => t.type), ['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']);
    assert.deepEqual(Array.from(p.samples.values), [3, 3145728, 3, 3145728, 2, 1048576, 0, 0]);
    assert.equal(p.period, 0);
    // `heap/1` is rate 1 / 2 = 0 after Go's integer division: also unscaled.
    assert.deepEqual(Array.from(decodeProfile(enc(text.replace('heap_v2/0', 'heap/1'))).samples.values), [3, 3145728, 3, 3145728, 2, 1048576, 0, 0]);
  });

  const binary = pprofBinary();
  it('gives the same totals as go tool pprof -raw', { skip: binary ? false : 'SKIPPED: go not installed, 1 pprof comparison not run' }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heaplens-v2zero-'));
    try {
      for (const header of ['heap_v2/0', 'heap/1']) {
        const file = join(dir, `${header.replace('/', '-')}.txt`);
        writeFileSync(file, text.replace('heap_v2/0', header));
        const ours = decodeProfile(enc(text.replace('heap_v2/0', header)));
        const theirs = await pprofRawTotals(binary!, file);
        assert.ok(theirs.ok, `pprof refused ${header}: ${theirs.ok ? '' : theirs.error}`);
        const sums = ours.sampleTypes.map((_, k) => ours.samples.values.filter((_, i) => i % ours.sampleTypes.length === k).reduce((a, b) => a + b, 0));
        assert.deepEqual(theirs.totals.map(Number), sums, header);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
