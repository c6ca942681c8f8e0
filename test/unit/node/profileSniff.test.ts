import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { loadProfileFileSync } from '../../../src/node/loadProfile';
import { hasProfileExtension, isSniffCandidate, looksLikeProfile, sniffFile } from '../../../src/node/profileSniff';

// Recognising profiles by content (for files named mem.out, heap, …): every fixture and corpus file
// that heaplens decodes must be recognised from its first 4 KiB; other files must not be.

const FIXTURES = join(__dirname, '../../fixtures');
const CORPUS = join(__dirname, '../../../../shared/corpus');
const tmp = mkdtempSync(join(tmpdir(), 'heaplens-sniff-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const text = (s: string) => new TextEncoder().encode(s);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('recognising profiles by content', () => {
  it('every fixture profile (gzipped protobuf and heap profile text), also renamed to mem.out', async () => {
    const files = filesUnder(join(FIXTURES, 'profiles'));
    assert.ok(files.length >= 28, `${files.length} fixture profiles`);
    for (const f of files) {
      assert.ok(await sniffFile(f), f);
      const renamed = join(tmp, 'mem.out');
      writeFileSync(renamed, new Uint8Array(readFileSync(f)));
      assert.ok(await sniffFile(renamed), `${f} as mem.out`);
    }
  });

  it('uncompressed protobuf written by Go (period_type first)', async () => {
    const raw = join(tmp, 'heap');
    writeFileSync(raw, new Uint8Array(execFileSync('gunzip', ['-c', join(FIXTURES, 'profiles/default/bodies/new.pb.gz')])));
    assert.ok(await sniffFile(raw));
  });

  it('every corpus file heaplens decodes as a profile', { skip: !existsSync(CORPUS) && 'no ../shared/corpus' }, async () => {
    let checked = 0;
    for (const f of filesUnder(CORPUS).filter((p) => !p.endsWith('.md'))) {
      let decoded = false;
      try { loadProfileFileSync(f); decoded = true; } catch { /* not a profile heaplens reads */ }
      if (!decoded) continue;
      checked++;
      assert.ok(await sniffFile(f), f);
    }
    assert.ok(checked >= 20, `${checked} corpus profiles checked`);
  });

  it('not: source code, text, JSON, images, empty files, a Python cProfile dump, a gzipped text file', async () => {
    const cases: Array<[string, Uint8Array]> = [
      ['handlers.go', new Uint8Array(readFileSync(join(FIXTURES, 'go/heapscenarios/handlers.go')))],
      ['scenarios.json', new Uint8Array(readFileSync(join(FIXTURES, 'scenarios.json')))],
      ['empty', new Uint8Array(0)],
      ['png', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])],
      // The start of a real `python3 -m cProfile -o out.prof` file (marshal format).
      ['cprofile.prof', Uint8Array.from([0xfb, 0x29, 0x03, 0xfa, 0x08, 0x3c, 0x73, 0x74, 0x72, 0x69, 0x6e, 0x67, 0x3e, 0xe9, 0x01, 0x00])],
      ['notes.txt.gz', new Uint8Array(gzipSync(text('just some notes\n'.repeat(50))))],
      ['lines', text('\n\n\nhello\n')],
    ];
    for (const [name, bytes] of cases) {
      const f = join(tmp, name);
      writeFileSync(f, bytes);
      assert.equal(await sniffFile(f), false, name);
    }
    assert.equal(await sniffFile(join(tmp, 'does-not-exist')), false);
  });

  it('a truncated head still recognises a profile start', () => {
    assert.ok(looksLikeProfile(text('heap profile: 1: 2 [3: 4] @ heap/1048576\n')));
    assert.ok(looksLikeProfile(text('goroutine profile: total 4\n')));
    assert.ok(looksLikeProfile(text('goroutine 1 [running]:\nmain.main()\n')));
    assert.ok(looksLikeProfile(text('panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n')));
    assert.ok(!looksLikeProfile(text('goroutine leaks are common; see goroutine 1 [running]: below\n')));
    assert.ok(!looksLikeProfile(text('// goroutine 1 [running]:\npackage main\n')));
  });

  it('goroutine profiles of the goroutineleak fixture, in all three forms, also renamed to mem.out', async () => {
    const files = filesUnder(join(FIXTURES, 'goroutineleak/profiles')).filter((f) => f.includes('.goroutine'));
    assert.equal(files.length, 24, 'four snapshots × three forms × two builds');
    for (const f of files) {
      const renamed = join(tmp, 'mem.out');
      writeFileSync(renamed, new Uint8Array(readFileSync(f)));
      assert.ok(await sniffFile(renamed), f);
    }
  });

  it('file names', () => {
    assert.ok(hasProfileExtension('bad_heap.prof') && hasProfileExtension('x.PB.GZ') && hasProfileExtension('a.pprof'));
    assert.ok(isSniffCandidate('mem.out') && isSniffCandidate('heap') && isSniffCandidate('profile.txt'));
    assert.ok(!isSniffCandidate('main.go') && !isSniffCandidate('bad_heap.prof') && !isSniffCandidate('.gitignore'));
  });
});
