import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serialize } from 'node:v8';
import { type ChannelPart, PART_BYTES, PartJoiner, isChannelPart, sendInParts } from '../../../src/node/analysisChannel';

// Messages to and from the analysis process travel in parts of at most PART_BYTES and come out
// equal, whatever their size (typed arrays included), one after another on the same channel.

describe('analysis channel parts', () => {
  const roundTrip = (messages: unknown[]): { parts: ChannelPart[]; out: unknown[] } => {
    const parts: ChannelPart[] = [];
    for (const m of messages) sendInParts(m, (p) => parts.push(p));
    const joiner = new PartJoiner<unknown>();
    const out: unknown[] = [];
    for (const p of parts) {
      const m = joiner.push(p);
      if (m !== undefined) out.push(m);
    }
    return { parts, out };
  };

  it('a small message is one part', () => {
    const m = { type: 'query', id: 7, query: { kind: 'top' } };
    const { parts, out } = roundTrip([m]);
    assert.equal(parts.length, 1);
    assert.ok(parts[0].last);
    assert.deepEqual(out, [m]);
  });

  it('large messages are cut into parts no bigger than PART_BYTES and joined back, in order', () => {
    const flat = new Float64Array(300_000).map((_, i) => i * 1.5);
    const big = { type: 'answer', id: 1, answer: { flat, names: 'x'.repeat(500_000) } };
    const exact = { bytes: new Uint8Array(PART_BYTES * 3) };
    const messages = [big, { type: 'cancel', id: 2 }, exact];
    const { parts, out } = roundTrip(messages);
    assert.ok(parts.every((p) => p.part.length <= PART_BYTES));
    assert.equal(parts.filter((p) => p.last).length, 3, 'one last part per message');
    assert.ok(parts.length >= Math.ceil(serialize(big).length / PART_BYTES) + 2);
    assert.deepEqual(out, messages);
    assert.ok((out[0] as typeof big).answer.flat instanceof Float64Array);
  });

  it('isChannelPart tells parts from other values', () => {
    assert.ok(isChannelPart({ part: new Uint8Array(1), last: true }));
    for (const v of [null, undefined, 'x', { part: 'x', last: true }, { part: new Uint8Array(1) }, { type: 'load' }]) assert.equal(isChannelPart(v), false);
  });
});
