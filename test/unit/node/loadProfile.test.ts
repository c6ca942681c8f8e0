import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { ProfileError } from '../../../src/core/errors';
import { decodeProfile } from '../../../src/core/decode';
import type { Profile } from '../../../src/core/model';
import { decodeProfileBytes, loadProfileFile, nodeGunzip } from '../../../src/node/loadProfile';
import { generateHeapProfile } from '../../bench/generate';

// Reading profiles from disk: only regular files, never more than the cap, and gzip output bound
// by the cap whatever the trailer claims.

const ROOT = join(__dirname, '../../..');
const FIX = join(ROOT, 'test/fixtures/profiles/default/bodies');
const dir = mkdtempSync(join(tmpdir(), 'heaplens-load-'));

function refuses(path: string, code: string, message: RegExp, maxBytes?: number) {
  return assert.rejects(() => loadProfileFile(path, maxBytes), (e: unknown) => {
    assert.ok(e instanceof ProfileError, String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    return true;
  });
}

/** withTrailer rewrites a gzip file's ISIZE (the CRC stays right, as a forger would leave it). */
function withTrailer(gz: Uint8Array, size: number): Uint8Array {
  const out = Uint8Array.from(gz);
  new DataView(out.buffer).setUint32(out.length - 4, size >>> 0, true);
  return out;
}

describe('reading profile files', () => {
  it('refuses a character device (/dev/zero) at once instead of reading without end', async () => {
    if (!existsSync('/dev/zero')) assert.fail('/dev/zero is missing on this machine');
    await refuses('/dev/zero', 'not-a-profile', /not a regular file/);
  });

  it('refuses a FIFO without waiting for a writer', async () => {
    const fifo = join(dir, 'pipe.prof');
    const r = spawnSync('mkfifo', [fifo]);
    assert.equal(r.status, 0, `mkfifo failed: ${r.stderr}`);
    await refuses(fifo, 'not-a-profile', /not a regular file/);
  });

  it('refuses a directory by saying so', () => refuses(dir, 'not-a-profile', /is a directory/));

  it('refuses a file over the cap before reading it', async () => {
    await refuses(join(FIX, 'new.heap.txt'), 'too-large', /more than 0\.01 MiB, the size limit$/, 10 * 1024);
  });

  it('reads a regular file as before', async () => {
    assert.equal((await loadProfileFile(join(FIX, 'new.pb.gz'))).format, 'pprof-proto');
  });
});

describe('gzip trailer lies', () => {
  const gz = new Uint8Array(readFileSync(join(FIX, 'new.pb.gz')));
  const raw = gunzipSync(gz);

  it('a trailer claiming less than the data is corrupt, as Go\'s gzip reader says', () => {
    assert.throws(() => nodeGunzip(withTrailer(gz, raw.length - 100), 1 << 30), (e: unknown) => e instanceof ProfileError && e.code === 'corrupt' && /length check/.test(e.message));
  });

  it('a trailer claiming more than the data is corrupt', () => {
    assert.throws(() => nodeGunzip(withTrailer(gz, raw.length + 100), 1 << 30), (e: unknown) => e instanceof ProfileError && e.code === 'corrupt');
  });

  it('an absurd claim (beyond deflate\'s 1032:1) is measured, not trusted', () => {
    assert.throws(() => nodeGunzip(withTrailer(gz, 0xffffffff), 1 << 30), (e: unknown) => e instanceof ProfileError && e.code === 'corrupt');
  });

  it('a small claim over data larger than the cap ends at the cap', () => {
    const big = gzipSync(Buffer.alloc(4 << 20, 7));
    assert.throws(() => nodeGunzip(withTrailer(big, 1000), 1 << 20), (e: unknown) => e instanceof ProfileError && e.code === 'too-large');
  });

  it('concatenated gzip members (last trailer counts only the last) still inflate whole', () => {
    const cut = 700;
    const two = Buffer.concat([gzipSync(raw.subarray(0, cut)), gzipSync(raw.subarray(cut))]);
    const out = nodeGunzip(new Uint8Array(two), 1 << 30);
    assert.deepEqual(Buffer.from(out), raw);
    assert.equal(decodeProfile(out).samples.count, decodeProfile(raw).samples.count);
  });

  it('peak memory stays near the output size when the last trailer does not count it all', (t) => {
    // Measured in fresh processes on 96 MiB of output: honest; a forged ISIZE of half; and two
    // gzip members, whose final trailer counts only the second (legal: Go reads both). Before,
    // the last case held the chunks and their concatenation at once: 191 MiB vs 97 MiB.
    const size = 96 << 20;
    const honest = gzipSync(Buffer.alloc(size, 1));
    const files = { honest: join(dir, 'honest.gz'), lying: join(dir, 'lying.gz'), members: join(dir, 'members.gz') };
    writeFileSync(files.honest, honest);
    writeFileSync(files.lying, withTrailer(honest, size / 2));
    writeFileSync(files.members, Buffer.concat([gzipSync(Buffer.alloc(size / 2, 1)), gzipSync(Buffer.alloc(size / 2, 1))]));
    const peak = (file: string) => {
      const script = `const {nodeGunzip}=require(${JSON.stringify(join(ROOT, 'src/node/loadProfile.ts'))});`
        + `const d=require('fs').readFileSync(${JSON.stringify(file)});const before=process.resourceUsage().maxRSS;`
        + `let r='ok';try{nodeGunzip(new Uint8Array(d), 1<<30)}catch(e){r=e.code}`
        + `console.log(JSON.stringify({r, grew:(process.resourceUsage().maxRSS-before)/1024}))`;
      const p = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
      assert.equal(p.status, 0, p.stderr);
      return JSON.parse(p.stdout) as { r: string; grew: number };
    };
    const h = peak(files.honest);
    const l = peak(files.lying);
    const m = peak(files.members);
    assert.deepEqual([h.r, l.r, m.r], ['ok', 'corrupt', 'ok']);
    const figures = `peak growth: honest ${h.grew.toFixed(0)} MiB, lying ${l.grew.toFixed(0)} MiB, two members ${m.grew.toFixed(0)} MiB`;
    t.diagnostic(figures);
    assert.ok(l.grew <= h.grew * 1.6 && m.grew <= h.grew * 1.6, figures);
  });
});

describe('streamed loading (file and in-memory bytes)', () => {
  const gz = new Uint8Array(readFileSync(join(FIX, 'new.pb.gz')));
  const raw = new Uint8Array(gunzipSync(gz));
  const expected = decodeProfile(gz);
  const file = (name: string, data: Uint8Array): string => {
    const path = join(dir, name);
    writeFileSync(path, data);
    return path;
  };
  /** both loads `data` from a file and from memory; each must give the same answer. */
  async function both(name: string, data: Uint8Array, maxBytes = 1 << 30): Promise<Profile> {
    const fromFile = await loadProfileFile(file(name, data), maxBytes);
    assert.deepEqual(await decodeProfileBytes(data, maxBytes), fromFile);
    return fromFile;
  }
  async function bothRefuse(name: string, data: Uint8Array, code: string, message: RegExp, maxBytes = 1 << 30): Promise<void> {
    const check = (e: unknown) => e instanceof ProfileError && e.code === code && message.test(e.message);
    await assert.rejects(() => loadProfileFile(file(name, data), maxBytes), check);
    await assert.rejects(() => decodeProfileBytes(data, maxBytes), check);
  }

  it('decodes gzip and raw profile.proto as the whole-buffer decoder does', async () => {
    assert.deepEqual(await both('s.pb.gz', gz), expected);
    assert.deepEqual(await both('s.pb', raw), { ...expected, gzipped: false });
    const text = new Uint8Array(readFileSync(join(FIX, 'new.heap.txt')));
    assert.deepEqual(await both('s.heap.txt', text), decodeProfile(text));
  });

  it('decodes a profile of many chunks (a few MiB, inflated through 64 KiB chunks) identically', async () => {
    const big = generateHeapProfile(60_000, 1, 5).gz;
    assert.ok(big.length > 2 << 20, `${big.length} bytes`);
    assert.deepEqual(await both('big.pb.gz', big), decodeProfile(big));
  });

  it('reads concatenated gzip members whole', async () => {
    const two = new Uint8Array(Buffer.concat([gzipSync(raw.subarray(0, 700)), gzipSync(raw.subarray(700))]));
    assert.deepEqual(await both('two.pb.gz', two), expected);
  });

  it('refuses a lying trailer, truncated gzip and corrupt gzip with the usual words', async () => {
    await bothRefuse('short.pb.gz', withTrailer(gz, raw.length - 100), 'corrupt', /gzip data is corrupt \(.*length check/);
    await bothRefuse('long.pb.gz', withTrailer(gz, raw.length + 100), 'corrupt', /gzip data is corrupt/);
    await bothRefuse('cut.pb.gz', gz.subarray(0, gz.length - 12), 'truncated', /gzip data is truncated/);
    const bad = gz.slice();
    bad[12] ^= 0xff;
    bad[13] ^= 0xff;
    await bothRefuse('bad.pb.gz', bad, 'corrupt', /gzip data is corrupt/);
    await bothRefuse('cut.pb', raw.subarray(0, raw.length - 3), 'truncated', /truncated protobuf/);
  });

  it('stops inflating at the cap as the data flows (a 64 MiB bomb against a 1 MiB cap)', async () => {
    const bomb = new Uint8Array(gzipSync(Buffer.alloc(64 << 20)));
    const before = process.memoryUsage().rss;
    await bothRefuse('bomb.gz', bomb, 'too-large', /more than 1 MiB, the size limit$/, 1 << 20);
    const grew = (process.memoryUsage().rss - before) / 1048576;
    assert.ok(grew < 32, `rss grew ${grew.toFixed(0)} MiB while refusing a 64 MiB bomb`);
    await bothRefuse('big.raw', new Uint8Array(2 << 20), 'too-large', /more than 1 MiB/, 1 << 20);
  });

  it('says an empty file and an empty gzip stream are empty', async () => {
    await bothRefuse('empty', new Uint8Array(0), 'empty', /the file is empty/);
    await bothRefuse('empty.gz', new Uint8Array(gzipSync(Buffer.alloc(0))), 'empty', /the gzip stream holds no data/);
  });
});
