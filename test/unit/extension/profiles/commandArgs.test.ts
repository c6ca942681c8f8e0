import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { orderComparison } from '../../../../src/core/comparisonOrder';
import { comparisonArgs, fileArg, granularityArg, sampleTypeArg } from '../../../../src/extension/profiles/commandArgs';

// Commands take arguments so keybindings, tasks and tests drive them: a value is used as given, no
// argument asks, anything else is refused with a message naming what is accepted.

class FakeUri {
  constructor(readonly path: string) {}
}
const isUri = (x: unknown): x is FakeUri => x instanceof FakeUri;

describe('command arguments', () => {
  it('heaplens.chooseSampleType takes one of the session’s sample type names', () => {
    const types = ['inuse_space', 'inuse_objects', 'alloc_space', 'alloc_objects'];
    assert.deepEqual(sampleTypeArg('alloc_space', types), { kind: 'value', value: 'alloc_space' });
    assert.deepEqual(sampleTypeArg(undefined, types), { kind: 'ask' });
    const bad = sampleTypeArg('cpu', types);
    assert.equal(bad.kind, 'invalid');
    assert.match((bad as { message: string }).message, /"cpu" is not a sample type of this session \(it has inuse_space, inuse_objects, alloc_space, alloc_objects\)/);
    assert.equal(sampleTypeArg({ type: 'x' }, types).kind, 'invalid');
  });

  it('heaplens.chooseGranularity takes one of pprof’s granularities', () => {
    assert.deepEqual(granularityArg('lines'), { kind: 'value', value: 'lines' });
    assert.deepEqual(granularityArg(null), { kind: 'ask' });
    assert.match((granularityArg('line') as { message: string }).message, /use one of functions, filefunctions, files, lines, addresses/);
  });

  it('heaplens.compare takes (base, target) or { base, target }; the Explorer’s (clicked, selected[]) still asks', () => {
    const a = new FakeUri('/w/good.prof');
    const b = new FakeUri('/w/bad.prof');
    assert.deepEqual(comparisonArgs(a, b, isUri), { kind: 'value', value: { base: a, target: b } });
    assert.deepEqual(comparisonArgs('good.prof', 'file:///w/bad.prof', isUri), { kind: 'value', value: { base: 'good.prof', target: 'file:///w/bad.prof' } });
    assert.deepEqual(comparisonArgs({ base: 'good.prof', target: b }, undefined, isUri), { kind: 'value', value: { base: 'good.prof', target: b } });
    assert.deepEqual(comparisonArgs(a, [a, b], isUri), { kind: 'ask' }, 'Explorer selection');
    assert.deepEqual(comparisonArgs(undefined, undefined, isUri), { kind: 'ask' });
    assert.equal(comparisonArgs({ base: 'good.prof' }, undefined, isUri).kind, 'invalid');
  });

  it('a string names a URI or a path, relative to the workspace unless absolute', () => {
    assert.deepEqual(fileArg('file:///w/x.prof'), { kind: 'uri', uri: 'file:///w/x.prof' });
    assert.deepEqual(fileArg('vscode-remote://ssh/x.prof'), { kind: 'uri', uri: 'vscode-remote://ssh/x.prof' });
    assert.deepEqual(fileArg('profiles/bad.prof'), { kind: 'path', path: 'profiles/bad.prof', relative: true });
    assert.deepEqual(fileArg('/tmp/bad.prof'), { kind: 'path', path: '/tmp/bad.prof', relative: false });
    assert.deepEqual(fileArg('C:\\heap\\bad.prof'), { kind: 'path', path: 'C:\\heap\\bad.prof', relative: false });
  });

  it('named base and target are kept in that order, whatever their times', () => {
    const early = { t: 1 };
    const late = { t: 2 };
    assert.deepEqual(orderComparison(late, early, (p) => p.t, true), { base: late, target: early, reason: 'given' });
    assert.equal(orderComparison(late, early, (p) => p.t).base, early, 'without names the earlier one is the base');
  });
});
