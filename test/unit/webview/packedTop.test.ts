import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { aggregateDiff } from '../../../src/core/aggregate';
import { nodeStrings, packTopStrings, topColumns, unpackTopStrings } from '../../../src/core/topColumns';
import { loadProfileFileSync } from '../../../src/node/loadProfile';
import { normalizeTop } from '../../../webview/columns';

// The analysis worker sends the top table's names and files packed (src/core/text/packedText.ts);
// the panel restores them on receipt, whatever shape the buffers arrived in.

describe('the panel restores a packed top table', () => {
  it('a packed top table unpacks to the table, also when the buffers arrive as plain arrays (JSON transport)', () => {
    const dir = join(__dirname, '../../fixtures/profiles/default/bodies');
    const agg = aggregateDiff({ base: loadProfileFileSync(join(dir, 'base.pb.gz')), target: loadProfileFileSync(join(dir, 'new.pb.gz')) }, { granularity: 'lines' });
    const top = topColumns(agg, nodeStrings(agg.nodes));
    const packed = packTopStrings(top);
    assert.deepEqual(packed.names, []);
    assert.deepEqual(unpackTopStrings(packed).names, top.names);
    const viaJson = JSON.parse(JSON.stringify({ ...packed, packed: { names: { bytes: [...packed.packed!.names.bytes], ends: [...packed.packed!.names.ends] }, files: { bytes: [...packed.packed!.files.bytes], ends: [...packed.packed!.files.ends] } } }));
    const restored = normalizeTop(viaJson);
    assert.deepEqual(restored.names, top.names);
    assert.deepEqual(restored.files, top.files);
    assert.equal(restored.packed, undefined);
  });
});
