import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { HEAP_TYPES, type ProfileSpec, encodeProfile } from '../../support/profileWriter';

// The CLI facing hostile profiles: names and sample types holding terminal escapes, newlines and
// bidi overrides; a reader that closes the pipe early; devices; usage edge cases. Real processes.

const ROOT = join(__dirname, '../../..');
const MAIN = join(ROOT, 'src/cli/main.ts');
const dir = mkdtempSync(join(tmpdir(), 'heaplens-hostile-cli-'));

function heaplens(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8', cwd: ROOT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function write(name: string, spec: ProfileSpec): string {
  const path = join(dir, name);
  writeFileSync(path, encodeProfile(spec));
  return path;
}

// Any character that a terminal acts on instead of showing.
const LIVE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const EVIL = ['main.\u001b[2J\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007', 'main.rtl\u202eevil', 'main.nl\nheaplens: forged line'];

function hostileSpec(sampleTypes: Array<[string, string]> = HEAP_TYPES): ProfileSpec {
  return {
    sampleTypes,
    functions: EVIL.map((name, i) => ({ id: i + 1, name, file: `/src/${name}.go` })),
    locations: EVIL.map((_, i) => ({ id: i + 1, lines: [{ functionId: i + 1, line: 3 }] })),
    samples: EVIL.map((_, i) => ({ locations: [i + 1], values: sampleTypes.map((__, k) => (i + 1) * (k + 1) * 1000) })),
  };
}

describe('CLI output of hostile strings', () => {
  it('top shows escapes, bidi overrides and newlines in names as text', () => {
    const path = write('names.pb', hostileSpec());
    for (const granularity of ['functions', 'lines']) {
      const r = heaplens('top', '--granularity', granularity, path);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stdout, LIVE);
      assert.match(r.stdout, /main\.\\x1b\[2J\\x1b\]8;;https:\/\/evil\.example\\x07click/);
      assert.match(r.stdout, /main\.rtl\\u202eevil/);
      assert.match(r.stdout, /main\.nl\\nheaplens: forged line/);
      assert.doesNotMatch(r.stdout, /^heaplens: forged/m);
    }
  });

  it('top --json keeps the names exactly (JSON is unchanged)', () => {
    const r = heaplens('top', '--json', write('names-json.pb', hostileSpec()));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).rows.map((x: { name: string }) => x.name).sort(), [...EVIL].sort());
  });

  it('a newline in a sample-type name cannot forge a second heaplens: line', () => {
    // The last type is the default one (as in pprof), so `top` prints it in its Type: line.
    const types: Array<[string, string]> = [['x\u001b[31m', 'count'], ['inuse_space\nheaplens: all good', 'bytes']];
    const r = heaplens('top', '--sample-index', 'nope', write('types.pb', hostileSpec(types)));
    assert.equal(r.code, 1);
    assert.equal(r.stderr.split('\n').filter((l) => l.startsWith('heaplens')).length, 1, r.stderr);
    assert.doesNotMatch(r.stderr.trimEnd(), LIVE);
    assert.match(r.stderr, /inuse_space\\nheaplens: all good/);
    const shown = heaplens('top', write('types2.pb', hostileSpec(types)));
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /^Type: inuse_space\\nheaplens: all good$/m);
    assert.doesNotMatch(shown.stdout, LIVE);
  });

  it('the Markdown report on the terminal has no live escapes either', () => {
    const base = write('r-base.pb', hostileSpec());
    const spec = hostileSpec();
    spec.samples = spec.samples.map((s) => ({ ...s, values: s.values.map((v) => v * 50) }));
    const r = heaplens('report', base, write('r-new.pb', spec));
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, LIVE);
    assert.doesNotMatch(r.stdout, /^heaplens: forged/m);
  });

  it('error messages quoting a file name show its controls escaped', () => {
    const r = heaplens('top', join(dir, 'missing\u001b[2J\nheaplens: ok.prof'));
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    assert.doesNotMatch(r.stderr.trimEnd(), LIVE);
  });
});

describe('CLI plumbing under hostile conditions', () => {
  it('a reader that closes the pipe early ends the command quietly with exit 0', () => {
    // ~4,000 rows: far over a pipe's 64 KiB buffer, so writes hit the closed pipe.
    const n = 4000;
    const spec: ProfileSpec = {
      sampleTypes: HEAP_TYPES,
      functions: Array.from({ length: n }, (_, i) => ({ id: i + 1, name: `main.function${i}WithAFairlyLongNameToFillThePipe`, file: '/src/a.go' })),
      locations: Array.from({ length: n }, (_, i) => ({ id: i + 1, lines: [{ functionId: i + 1, line: i + 1 }] })),
      samples: Array.from({ length: n }, (_, i) => ({ locations: [i + 1], values: [1, i + 1, 1, i + 1] })),
    };
    const path = write('big.pb', spec);
    const cmd = `"${process.execPath}" --import tsx "${MAIN}" top "${path}" | head -1; echo "status=\${PIPESTATUS[0]}" >&2`;
    const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8', cwd: ROOT });
    assert.equal(r.stdout.split('\n').length, 2, 'head printed one line');
    assert.match(r.stderr, /status=0\s*$/);
    assert.doesNotMatch(r.stderr, /EPIPE|Error|at \S+:\d+/);
  });

  it('a device is refused with a message naming it, at once', () => {
    const r = heaplens('top', '/dev/zero');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^heaplens: \/dev\/zero: is not a regular file/);
  });

  it('--max-size-mb 0 is a usage error, and the size message names the flag, not a VS Code setting', () => {
    const path = write('plain.pb', hostileSpec());
    const zero = heaplens('top', '--max-size-mb', '0', path);
    assert.equal(zero.code, 2);
    assert.match(zero.stderr, /--max-size-mb must be at least 1/);
    const big = write('big2.pb', { ...hostileSpec(), functions: hostileSpec().functions.map((f, i) => ({ ...f, file: `${i}`.repeat(600000) })) });
    const over = heaplens('top', '--max-size-mb', '1', big);
    assert.equal(over.code, 1);
    assert.match(over.stderr, /more than 1 MiB, the size limit \(--max-size-mb N raises it\)/);
    assert.doesNotMatch(over.stderr, /heaplens\.\w+SizeMB/);
  });

  it('an invalid filter regex is a usage error (exit 2)', () => {
    const r = heaplens('top', '--focus', '(', write('f.pb', hostileSpec()));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--focus "\(" is not a valid regular expression/);
  });
});
