import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { type Viz, instance } from '@viz-js/viz';
import { callGraph } from '../../../src/core/callgraph';
import { MAX_LABEL_LINE, MAX_NAME_LINES, callGraphDot, nodeLabel } from '../../../src/core/callgraphDot';
import { decodeProfile } from '../../../src/core/decode';
import { loadProfileFileSync } from '../../../src/node/loadProfile';
import { type GraphvizJson, graphGeometry, splinePath } from '../../../webview/graphLayout';
import { HEAP_TYPES, encodeProfile } from '../../support/profileWriter';

// The panel lays the call graph out with the same Graphviz build it ships (WebAssembly, run here in
// Node) and draws it from the geometry graphGeometry reads. Every node and edge must come back with
// a place, and the text Graphviz placed must be exactly the label lines we wrote — also for names
// full of quotes, backslashes and markup, which must arrive as plain text.

const FIX = join(__dirname, '../../fixtures/profiles/default');
let viz: Viz;

describe('call graph layout', () => {
  before(async () => { viz = await instance(); });

  it('places every node and edge of a real comparison, labels intact', () => {
    const graph = callGraph({ target: loadProfileFileSync(`${FIX}/compressors/new.pb.gz`), base: loadProfileFileSync(`${FIX}/compressors/base.pb.gz`) }, { sampleIndex: 'alloc_space' });
    const geo = graphGeometry(viz.renderJSON(callGraphDot(graph)) as GraphvizJson);
    assert.equal(geo.nodes.length, graph.nodes.length);
    assert.deepEqual(geo.nodes.map((n) => n.index).sort((a, b) => a - b), graph.nodes.map((_, i) => i));
    for (const box of geo.nodes) {
      assert.ok(box.width > 0 && box.height > 0 && box.x >= -1 && box.y >= -1 && box.x + box.width <= geo.width + 1 && box.y + box.height <= geo.height + 1);
      assert.deepEqual(box.texts.map((t) => t.text), nodeLabel(graph, graph.nodes[box.index]));
      for (const t of box.texts) assert.ok(t.y >= box.y && t.y <= box.y + box.height, 'text inside its box (y flipped)');
    }
    assert.deepEqual(geo.edges.map((e) => `${e.src}-${e.dst}`).sort(), graph.edges.map((e) => `${e.src}-${e.dst}`).sort());
    for (const e of geo.edges) {
      assert.match(e.path, /^M[\d.-]+,[\d.-]+(C[\d.,\s-]+)+$/);
      assert.ok(e.arrow.length >= 3, 'an arrowhead polygon');
    }
  });

  it('names with quotes, backslashes, newlines and markup come back as the same text', () => {
    const names = ['main.f"] N9 [label="pwned', 'main.back\\slash\\N', 'main.<script>alert(1)</script>', 'main.(*T[...]).m'];
    const p = decodeProfile(encodeProfile({
      sampleTypes: HEAP_TYPES,
      functions: names.map((name, i) => ({ id: i + 1, name, file: '/app/x.go' })),
      locations: names.map((_, i) => ({ id: i + 1, lines: [{ functionId: i + 1, line: i + 1 }] })),
      samples: [{ locations: [1, 2, 3, 4], values: [1, 100, 1, 100] }],
    }));
    const graph = callGraph({ target: p }, { nodeFraction: 0 });
    const geo = graphGeometry(viz.renderJSON(callGraphDot(graph)) as GraphvizJson);
    assert.equal(geo.nodes.length, 4, 'no extra node was injected');
    const placed = geo.nodes.map((n) => n.texts.map((t) => t.text));
    const written = geo.nodes.map((n) => nodeLabel(graph, graph.nodes[n.index]));
    assert.deepEqual(placed, written);
    assert.ok(placed.flat().includes('<script>alert(1)</script>'), 'markup stays literal text');
    assert.ok(placed.flat().some((t) => t.includes('back\\slash\\N')), 'backslashes survive');
  });

  it('a 3,000-character name or one with 500 dots makes an ordinary node; the full name stays in the graph', () => {
    const names = [`main.${'x'.repeat(3000)}`, Array.from({ length: 500 }, (_, i) => `p${i}`).join('.'), 'main.short'];
    const p = decodeProfile(encodeProfile({
      sampleTypes: HEAP_TYPES,
      functions: names.map((name, i) => ({ id: i + 1, name, file: '/app/x.go' })),
      locations: names.map((_, i) => ({ id: i + 1, lines: [{ functionId: i + 1, line: i + 1 }] })),
      samples: [{ locations: [1, 2, 3], values: [1, 100, 1, 100] }],
    }));
    const graph = callGraph({ target: p }, { nodeFraction: 0 });
    const geo = graphGeometry(viz.renderJSON(callGraphDot(graph)) as GraphvizJson);
    assert.equal(geo.nodes.length, 3);
    for (const box of geo.nodes) {
      assert.ok(box.width < 600, `node ${box.index} is ${box.width.toFixed(0)} pt wide`);
      assert.ok(box.height < 400, `node ${box.index} is ${box.height.toFixed(0)} pt tall`);
      for (const t of box.texts) assert.ok(t.text.length <= MAX_LABEL_LINE, t.text);
    }
    assert.ok(graph.nodes.some((n) => n.name === names[0]), 'the graph keeps the whole name for the tooltip');
    const dotted = geo.nodes.find((b) => graph.nodes[b.index].name === names[1])!;
    assert.ok(dotted.texts.length <= MAX_NAME_LINES + 2, 'name lines capped (+ flat and cum lines)');
    assert.ok(dotted.texts.some((t) => t.text === 'p499'), 'the last part of the name is kept');
  });

  it('splinePath writes one cubic segment per three control points', () => {
    assert.equal(splinePath([[0, 0], [1, 1], [2, 2], [3, 3], [4, 4], [5, 5], [6, 6]]), 'M0,0C1,1 2,2 3,3C4,4 5,5 6,6');
    assert.equal(splinePath([]), '');
  });
});
