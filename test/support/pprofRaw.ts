import { execFile, execFileSync } from 'node:child_process';

// Runs the installed `go tool pprof -raw` on a file and sums each sample type's values, so tests
// can check heaplens' totals against pprof's own parser on any input (fuzz mutants, captured
// bodies, hand-made legacy text). The pprof binary is called directly (`go tool -n pprof`): the
// `go` front end adds ~30 ms a run.

/** PprofTotals is what pprof made of a file: the sample types and each one's sum, or its error. */
export type PprofTotals =
  | { ok: true; types: string[]; totals: bigint[]; samples: number }
  | { ok: false; error: string };

/** pprofBinary returns the path of the pprof tool of the installed Go, or undefined when Go is absent. */
export function pprofBinary(): string | undefined {
  try {
    return execFileSync('go', ['tool', '-n', 'pprof'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const ENV = { ...process.env, PPROF_BINARY_PATH: '/nonexistent', PPROF_TMPDIR: '/tmp', HOME: '/nonexistent' };

/** pprofRawTotals runs `pprof -raw` on `file` (no symbolization) and sums its samples per type. */
export function pprofRawTotals(binary: string, file: string): Promise<PprofTotals> {
  return new Promise((resolve) => {
    execFile(binary, ['-raw', '-symbolize=none', file], { env: ENV, timeout: 20_000, maxBuffer: 64 << 20, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) {
        resolve({ ok: false, error: (stderr || err.message).split('\n').find((l) => l.trim() !== '' && !l.includes('Main binary filename')) ?? 'failed' });
        return;
      }
      resolve(parseRaw(stdout));
    });
  });
}

/** parseRaw reads the `Samples:` section of -raw output: a line of type/unit names, then one value row per sample. */
export function parseRaw(text: string): PprofTotals {
  const lines = text.split('\n');
  const at = lines.indexOf('Samples:');
  if (at < 0) return { ok: false, error: 'no Samples: section in pprof -raw output' };
  const types = lines[at + 1].trim().split(/\s+/).filter((t) => t !== '').map((t) => t.split('/')[0]);
  const totals = types.map(() => 0n);
  let samples = 0;
  for (let i = at + 2; i < lines.length; i++) {
    const line = lines[i];
    if (/^[A-Z][a-z]+:/.test(line)) break; // Locations:, Mappings:
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const words = line.slice(0, colon).trim().split(/\s+/);
    if (words.length !== types.length || !words.every((w) => /^-?\d+$/.test(w))) continue; // label lines
    words.forEach((w, k) => { totals[k] += BigInt(w); });
    samples++;
  }
  return { ok: true, types, totals, samples };
}
