import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { resolveSampleIndex } from '../../../src/core/sampleIndex';
import { STRATEGIES, makeMutant } from './mutant';
import { decodeAndCheck } from './outcome';
import type { Seed } from './seeds';

// The fuzz loop, in a worker so the test's thread can watch it: before each case it stores the
// case number in shared memory, and the test stops the worker (and reports that case) if one case
// runs past the hang bound. Accepted and refused inputs are sampled for the pprof differential.

/** FuzzJob is what the test hands the worker. */
export interface FuzzJob {
  runSeed: number;
  cases: number;
  seeds: Seed[];
  /** Int32Array view: [0] = case being decoded, [1] = cases finished. */
  progress: SharedArrayBuffer;
  maxBytes: number;
  /** Where sampled inputs are written for pprof (none when Go is absent). */
  diffDir?: string;
  diffAcceptedEvery: number;
  diffRefusedEvery: number;
  failureDir: string;
}

/** StrategyStats counts one strategy's cases and how they ended. */
export interface StrategyStats { cases: number; accepted: number; refused: number; late: number }

/** FuzzMessage is what the worker reports. */
export type FuzzMessage =
  | { type: 'diff'; index: number; label: string; file: string; accepted: boolean; types: string[]; units: string[]; abs: number[]; defaultIndex: number; code?: string }
  | { type: 'failure'; index: number; label: string; file: string; error: string }
  | { type: 'done'; perStrategy: Record<string, StrategyStats>; codes: Record<string, number>;
      slowest: Slow; ms: number };

/** Slow is one of the slowest cases: its time in the run and, timed again alone, its best of three. */
export interface Slow { ms: number; alone: number; index: number; label: string; bytes: number }

const job = workerData as FuzzJob;
const progress = new Int32Array(job.progress);
const post = (m: FuzzMessage) => parentPort!.postMessage(m);
const perStrategy = Object.fromEntries(STRATEGIES.map((s) => [s, { cases: 0, accepted: 0, refused: 0, late: 0 }])) as Record<string, StrategyStats>;
const codes: Record<string, number> = {};
/**
 * Candidates for the slowest input, timed again alone at the end: the twenty slowest in the run
 * (load, GC and warm-up inflate wall time) and the twenty largest inputs (work grows with size).
 */
const slow: Slow[] = [];
const large: Slow[] = [];
const keep = (list: Slow[], entry: Slow, by: (s: Slow) => number) => {
  if (list.length >= 20 && by(entry) <= by(list[list.length - 1])) return;
  list.push(entry);
  list.sort((a, b) => by(b) - by(a));
  list.length = Math.min(list.length, 20);
};
let accepted = 0;
let refused = 0;
let failures = 0;
const started = performance.now();

for (let i = 0; i < job.cases && failures < 3; i++) {
  const m = makeMutant(job.seeds, job.runSeed, i);
  const label = `${m.strategy}/${m.op} of ${m.seed}`;
  Atomics.store(progress, 0, i);
  const t0 = performance.now();
  try {
    const outcome = decodeAndCheck(m.bytes, job.maxBytes, i);
    const ms = performance.now() - t0;
    const entry = { ms, alone: 0, index: i, label, bytes: m.bytes.length };
    keep(slow, entry, (e) => e.ms);
    keep(large, entry, (e) => e.bytes);
    const stats = perStrategy[m.strategy];
    stats.cases++;
    if (outcome.accepted) {
      stats.accepted++;
      if (job.diffDir && accepted++ % job.diffAcceptedEvery === 0) {
        const file = join(job.diffDir, `case-${i}.bin`);
        writeFileSync(file, m.bytes);
        const p = outcome.profile;
        const n = p.sampleTypes.length;
        const abs = p.sampleTypes.map((_, k) => p.samples.values.reduce((sum, v, j) => (j % n === k ? sum + Math.abs(v) : sum), 0));
        const defaultIndex = n > 0 ? resolveSampleIndex(p, undefined) : -1;
        post({ type: 'diff', index: i, label, file, accepted: true, types: p.sampleTypes.map((t) => t.type), units: p.sampleTypes.map((t) => t.unit), abs, defaultIndex });
      }
    } else {
      if (outcome.late) stats.late++; else stats.refused++;
      codes[outcome.code] = (codes[outcome.code] ?? 0) + 1;
      if (job.diffDir && refused++ % job.diffRefusedEvery === 0) {
        const file = join(job.diffDir, `case-${i}.bin`);
        writeFileSync(file, m.bytes);
        post({ type: 'diff', index: i, label, file, accepted: false, types: [], units: [], abs: [], defaultIndex: -1, code: outcome.code });
      }
    }
  } catch (e) {
    failures++;
    const file = join(job.failureDir, `fuzz-case-${i}.bin`);
    writeFileSync(file, m.bytes);
    post({ type: 'failure', index: i, label, file, error: e instanceof Error ? e.stack ?? e.message : String(e) });
  }
  Atomics.store(progress, 1, i + 1);
}
const ms = performance.now() - started;
const candidates = [...new Set([...slow, ...large])];
for (const s of candidates) {
  const m = makeMutant(job.seeds, job.runSeed, s.index);
  Atomics.store(progress, 0, s.index);
  s.alone = Infinity;
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    decodeAndCheck(m.bytes, job.maxBytes, s.index);
    s.alone = Math.min(s.alone, performance.now() - t0);
  }
}
Atomics.store(progress, 0, -1);
const slowest = candidates.reduce((a, b) => (b.alone > a.alone ? b : a), { ms: 0, alone: 0, index: -1, label: '', bytes: 0 });
post({ type: 'done', perStrategy, codes, slowest, ms });
