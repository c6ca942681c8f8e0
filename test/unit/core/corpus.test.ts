import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { aggregate } from '../../../src/core/aggregate';
import { decodeProfile } from '../../../src/core/decode';
import { ProfileError } from '../../../src/core/errors';
import { isHeapProfile } from '../../../src/core/model';
import { topTable } from '../../../src/core/top';
import { parsePprofTop } from '../../support/pprofGolden';

// ../shared/corpus holds ~90 real profiles from public projects' test suites (users don't have it:
// skipped when absent). Every file must give a sensible result or a clean ProfileError; heap
// profiles are also compared with a live `go tool pprof` when Go is installed.

const CORPUS = join(__dirname, '../../../../shared/corpus');
const present = existsSync(CORPUS);
const hasGo = (() => { try { execFileSync('go', ['version'], { stdio: 'ignore' }); return true; } catch { return false; } })();

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return files(p);
    return /\.(md|string)$/.test(f) ? [] : [p];
  });
}

describe('shared corpus', { skip: present ? false : 'shared corpus not present' }, () => {
  const all = present ? files(CORPUS) : [];

  it('every file decodes to a sensible profile or fails with a clean, specific error', () => {
    let ok = 0;
    for (const f of all) {
      const name = relative(CORPUS, f);
      let p;
      try {
        p = decodeProfile(new Uint8Array(readFileSync(f)));
      } catch (e) {
        assert.ok(e instanceof ProfileError, `${name}: threw ${String(e)}`);
        assert.ok(e.message.length > 10 && !e.message.includes('\n'), `${name}: message "${e.message}"`);
        continue;
      }
      ok++;
      for (let s = 0; s < p.samples.count; s++) {
        for (let k = p.samples.locationStart[s]; k < p.samples.locationStart[s + 1]; k++) {
          assert.ok(p.samples.locationIndex[k] < p.locations.count, `${name}: location index in range`);
        }
      }
      if (p.sampleTypes.length > 0) {
        const agg = aggregate(p);
        assert.ok(Number.isFinite(agg.total), `${name}: total`);
      }
    }
    assert.ok(ok >= 60, `only ${ok} of ${all.length} corpus files decoded`);
  });

  it('documented traps: signed int64 values, reserved function id 0, non-packed fields, text of other kinds', () => {
    const read = (p: string) => decodeProfile(new Uint8Array(readFileSync(join(CORPUS, p))));
    const delta = read('parca-dev+parca/pkg/query/testdata/alloc_space_delta.pb.gz');
    assert.ok(Array.from(delta.samples.values).some((v) => v < 0 && v > -1e12), 'negative values stay small negatives');
    assert.throws(() => read('grafana+pyroscope/pkg/og/convert/pprof/testdata/dotnet-pprof-3.pb.gz'), /reserved id 0/);
    assert.equal(read('DataDog+pprof-format/testing/non-packed-repeated.pprof').samples.count, 1);
    assert.throws(() => read('google+pprof/profile/testdata/cppbench.contention'), /another kind/);
    const gobench = read('google+pprof/profile/testdata/gobench.heap');
    assert.ok(isHeapProfile(gobench) && gobench.sampleTypes.length === 4);
  });

  const heapFiles = all.filter((f) => {
    try { return isHeapProfile(decodeProfile(new Uint8Array(readFileSync(f)))) && !/\.heap$|growth$/.test(f); } catch { return false; }
  });
  it(`heap profiles equal a live go tool pprof -top (${heapFiles.length} files)`, { skip: hasGo ? false : 'go not installed' }, () => {
    for (const f of heapFiles) {
      const out = execFileSync('go', ['tool', 'pprof', '-symbolize=none', '-top', '-unit=B', '-nodefraction=0', '-nodecount=1000000', f], {
        encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, PPROF_BINARY_PATH: '/nonexistent', PPROF_TMPDIR: '/tmp' },
      });
      const golden = parsePprofTop(out);
      const ours = topTable(aggregate(decodeProfile(new Uint8Array(readFileSync(f)))));
      const name = relative(CORPUS, f);
      assert.equal(ours.total, golden.total, `${name}: total`);
      assert.deepEqual(ours.rows.map((r) => [r.label, r.flat, r.cum]), golden.rows.map((r) => [r.name, r.flat, r.cum]), name);
    }
  });
});
