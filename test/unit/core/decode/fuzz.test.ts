import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { buildSync } from 'esbuild';
import type { FuzzJob, FuzzMessage } from '../../../support/fuzz/fuzzWorker';
import { makeMutant } from '../../../support/fuzz/mutant';
import { decodeAndCheck } from '../../../support/fuzz/outcome';
import { CORPUS, loadSeeds } from '../../../support/fuzz/seeds';
import { type DiffTally, compareWithPprof, newTally, tallyLine } from '../../../support/fuzz/differential';
import { pprofBinary } from '../../../support/pprofRaw';

// The seeded multi-strategy fuzzer (issue 11): byte, gzip-container, structure-aware profile.proto
// and legacy-text mutations of real profiles. Every mutant must end in a profile whose numbers are
// finite and consistent (and that `top` can show) or in one clean ProfileError — never another
// exception, never a hang. When Go is installed, a sample of inputs also goes through
// `go tool pprof -raw`: where both accept, the totals must be equal.
//
//   HEAPLENS_FUZZ_CASES   mutants (default 20000)       HEAPLENS_FUZZ_SEED  run seed (printed)
//   HEAPLENS_FUZZ_CASE    replay one case in-process    HEAPLENS_FUZZ_DIFF  pprof checks (default 200)

const CASES = Number(process.env.HEAPLENS_FUZZ_CASES ?? 20_000);
const SEED = Number(process.env.HEAPLENS_FUZZ_SEED ?? 20261201) >>> 0;
const REPLAY = process.env.HEAPLENS_FUZZ_CASE;
const DIFF = Number(process.env.HEAPLENS_FUZZ_DIFF ?? 200);
/** A case running this long is a hang (every seed decodes in well under 100 ms). */
const HANG_MS = Number(process.env.HEAPLENS_FUZZ_HANG_MS ?? 20_000);
/** Seeds above this inflated size are left out (they slow every case and add no new shape). */
const MAX_SEED = 128 * 1024;
/** Cap on what one mutant may inflate to: bombs stop here with a ProfileError. */
const MAX_BYTES = 32 * 1048576;
const replay = `HEAPLENS_FUZZ_SEED=${SEED} HEAPLENS_FUZZ_CASES=${CASES}`;

const work = mkdtempSync(join(tmpdir(), 'heaplens-fuzz-'));
// Inputs that pprof and heaplens disagree on stay in the diff folder (named in the failure).
let keepDiff = false;
after(() => { if (!keepDiff) rmSync(join(work, 'diff'), { recursive: true, force: true }); });

const set = loadSeeds(MAX_SEED);
const binary = pprofBinary();

describe('fuzzing the decoders with mutated real profiles', { timeout: 30 * 60_000 }, () => {
  it('loads its seeds (the repo\'s fixtures, plus ../shared/corpus when present)', (t) => {
    const kinds = set.seeds.reduce<Record<string, number>>((n, s) => ({ ...n, [s.kind]: (n[s.kind] ?? 0) + 1 }), {});
    const corpus = set.corpusPresent ? `${set.corpusUsed} from ${CORPUS}` : `SKIPPED ../shared/corpus: not present at ${CORPUS}`;
    const line = `fuzz seeds: ${set.seeds.length} (${JSON.stringify(kinds)}); corpus: ${corpus}; ${set.skippedLarge} larger than ${MAX_SEED / 1024} KiB left out`;
    t.diagnostic(line);
    console.log(line);
    assert.ok((kinds.proto ?? 0) > 10 && (kinds['legacy-text'] ?? 0) > 10, line);
  });

  if (REPLAY !== undefined) {
    it(`replays case ${REPLAY} of seed ${SEED}`, () => {
      const m = makeMutant(set.seeds, SEED, Number(REPLAY));
      const file = join(work, `fuzz-case-${REPLAY}.bin`);
      writeFileSync(file, m.bytes);
      console.log(`case ${REPLAY}: ${m.strategy}/${m.op} of ${m.seed}, ${m.bytes.length} bytes → ${file}`);
      const outcome = decodeAndCheck(m.bytes, MAX_BYTES, Number(REPLAY));
      console.log(outcome.accepted ? `accepted: totals ${outcome.totals.join(', ')}` : `refused (${outcome.code}): ${outcome.message}`);
    });
    return;
  }

  it(`${CASES} mutants (seed ${SEED}) each end in a consistent profile or one clean ProfileError`, async (t) => {
    const script = join(work, 'fuzzWorker.js');
    buildSync({
      entryPoints: [join(__dirname, '../../../support/fuzz/fuzzWorker.ts')], bundle: true, platform: 'node', format: 'cjs',
      target: 'node20', outfile: script, logLevel: 'silent',
    });
    const progress = new SharedArrayBuffer(8);
    const diffDir = binary ? join(work, 'diff') : undefined;
    if (diffDir) mkdirSync(diffDir, { recursive: true });
    // Spread the pprof checks over the run: about DIFF accepted inputs and DIFF / 4 refused ones.
    const job: FuzzJob = {
      runSeed: SEED, cases: CASES, seeds: set.seeds, progress, maxBytes: MAX_BYTES, diffDir, failureDir: work,
      diffAcceptedEvery: Math.max(1, Math.floor(CASES / 2 / Math.max(1, DIFF))),
      diffRefusedEvery: Math.max(1, Math.floor(CASES / 2 / Math.max(1, DIFF / 4))),
    };
    // This process's CPU time is the worker's (the test's thread waits; pprof runs in child
    // processes): a figure the machine's load does not inflate the way it does wall time.
    const cpuBefore = process.cpuUsage();
    const worker = new Worker(script, { workerData: job });
    const failures: string[] = [];
    const tally: DiffTally = newTally();
    const checks: Array<Promise<void>> = [];
    let running = 0;
    const waiting: Array<() => void> = [];
    const slot = async () => { if (running >= 2) await new Promise<void>((r) => waiting.push(r)); running++; };
    const release = () => { running--; waiting.shift()?.(); };
    const done = await new Promise<Extract<FuzzMessage, { type: 'done' }>>((resolve, reject) => {
      const view = new Int32Array(progress);
      let last = -2;
      let since = Date.now();
      const watchdog = setInterval(() => {
        const current = Atomics.load(view, 0);
        if (current !== last) { last = current; since = Date.now(); return; }
        if (current >= 0 && Date.now() - since > HANG_MS) {
          clearInterval(watchdog);
          void worker.terminate();
          const m = makeMutant(set.seeds, SEED, current);
          const file = join(work, `fuzz-hang-${current}.bin`);
          writeFileSync(file, m.bytes);
          reject(new Error(`case ${current} (${m.strategy}/${m.op} of ${m.seed}) ran over ${HANG_MS} ms: a hang. Input: ${file}. Replay: ${replay} HEAPLENS_FUZZ_CASE=${current}`));
        }
      }, 250);
      worker.on('message', (m: FuzzMessage) => {
        if (m.type === 'failure') failures.push(`case ${m.index} (${m.label}): ${m.error}\n  input: ${m.file}\n  replay: ${replay} HEAPLENS_FUZZ_CASE=${m.index}`);
        else if (m.type === 'diff') checks.push(slot().then(() => compareWithPprof(binary!, m, tally)).finally(release));
        else { clearInterval(watchdog); resolve(m); }
      });
      worker.on('error', (e) => { clearInterval(watchdog); reject(e); });
    });
    const cpu = process.cpuUsage(cpuBefore);
    await Promise.all(checks);
    await worker.terminate();

    const strategies = Object.entries(done.perStrategy).map(([s, n]) => `${s} ${n.cases}: ${n.accepted} accepted`).join(', ');
    const totals = Object.values(done.perStrategy).reduce((a, n) => ({ accepted: a.accepted + n.accepted, refused: a.refused + n.refused, late: a.late + n.late }), { accepted: 0, refused: 0, late: 0 });
    const summary = [
      `fuzz: seed ${SEED}, ${CASES} mutants (${strategies}) in ${(done.ms / 1000).toFixed(1)} s (${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU)`,
      `accepted ${totals.accepted}, refused ${totals.refused} (+${totals.late} refused by the engine after decoding)`,
      `slowest input ${done.slowest.alone.toFixed(1)} ms timed alone (${done.slowest.ms.toFixed(1)} ms in the run; case ${done.slowest.index}, ${done.slowest.label}, ${done.slowest.bytes} bytes)`,
      binary ? tallyLine(tally) : `pprof differential SKIPPED: go not installed, ${DIFF + Math.floor(DIFF / 4)} comparisons not run`,
    ].join('; ');
    t.diagnostic(summary);
    t.diagnostic(`refusals by code: ${JSON.stringify(done.codes)}`);
    console.log(summary);
    console.log(`fuzz refusals by code: ${JSON.stringify(done.codes)}`);
    if (tally.examples.length > 0) console.log(`fuzz differential notes:\n${tally.examples.join('\n')}`);
    assert.deepEqual(failures, [], `${failures.length} mutants ended badly:\n${failures.join('\n')}`);
    keepDiff = tally.totalsDiffer.length > 0;
    assert.deepEqual(tally.totalsDiffer, [], `heaplens and pprof both accepted but disagree on totals:\n${tally.totalsDiffer.join('\n')}`);
    // Each strategy must produce both outcomes, or it is not exercising anything.
    for (const [s, n] of Object.entries(done.perStrategy)) {
      assert.ok(n.accepted > 0 && n.refused > 0, `strategy ${s}: ${JSON.stringify(n)}`);
    }
  });
});
