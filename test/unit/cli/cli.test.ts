import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { readGolden } from '../../support/pprofGolden';

// The heaplens CLI as a user runs it: a real process, its stdout, stderr and exit code.

const ROOT = join(__dirname, '../../..');
const FIX = join(ROOT, 'test/fixtures/profiles/default/bodies');
const GOLD = join(ROOT, 'test/fixtures/golden/default/bodies');

function heaplens(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { encoding: 'utf8', cwd: ROOT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('heaplens top', () => {
  it('--json prints exactly one object with pprof\'s rows (diff, lines)', () => {
    const r = heaplens('top', '--json', '--granularity', 'lines', '--diff-base', join(FIX, 'base.pb.gz'), join(FIX, 'new.pb.gz'));
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out), ['sampleType', 'unit', 'total', 'rows']);
    assert.equal(out.sampleType, 'inuse_space');
    assert.equal(out.unit, 'bytes');
    const golden = readGolden(join(GOLD, 'diff.inuse_space.lines.txt'));
    assert.equal(out.total, golden.total);
    assert.deepEqual(Object.keys(out.rows[0]), ['name', 'file', 'line', 'flat', 'cum', 'baseFlat', 'baseCum']);
    assert.deepEqual(out.rows.map((x: { name: string; file: string; line: number; flat: number; cum: number }) => [`${x.name} ${x.file}:${x.line}`, x.flat, x.cum]),
      golden.rows.map((g) => [g.name, g.flat, g.cum]));
  });

  it('--json at functions granularity has no file/line and no base fields without --diff-base', () => {
    const r = heaplens('top', '--json', '--sample-index', 'alloc_space', join(FIX, 'new.pb.gz'));
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out.rows[0]), ['name', 'flat', 'cum']);
    assert.equal(out.sampleType, 'alloc_space');
    assert.equal(out.rows.length, readGolden(join(GOLD, 'new.alloc_space.functions.txt')).rows.length);
  });

  it('--nodecount trims, the text table has pprof\'s columns plus base/new/Δ%', () => {
    const r = heaplens('top', '--nodecount', '3', '--diff-base', join(FIX, 'base.pb.gz'), join(FIX, 'new.pb.gz'));
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    const header = lines.findIndex((l) => /flat\s+flat%\s+sum%\s+cum\s+cum%\s+base\s+new\s+Δ%\s+name/.test(l));
    assert.ok(header > 0, r.stdout);
    assert.equal(lines.length - header - 1, 3);
    assert.match(lines[header + 1], /MB .* bytes\.growSlice$/);
    assert.match(r.stdout, /Dropped \d+ nodes/);
  });

  it('filters: --focus keeps only stacks through readBody', () => {
    const r = heaplens('top', '--json', '--focus', 'readBody', join(FIX, 'new.pb.gz'));
    const out = JSON.parse(r.stdout);
    assert.ok(out.rows.some((x: { name: string }) => x.name === 'main.readBody'));
    assert.ok(!out.rows.some((x: { name: string }) => x.name === 'main.warmUp'));
  });
});

describe('heaplens errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'heaplens-cli-'));
  const cases: Array<[string, Uint8Array | string, RegExp]> = [
    ['empty.prof', '', /empty\.prof: the file is empty/],
    ['notes.prof', 'just some notes\n', /notes\.prof: not a pprof profile/],
    ['cut.pb.gz', gzipSync(readFileSync(join(FIX, 'new.pb.gz'))).subarray(0, 200), /cut\.pb\.gz: .*(truncated|corrupt)/],
  ];
  for (const [name, content, message] of cases) {
    it(`${name}: one line on stderr naming the file, exit code 1, no stack trace`, () => {
      const path = join(dir, name);
      writeFileSync(path, content);
      const r = heaplens('top', path);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\bat \S+:\d+:\d+/);
    });
  }

  it('a missing file says so', () => {
    const r = heaplens('top', join(dir, 'nope.prof'));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /nope\.prof: .*no such file/);
  });

  it('an unknown sample type lists the valid ones', () => {
    const r = heaplens('top', '--sample-index', 'cpu', join(FIX, 'new.pb.gz'));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /sample type "cpu" must be one of: alloc_objects, alloc_space, inuse_objects, inuse_space/);
  });

  it('usage mistakes exit 2 with the usage line', () => {
    const r = heaplens('top', '--bogus', join(FIX, 'new.pb.gz'));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown flag --bogus[\s\S]*usage: heaplens top/);
  });
});
