import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as esbuild from 'esbuild';
import { parseArgs } from '../../../src/cli/args';
import { CliError, TOP_BOOLEANS, TOP_VALUED, loadBoth } from '../../../src/cli/topCommand';
import { loadProfileFileSync } from '../../../src/node/loadProfile';

// `heaplens top --diff-base` and `heaplens report` decode their two files at once, the second in the
// decode worker bundled next to the CLI: the same profiles as decoding one after the other, and a
// failure still names its file (the first path's failure first).

const FIX = join(__dirname, '../../fixtures/profiles/default/bodies');
const dir = mkdtempSync(join(tmpdir(), 'heaplens-loadboth-'));
const worker = join(dir, 'decodeWorker.js');
const args = parseArgs([], TOP_VALUED, TOP_BOOLEANS);

before(async () => {
  await esbuild.build({
    entryPoints: [join(__dirname, '../../../src/node/decodeWorker.ts')],
    outfile: worker, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'silent',
  });
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('loadBoth', () => {
  const base = join(FIX, 'base.pb.gz');
  const target = join(FIX, 'new.pb.gz');

  it('decodes the second file in the bundled worker into the profile an in-thread decode gives', async () => {
    for (const w of [worker, join(dir, 'absent.js')]) {
      const [a, b] = await loadBoth([target, base], args, w);
      assert.deepEqual(a, loadProfileFileSync(target));
      assert.deepEqual(b, loadProfileFileSync(base), w);
    }
  });

  it('uses the worker when one is bundled: a worker that dies fails the second file, in one line naming it', async () => {
    const dying = join(dir, 'dying.js');
    writeFileSync(dying, 'process.exit(3);\n');
    await assert.rejects(loadBoth([target, base], args, dying), (e: Error) => e instanceof CliError && /base\.pb\.gz: .*exit code 3/.test(e.message) && !e.message.includes('\n'));
  });

  it('names the file that failed, the first path\'s failure first', async () => {
    const broken = join(dir, 'broken.prof');
    writeFileSync(broken, 'not a profile at all');
    await assert.rejects(loadBoth([target, join(dir, 'missing.prof')], args, worker), (e: Error) => e instanceof CliError && /missing\.prof: .*no such file/.test(e.message));
    await assert.rejects(loadBoth([broken, join(dir, 'missing.prof')], args, worker), (e: Error) => e instanceof CliError && e.message.includes('broken.prof'));
    await assert.rejects(loadBoth([target, broken], args, worker), (e: Error) => e instanceof CliError && /broken\.prof: not a pprof profile/.test(e.message));
  });
});
