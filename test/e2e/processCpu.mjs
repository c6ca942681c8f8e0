// Which processes took the machine's cores, sampled from the test: when the extension host's
// thread waits for a core (the stall probe's waitMs), this says who had them — the browser's
// renderer or GPU process, code-server, heaplens' analysis process, the test itself. Linux only
// (/proc); elsewhere the sampler records nothing and `between` returns an empty list.
import fs from 'node:fs';
import os from 'node:os';

/** TICK_MS is one clock tick of /proc/<pid>/stat's CPU times (USER_HZ is 100 on Linux). */
const TICK_MS = 10;

/** processKind names a process by its command line: the part of the setup it belongs to. */
function processKind(argv) {
  // Chromium rewrites its children's argv into one string: split it back into words.
  const args = argv.length === 1 ? argv[0].split(' ') : argv;
  const joined = args.join(' ');
  if (joined.includes('analysisProcess')) return 'heaplens analysis';
  if (joined.includes('--type=extensionHost')) return 'extension host';
  if (/chrom/i.test(args[0] ?? '')) {
    const type = args.find((a) => a.startsWith('--type='))?.slice(7);
    return type ? `chromium ${type}` : 'chromium browser';
  }
  if (joined.includes('code-server')) return joined.includes('bootstrap-fork') || joined.includes('serverWorkerMain') ? 'code-server helper' : 'code-server';
  if (joined.includes('.test.mjs') || joined.includes('--test')) return 'test runner';
  return args.slice(0, 2).map((a) => a.split('/').pop()).join(' ');
}

/** readProcesses returns every process's CPU time so far (ms, all threads) and its kind. */
function readProcesses() {
  const out = new Map();
  let pids;
  try {
    pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command name in parentheses may hold spaces: the fields start after its last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cpuMs = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
      const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (args.length > 0) out.set(pid, { cpuMs, kind: processKind(args) });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** CpuSampler samples every process's CPU time every `everyMs` until stopped. */
export class CpuSampler {
  constructor(everyMs = 250) {
    this.samples = [];
    this.timer = setInterval(() => this.samples.push({ t: Date.now(), procs: readProcesses() }), everyMs);
    this.samples.push({ t: Date.now(), procs: readProcesses() });
  }

  stop() {
    clearInterval(this.timer);
  }

  /** between returns the CPU ms each kind of process used in [from, to] (the samples around it), most first. */
  between(from, to) {
    const first = this.samples.filter((s) => s.t <= from).at(-1) ?? this.samples[0];
    const last = this.samples.find((s) => s.t >= to) ?? this.samples.at(-1);
    if (!first || !last || first === last) return [];
    const byKind = new Map();
    for (const [pid, p] of last.procs) {
      const used = p.cpuMs - (first.procs.get(pid)?.cpuMs ?? 0);
      if (used > 0) byKind.set(p.kind, (byKind.get(p.kind) ?? 0) + used);
    }
    return [...byKind].sort((a, b) => b[1] - a[1]).map(([kind, ms]) => ({ kind, ms, overMs: last.t - first.t }));
  }
}

/** describeCpu words `between`'s answer: "chromium renderer 230 ms, code-server 120 ms (of 2 cores × 500 ms)". */
export function describeCpu(used, top = 4) {
  if (used.length === 0) return 'no per-process figures';
  return `${used.slice(0, top).map((u) => `${u.kind} ${u.ms} ms`).join(', ')} (of ${os.cpus().length} cores × ${used[0].overMs} ms)`;
}
