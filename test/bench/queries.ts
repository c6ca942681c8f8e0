import { loadavg } from 'node:os';
import { join } from 'node:path';
import { AnalysisEngine } from '../../src/node/analysisEngine';
import { loadProfileFileSync } from '../../src/node/loadProfile';
import type { AnalysisQuery, ViewSettings } from '../../src/protocol/analysis';

// The analysis worker's queries on a compared pair, in-process and in the order the panel asks them
// (e2e: test/e2e/bigprofiles.test.mjs): the tree's first hotspots, the panel's top (then what the
// worker prefetches after it while idle), the call graph, the flame graph. Prints the CPU time
// (user + system) and wall time of each, and the load average, since this machine is shared.
// `node --import tsx test/bench/queries.ts [DIR]` reads DIR/good_heap.prof and DIR/bad_heap.prof
// (default .bench/e2e-50MB, written by test/bench/bigPair.ts); add `--cpu-prof` to node for a profile.

const dir = process.argv[2] ?? join(__dirname, '../../.bench/e2e-50MB');
const engine = new AnalysisEngine();
const base = engine.add('good', loadProfileFileSync(join(dir, 'good_heap.prof'))).handle;
const target = engine.add('bad', loadProfileFileSync(join(dir, 'bad_heap.prof'))).handle;
const pair = { target, base };
const view: ViewSettings = { sampleType: 'inuse_space', granularity: 'functions', filters: {} };
const graphRequest = { nodeCount: 80, nodeFraction: 0.005, edgeFraction: 0.001 };

/** measure runs one step and prints its CPU and wall time. */
function measure(name: string, step: () => void): void {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  step();
  const used = process.cpuUsage(cpu);
  console.log(`${name.padEnd(44)} ${String(Math.round((used.user + used.system) / 1000)).padStart(6)} ms CPU ${String(Math.round(performance.now() - wall)).padStart(6)} ms wall`);
}

const ask = (query: AnalysisQuery) => () => { engine.answer(query); };
console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
measure('hotspots (the tree\'s first rows)', ask({ kind: 'hotspots', pair, view, limit: 200 }));
const top: AnalysisQuery = { kind: 'top', pair, view };
measure('top (the panel\'s table)', ask(top));
// Only the first prefetch (the flame graph's stack numbers) runs before the panel's next tab is asked for, in the e2e.
measure('prefetch after top: stack numbers', () => engine.prefetch(top)[0]?.());
measure('callGraph (80 nodes)', ask({ kind: 'callGraph', pair, view, request: graphRequest }));
measure('callGraph again, nodecount 30', ask({ kind: 'callGraph', pair, view, request: { ...graphRequest, nodeCount: 30 } }));
measure('flameTree (minFraction 1/6400)', ask({ kind: 'flameTree', pair, view, minFraction: 1 / 6400 }));
measure('flameTree, alloc_space (other sample type)', ask({ kind: 'flameTree', pair, view: { ...view, sampleType: 'alloc_space' }, minFraction: 1 / 6400 }));
console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
