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

/**
 * pprofRawTotals runs `pprof -raw` on `file` (no symbolization) and sums its samples per type.
 * `columns` is how many values a sample row has when the caller knows it (a type name with a
 * blank in it would otherwise miscount the header).
 */
export function pprofRawTotals(binary: string, file: string, columns?: number): Promise<PprofTotals> {
  return new Promise((resolve) => {
    execFile(binary, ['-raw', '-symbolize=none', file], { env: ENV, timeout: 20_000, maxBuffer: 64 << 20, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) {
        resolve({ ok: false, error: (stderr || err.message).split('\n').find((l) => l.trim() !== '' && !l.includes('Main binary filename')) ?? 'failed' });
        return;
      }
      resolve(parseRaw(stdout, columns));
    });
  });
}

/** parseRaw reads the `Samples:` section of -raw output: a line of type/unit names, then one value row per sample. */
export function parseRaw(text: string, columns?: number): PprofTotals {
  const lines = text.split('\n');
  const at = lines.indexOf('Samples:');
  if (at < 0) return { ok: false, error: 'no Samples: section in pprof -raw output' };
  const types = lines[at + 1].trim().split(/\s+/).filter((t) => t !== '').map((t) => t.split('/')[0]);
  const width = columns ?? types.length;
  const totals = Array.from({ length: width }, () => 0n);
  let samples = 0;
  for (let i = at + 2; i < lines.length; i++) {
    const line = lines[i];
    if (line !== '' && line[0] !== ' ') break; // Locations, Mappings: rows are indented, sections are not
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const words = line.slice(0, colon).trim().split(/\s+/);
    if (words.length !== width || !words.every((w) => /^-?\d+$/.test(w))) continue; // label lines
    words.forEach((w, k) => { totals[k] += BigInt(w); });
    samples++;
  }
  return { ok: true, types, totals, samples };
}

/** PprofTop is pprof's `top` header for one sample type: its name and total (Σ|value|, undefined when printed scaled), or its error. */
export type PprofTop = { ok: true; type: string; total: bigint | undefined; printed: string } | { ok: false; error: string };

/** unitFlag is the -unit that makes pprof print a unit's values unscaled (undefined: let pprof choose). */
export function unitFlag(unit: string): string | undefined {
  return ({ bytes: 'B', count: 'B', nanoseconds: 'ns', microseconds: 'us', milliseconds: 'ms', seconds: 's' } as Record<string, string>)[unit];
}

/**
 * pprofTopTotal runs `pprof -top [-sample_index=INDEX]` and reads the total from "… of N total":
 * the figure heaplens must equal. (`-raw` is no reference for totals: it leaves out samples
 * without a stack, which `top` counts.) `unit` is the sample type's unit, to print it unscaled.
 */
export function pprofTopTotal(binary: string, file: string, index: number | undefined, unit: string): Promise<PprofTop> {
  const flag = unitFlag(unit);
  const args = ['-top', '-symbolize=none', '-nodecount=1', ...(flag ? [`-unit=${flag}`] : []), ...(index === undefined ? [] : [`-sample_index=${index}`]), file];
  return new Promise((resolve) => {
    execFile(binary, args, { env: ENV, timeout: 20_000, maxBuffer: 64 << 20, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) {
        resolve({ ok: false, error: (stderr || err.message).split('\n').find((l) => l.trim() !== '' && !l.includes('Main binary filename')) ?? 'failed' });
        return;
      }
      const total = / of (\S+) total/.exec(stdout);
      const type = /^Type: (.*)$/m.exec(stdout);
      if (!total) { resolve({ ok: false, error: `no total in pprof -top output: ${stdout.slice(0, 120)}` }); return; }
      const exact = /^(-?\d+)[A-Za-z]*$/.exec(total[1]);
      resolve({ ok: true, type: type?.[1] ?? '', total: exact && flag ? BigInt(exact[1]) : undefined, printed: total[1] });
    });
  });
}
