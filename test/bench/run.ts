import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { aggregate, aggregateDiff } from '../../src/core/aggregate';
import { topTable } from '../../src/core/top';
import { AnalysisEngine } from '../../src/node/analysisEngine';
import { loadProfileFile } from '../../src/node/loadProfile';
import { generateHeapProfile } from './generate';

// `npm run bench`: deterministic heap profiles of ~1, 10 and 50 MB gzipped; in-process medians of
// decode / top / diff; then the whole CLI process against `go tool pprof -top` (when Go is
// installed), wall time and peak RSS measured the same way for both (getrusage of the child).
// Flags: --sizes 1,10,50  --runs N  --pprof-runs N  --full (also pprof -diff_base on 50 MB: ~2 min, ~11 GB)
//        --big (also the ~200 MB profile: one run of each figure, no pprof unless --full; generating it takes minutes)
//        --protobufjs (also decode with protobufjs message objects, with and without Long: the road not taken).

const ROOT = join(__dirname, '../..');
const CACHE = join(ROOT, '.bench');
const args = process.argv.slice(2);
const flag = (name: string, dflt: string) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : dflt; };
const SIZES = [...flag('sizes', '1,10,50').split(',').map(Number), ...(args.includes('--big') ? [200] : [])];
const RUNS = Number(flag('runs', '5'));
const PPROF_RUNS = Number(flag('pprof-runs', '3'));
const FULL = args.includes('--full');
const PROTOBUFJS = args.includes('--protobufjs');
const SAMPLES_PER_MB = 19500; // calibrated: ~53.7 gzipped bytes per generated sample

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
const secs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

function profileFiles(size: number): [string, string] {
  mkdirSync(CACHE, { recursive: true });
  const files: [string, string] = [join(CACHE, `heap-${size}MB-base.pb.gz`), join(CACHE, `heap-${size}MB-new.pb.gz`)];
  files.forEach((f, variant) => {
    if (existsSync(f)) return;
    const g = generateHeapProfile(size * SAMPLES_PER_MB, variant);
    writeFileSync(f, g.gz);
    console.log(`generated ${f}: ${mb(g.gz.length)} gzipped, ${mb(g.rawBytes)} raw, ${g.samples} samples`);
  });
  return files;
}

function timeInProcess(fn: () => void, runs = RUNS): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

async function timeAsync(fn: () => Promise<unknown>, runs = RUNS): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

/**
 * measureProcess runs a command `runs` times; returns median wall ms, median peak RSS bytes and
 * median CPU ms (user + system): on a shared machine CPU time is the figure that other jobs move least.
 */
function measureProcess(cmd: string[], runs: number): { ms: number; rss: number; cpu: number } {
  // python3's getrusage(RUSAGE_CHILDREN) reports the peak RSS of the largest waited-for descendant,
  // which covers `go tool pprof`'s exec'd pprof binary as well as node.
  const probe = 'import resource,subprocess,sys,time\nt=time.time()\nr=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL)\nu=resource.getrusage(resource.RUSAGE_CHILDREN)\nprint((time.time()-t)*1000, u.ru_maxrss*1024, r.returncode, (u.ru_utime+u.ru_stime)*1000)';
  const ms: number[] = [];
  const rss: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync('python3', ['-c', probe, ...cmd], { encoding: 'utf8', env: { ...process.env, PPROF_BINARY_PATH: '/nonexistent', PPROF_TMPDIR: CACHE } }).trim().split(' ');
    if (out[2] !== '0') throw new Error(`${cmd.join(' ')} failed with ${out[2]}`);
    ms.push(Number(out[0]));
    rss.push(Number(out[1]));
    cpu.push(Number(out[3]));
  }
  return { ms: median(ms), rss: median(rss), cpu: median(cpu) };
}

/**
 * firstHotspotsCpu is the analysis worker's work before the Heap Hotspots tree can show a
 * comparison, in this thread: both files read and decoded, then the hotspots query (functions
 * diff, stack index, each row's line). CPU ms, so that a busy machine moves it little.
 */
async function firstHotspotsCpu(basePath: string, newPath: string): Promise<number> {
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.cpuUsage();
  const engine = new AnalysisEngine();
  const base = engine.add('base', await loadProfileFile(basePath)).handle;
  const target = engine.add('new', await loadProfileFile(newPath)).handle;
  engine.answer({ kind: 'hotspots', pair: { target, base }, view: { sampleType: 'inuse_space', granularity: 'functions', filters: {} }, limit: 200 });
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

const hasGo = spawnSync('go', ['version']).status === 0;
const cli = join(ROOT, 'dist/cli.js');
if (!existsSync(cli)) execFileSync('node', ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
const rows: string[] = [];
const results: Record<string, unknown>[] = [];
console.log(`heaplens bench — ${RUNS} runs per in-process figure (median), ${PPROF_RUNS} per pprof figure; node ${process.version}${hasGo ? `, ${execFileSync('go', ['version'], { encoding: 'utf8' }).trim()}` : ', go not found (no pprof comparison)'}`);

async function main(): Promise<void> {
  for (const size of SIZES) {
    const [basePath, newPath] = profileFiles(size);
    const gzBytes = readFileSync(newPath).length;
    const runs = size >= 200 ? 1 : RUNS;
    // The CLI's and the decode worker's loader: streamed read, zlib on the thread pool, parse.
    const decodeMs = await timeAsync(() => loadProfileFile(newPath), runs);
    const target = await loadProfileFile(newPath);
    const base = await loadProfileFile(basePath);
    const topMs = timeInProcess(() => topTable(aggregate(target)), runs);
    const linesMs = timeInProcess(() => topTable(aggregate(target, { granularity: 'lines' })), runs);
    const diffMs = timeInProcess(() => topTable(aggregateDiff({ base, target })), runs);
    const procRuns = size >= 200 ? 1 : Math.max(1, Math.min(RUNS, size >= 50 ? 3 : RUNS));
    const ours = measureProcess(['node', cli, 'top', newPath], procRuns);
    const oursDiff = measureProcess(['node', cli, 'top', '--diff-base', basePath, newPath], procRuns);
    const hotspotCpus: number[] = [];
    for (let i = 0; size < 200 && i < Math.min(runs, 3); i++) hotspotCpus.push(await firstHotspotsCpu(basePath, newPath));
    const hotspotsCpu = size >= 200 ? undefined : median(hotspotCpus);
    const entry: Record<string, unknown> = { size, gzBytes, samples: target.samples.count, decodeMs, topMs, linesMs, diffMs, hotspotsCpu, cliTop: ours, cliDiff: oursDiff };
    let line = `| ${mb(gzBytes)} (${target.samples.count} samples) | ${secs(decodeMs)} | ${secs(topMs)} | ${secs(linesMs)} | ${secs(diffMs)} | ${hotspotsCpu === undefined ? '—' : secs(hotspotsCpu)} | ${secs(ours.ms)}, ${secs(ours.cpu)} CPU, ${mb(ours.rss)} | ${secs(oursDiff.ms)}, ${secs(oursDiff.cpu)} CPU, ${mb(oursDiff.rss)} |`;
    if (hasGo && (size < 200 || FULL)) {
      const pprofRuns = size >= 50 ? 1 : PPROF_RUNS;
      const pprof = measureProcess(['go', 'tool', 'pprof', '-symbolize=none', '-top', newPath], pprofRuns);
      entry.pprofTop = pprof;
      line += ` ${secs(pprof.ms)}, ${mb(pprof.rss)} | ×${(pprof.ms / ours.ms).toFixed(1)} faster, ${(ours.rss / pprof.rss * 100).toFixed(0)}% of its memory |`;
      if (size < 50 || FULL) {
        const pprofDiff = measureProcess(['go', 'tool', 'pprof', '-symbolize=none', '-top', '-diff_base', basePath, newPath], pprofRuns);
        entry.pprofDiff = pprofDiff;
        line += ` ${secs(pprofDiff.ms)}, ${mb(pprofDiff.rss)} | ×${(pprofDiff.ms / oursDiff.ms).toFixed(1)} faster, ${(oursDiff.rss / pprofDiff.rss * 100).toFixed(0)}% of its memory |`;
      } else {
        line += ' (--full) | |';
      }
    }
    if (PROTOBUFJS) {
      for (const long of [false, true]) {
        const cmd = ['node', '--import', 'tsx', join(__dirname, 'protobufjsDecode.ts'), newPath, ...(long ? [] : ['--no-long'])];
        let figure: string;
        try {
          const m = measureProcess(cmd, 1);
          figure = `${secs(m.ms)} (process incl. gunzip), ${mb(m.rss)}`;
          entry[long ? 'protobufjsLong' : 'protobufjs'] = m;
        } catch {
          figure = 'failed (out of memory)';
        }
        console.log(`  protobufjs decode ${long ? 'with Long' : 'without Long'}: ${figure}`);
      }
    }
    rows.push(line);
    results.push(entry);
    console.log(line);
  }

  console.log(`\nload average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (2 cores: wall figures move with it, CPU figures less)`);
  console.log('\n| profile (gzipped) | decode | top (functions) | top (lines) | diff | first hotspots of the pair (decode both + hotspots query, CPU) | `heaplens top` process: wall, CPU, peak RSS | `heaplens top --diff-base` | `go tool pprof -top` | top vs pprof | `go tool pprof -top -diff_base` | diff vs pprof |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  writeFileSync(join(CACHE, 'results.json'), JSON.stringify(results, null, 2));
}

void main();
