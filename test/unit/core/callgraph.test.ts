import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { aggregate, aggregateDiff } from '../../../src/core/aggregate';
import { type CallGraph, callGraph } from '../../../src/core/callgraph';
import { entropyScore } from '../../../src/core/callgraphTrim';
import { callGraphDot, dotString, edgeWidth, nodeFontSize, shortName } from '../../../src/core/callgraphDot';
import { decodeProfile } from '../../../src/core/decode';
import type { Granularity } from '../../../src/core/nodes';
import { loadProfileFileSync } from '../../../src/node/loadProfile';
import { HEAP_TYPES, encodeProfile } from '../../support/profileWriter';

// The call graph must be the graph `go tool pprof -dot` draws: the same nodes in the same order
// (pprof's entropy order decides which nodecount nodes survive), the same edges, residual (dotted)
// and inline flags included. Checked against the installed pprof on every fixture scenario and on a
// large real profile where nodecount trimming and residual edges kick in; skipped without Go.

const run = promisify(execFile);
const hasGo = (() => { try { execFileSync('go', ['version'], { stdio: 'ignore' }); return true; } catch { return false; } })();
const FIX = join(__dirname, '../../fixtures/profiles/default');
const CORPUS = join(__dirname, '../../../../shared/corpus');

interface DotGraph { nodes: string[]; edges: Set<string> }

/** pprofDot runs `go tool pprof -dot` and reads node names (in pprof's order) and edges from it. */
async function pprofDot(args: string[]): Promise<DotGraph> {
  const { stdout } = await run('go', ['tool', 'pprof', '-symbolize=none', '-dot', ...args], {
    maxBuffer: 1 << 26, env: { ...process.env, PPROF_BINARY_PATH: '/nonexistent', PPROF_TMPDIR: '/tmp' },
  });
  const ids = new Map<string, string>();
  for (const m of stdout.matchAll(/^(N\d+) \[label=".*?" id="node\d+" fontsize=\d+ shape=box tooltip="(.*?) \([^()]*\)"/gm)) ids.set(m[1], m[2].replace(/\\"/g, '"'));
  const edges = new Set<string>();
  for (const m of stdout.matchAll(/^(N\d+) -> (N\d+) \[label=" ([^"]*?)".*?tooltip="(.*?) (->|\.\.\.) (.*?) \(.*?\)"/gm)) {
    if (!ids.has(m[1]) || !ids.has(m[2])) continue; // pprof prints edges to nodes it dropped ("N0")
    edges.add(`${ids.get(m[1])} ${m[5]} ${ids.get(m[2])}${m[3].includes('(inline)') ? ' inline' : ''}`);
  }
  return { nodes: [...ids.values()], edges };
}

function ours(g: CallGraph): DotGraph {
  const name = (n: CallGraph['nodes'][number]) => [n.name, n.line ? `${n.file}:${n.line}` : n.file].filter(Boolean).join(' ');
  return {
    nodes: g.nodes.map(name),
    edges: new Set(g.edges.map((e) => `${name(g.nodes[e.src])} ${e.residual ? '...' : '->'} ${name(g.nodes[e.dst])}${e.inline ? ' inline' : ''}`)),
  };
}

describe('call graph equals go tool pprof -dot', { skip: hasGo ? false : 'go not installed' }, () => {
  const scenarios = ['bodies', 'cache', 'goroutines', 'compressors', 'churn', 'pools', 'shrink'];
  const cases: Array<{ scenario: string; sampleIndex: string; granularity: Granularity }> = [];
  for (const scenario of scenarios) {
    for (const sampleIndex of ['inuse_space', 'alloc_space']) cases.push({ scenario, sampleIndex, granularity: 'functions' });
  }
  cases.push({ scenario: 'compressors', sampleIndex: 'inuse_space', granularity: 'lines' }, { scenario: 'shrink', sampleIndex: 'inuse_objects', granularity: 'lines' });

  for (const c of cases) {
    it(`${c.scenario} ${c.sampleIndex} ${c.granularity} (diff)`, async () => {
      const base = `${FIX}/${c.scenario}/base.pb.gz`;
      const target = `${FIX}/${c.scenario}/new.pb.gz`;
      const want = await pprofDot([`-sample_index=${c.sampleIndex}`, `-${c.granularity}`, '-diff_base', base, target]);
      const got = ours(callGraph({ target: loadProfileFileSync(target), base: loadProfileFileSync(base) }, { sampleIndex: c.sampleIndex, granularity: c.granularity }));
      assert.deepEqual(got.nodes, want.nodes);
      assert.deepEqual([...got.edges].sort(), [...want.edges].sort());
    });
  }

  it('single profile, no diff: bodies new inuse_space', async () => {
    const target = `${FIX}/bodies/new.pb.gz`;
    const want = await pprofDot(['-sample_index=inuse_space', target]);
    const got = ours(callGraph({ target: loadProfileFileSync(target) }, { sampleIndex: 'inuse_space' }));
    assert.deepEqual(got.nodes, want.nodes);
    assert.deepEqual([...got.edges].sort(), [...want.edges].sort());
  });

  const large = join(CORPUS, 'google+pprof/internal/proftest/testdata/large.cpu');
  it('nodecount trimming by entropy and residual edges on a 23k-function profile', { skip: existsSync(large) ? false : 'shared corpus absent' }, async () => {
    for (const granularity of ['functions', 'lines'] as const) {
      const want = await pprofDot(['-nodefraction=0', '-nodecount=60', `-${granularity}`, large]);
      const graph = callGraph({ target: loadProfileFileSync(large) }, { granularity, nodeFraction: 0, nodeCount: 60 });
      const got = ours(graph);
      assert.equal(got.nodes.length, 60);
      assert.deepEqual(got.nodes, want.nodes, granularity);
      assert.deepEqual([...got.edges].sort(), [...want.edges].sort(), granularity);
      if (granularity === 'lines') assert.ok(graph.edges.some((e) => e.residual), 'trimming leaves residual edges');
    }
  });
});

describe('call graph on hand-made stacks', () => {
  const fns = [
    { id: 1, name: 'main.main', file: '/app/main.go' },
    { id: 2, name: 'main.middle', file: '/app/mid.go' },
    { id: 3, name: 'main.alloc', file: '/app/alloc.go' },
    { id: 4, name: 'main.tiny', file: '/app/tiny.go' },
  ];
  const locs = fns.map((f) => ({ id: f.id, lines: [{ functionId: f.id, line: 10 }] }));
  const v = (x: number) => [1, x, 1, x];
  const profile = (samples: Array<{ locations: number[]; values: number[] }>) => decodeProfile(encodeProfile({ sampleTypes: HEAP_TYPES, functions: fns, locations: locs, samples }));
  const p = profile([
    { locations: [3, 2, 1], values: v(1000) }, // main → middle → alloc
    { locations: [3, 4, 1], values: v(2) }, // main → tiny → alloc: tiny is below the node fraction
  ]);

  it('drops nodes under the node fraction and joins their neighbours with a residual edge', () => {
    const g = callGraph({ target: p }, { nodeFraction: 0.01 });
    assert.deepEqual(g.nodes.map((n) => n.name).sort(), ['main.alloc', 'main.main', 'main.middle']);
    assert.equal(g.droppedNodes, 1);
    const residual = g.edges.filter((e) => e.residual).map((e) => `${g.nodes[e.src].name}…${g.nodes[e.dst].name}`);
    // main…alloc (through tiny) is redundant with main→middle→alloc, so pprof removes it.
    assert.deepEqual(residual, []);
    const alloc = g.nodes.find((n) => n.name === 'main.alloc')!;
    assert.equal(alloc.flat, 1002, 'flat still counts the sample that went through the dropped node');
  });

  it('keeps a residual edge when no other path joins the two nodes', () => {
    const q = profile([{ locations: [3, 4, 1], values: v(2) }, { locations: [1], values: v(1000) }, { locations: [3], values: v(1000) }]);
    const g = callGraph({ target: q }, { nodeFraction: 0.01 });
    assert.deepEqual(g.edges.map((e) => [g.nodes[e.src].name, g.nodes[e.dst].name, e.residual, e.weight]), [['main.main', 'main.alloc', true, 2]]);
  });

  it('agrees with the aggregate on flat and cum when nothing is trimmed, also as a diff', () => {
    const base = profile([{ locations: [3, 2, 1], values: v(400) }]);
    const g = callGraph({ target: p, base }, { nodeFraction: 0, nodeCount: 0, edgeFraction: 0 });
    const agg = aggregateDiff({ base, target: p });
    for (const n of g.nodes) {
      assert.equal(n.flat, agg.flat[agg.nodes.name.indexOf(n.name)], n.name);
      assert.equal(n.cum, agg.cum[agg.nodes.name.indexOf(n.name)], n.name);
      assert.equal(n.baseCum, agg.baseCum![agg.nodes.name.indexOf(n.name)], n.name);
    }
    assert.equal(g.total, 400, 'percentages are of the base total, like pprof -diff_base');
  });

  it('focusNode keeps only the samples through that node', () => {
    const single = aggregate(p);
    const tiny = single.nodes.name.indexOf('main.tiny');
    const g = callGraph({ target: p }, { nodeFraction: 0, focusNode: tiny, nodes: single.nodes });
    assert.deepEqual(g.nodes.map((n) => n.name).sort(), ['main.alloc', 'main.main', 'main.tiny']);
    assert.equal(g.nodes.find((n) => n.name === 'main.main')!.cum, 2);
    assert.equal(g.total, 1002, 'percentages stay relative to the whole profile');
  });

  it('writes DOT whose strings cannot escape their quotes', () => {
    const evil = decodeProfile(encodeProfile({
      sampleTypes: HEAP_TYPES,
      functions: [{ id: 1, name: 'main.f"] N9 [label="x\\', file: '/a/"b".go' }, { id: 2, name: 'main.<b>g</b>\nh', file: '/a.go' }],
      locations: [{ id: 1, lines: [{ functionId: 1, line: 1 }] }, { id: 2, lines: [{ functionId: 2, line: 2 }] }],
      samples: [{ locations: [1, 2], values: v(10) }],
    }));
    const dot = callGraphDot(callGraph({ target: evil }, { granularity: 'lines' }));
    // Every double quote inside a label is escaped, so each attribute line has balanced quotes.
    for (const line of dot.split('\n').filter((l) => l.startsWith('N'))) {
      const unescaped = line.replace(/\\\\/g, '').replace(/\\"/g, '').match(/"/g) ?? [];
      assert.equal(unescaped.length % 2, 0, line);
    }
    assert.ok(!/N9 \[/.test(dot.replace(/label="(?:[^"\\]|\\.)*"/g, '')), 'the name did not become a node');
    assert.equal(dotString('a"b\\c\nd'), 'a\\"b\\\\c\\ld');
  });
});

describe('pprof formulas', () => {
  it('font size grows from 8 to 24 with √(flat/maxFlat)', () => {
    assert.deepEqual([0, 1, 25, 100].map((f) => nodeFontSize(f, 100)), [8, 10, 16, 24]);
    assert.equal(nodeFontSize(-100, 100), 24, 'shrinkage sizes like growth');
  });

  it('edge width is 1 + min(|w|·5/total, 5)', () => {
    assert.deepEqual([0, 19, 20, 100, 500].map((w) => edgeWidth(w, 100)), [1, 1, 2, 6, 6]);
  });

  it('entry and leaf nodes get the entropy bonus; NaN sorts like Go on amd64', () => {
    assert.equal(entropyScore(5, 10, [], []), 25, 'score 2 × cum 10 + flat 5');
    assert.equal(entropyScore(0, 10, [{ weight: 5 }, { weight: 5 }], [{ weight: 10 }]), 10, 'two equal callers: 1 bit');
    assert.equal(entropyScore(-3, -100, [{ weight: -100 }], [{ weight: -97 }]), 2 ** 63 - 3, 'negative self makes the entropy NaN');
  });

  it('shortName drops the package path like pprof', () => {
    assert.equal(shortName('github.com/acme/x/pkg.(*T).Method'), 'pkg.(*T).Method');
    assert.equal(shortName('bytes.growSlice'), 'bytes.growSlice');
  });
});
