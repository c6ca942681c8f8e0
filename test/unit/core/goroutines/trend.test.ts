import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeProfile } from '../../../../src/core/decode';
import { userFrameTest } from '../../../../src/core/goroutines/compare';
import { goroutineSites } from '../../../../src/core/goroutines/trend';
import type { Profile } from '../../../../src/core/model';
import { computeTrend } from '../../../../src/core/trend';
import { trendText } from '../../../../src/cli/trendCommand';

// Goroutine trends: a goroutine profile is taken at the instant it is asked for (a heap profile is
// as of the last GC), so a step whose totals are equal can still carry news — goroutines ended at
// one site while as many started at another. Steps are judged by their stacks' counts.

const enc = (s: string) => new TextEncoder().encode(s);

/** dump writes a goroutine dump with `counts[i]` goroutines parked at site i (each its own function and line). */
function dump(counts: Array<[fn: string, line: number, n: number]>): Profile {
  const out: string[] = ['goroutine 1 [running]:', 'main.main()', '\t/app/main.go:9 +0x25', ''];
  let id = 2;
  for (const [fn, line, n] of counts) {
    for (let k = 0; k < n; k++) {
      out.push(`goroutine ${id++} [chan receive]:`, `${fn}()`, `\t/app/work.go:${line} +0x45`, 'created by main.start', '\t/app/main.go:30 +0x85', '');
    }
  }
  return decodeProfile(enc(out.join('\n')));
}

function trendOf(profiles: Profile[]) {
  const inputs = profiles.map((profile, i) => ({ name: `g${i}.txt`, profile, fallbackTimeMs: 1_700_000_000_000 + i * 60_000 }));
  return computeTrend(inputs, { sampleType: 'goroutine', extractSites: goroutineSites(userFrameTest(profiles)) });
}

describe('goroutine trends judge a step by its stacks, not its total', () => {
  it('a pool draining while a leak grows by as many keeps the total equal; every step still counts and the leak is a suspect', () => {
    const series = [0, 1, 2, 3].map((k) => dump([['main.pool', 10, 30 - 10 * k], ['main.leak', 20, 10 * k]]));
    const totals = series.map((p) => p.samples.count);
    assert.equal(new Set(totals).size, 1, `equal totals ${totals}`);
    const trend = trendOf(series);
    assert.equal(trend.informativeSteps, 3);
    assert.deepEqual(trend.suspects.map((s) => `${s.site.function}:${s.site.line}`), ['main.leak:20']);
    assert.deepEqual(trend.suspects[0].series, [0, 10, 20, 30]);
  });

  it('a step whose every stack holds as many goroutines as before says nothing', () => {
    const a = dump([['main.leak', 20, 5]]);
    const b = dump([['main.leak', 20, 8]]);
    const trend = trendOf([a, b, dump([['main.leak', 20, 8]]), dump([['main.leak', 20, 12]])]);
    assert.deepEqual(trend.snapshots.map((s) => s.changed), [true, true, false, true]);
    assert.equal(trend.informativeSteps, 2);
    assert.equal(trend.suspects.length, 1);
  });

  it('heap trends still skip steps with equal totals unless told otherwise', () => {
    const series = [0, 1, 2, 3].map((k) => dump([['main.pool', 10, 30 - 10 * k], ['main.leak', 20, 10 * k]]));
    const inputs = series.map((profile, i) => ({ name: `g${i}`, profile, fallbackTimeMs: 1_700_000_000_000 + i * 60_000 }));
    const trend = computeTrend(inputs, { sampleType: 'goroutine', extractSites: goroutineSites(userFrameTest(series)), unchangedWhen: 'totals' });
    assert.equal(trend.informativeSteps, 0, 'the old rule, kept for heap profiles, sees nothing here');
  });

  it('the trend text shows hostile function names escaped (no raw ESC or bidi override reaches the terminal)', () => {
    // A dump's lines cannot hold a newline; ESC and U+202E they can. Steady goroutines come first so
    // the file starts as text (the decoder tells text from proto by its first bytes).
    const hostile = 'main.\u001b[2Jevil\u202e';
    const series = [1, 2, 3].map((k) => dump([['main.idle', 5, 10], [hostile, 20, 10 * k]]));
    const text = trendText(trendOf(series), 10);
    assert.ok(text.includes('Goroutine leak suspects'), text);
    assert.ok(!text.includes('\u001b') && !text.includes('\u202e'), text);
    assert.ok(text.includes('main.\\x1b[2Jevil\\u202e'), text);
  });
});
