import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { packText, unpackText } from '../../../../src/core/text/packedText';

// The top table's names and files cross the worker → host → panel boundaries packed as UTF-8
// buffers; what is unpacked must be exactly the strings, whatever they hold.

describe('packed text', () => {
  it('round-trips any strings: empty, NUL, CJK, emoji, lone surrogates become U+FFFD as UTF-8 must', () => {
    const strings = ['', 'main.main', 'a\u0000b', '包.函数', '🙂/x.go', 'x'.repeat(10_000), ''];
    assert.deepEqual(unpackText(packText(strings)), strings);
    assert.deepEqual(unpackText(packText(['\ud800'])), ['\ufffd']);
    assert.deepEqual(unpackText(packText([])), []);
  });

  it('round-trips ASCII-only tables (read with one decode) and tables with one non-ASCII name anywhere', () => {
    const ascii = Array.from({ length: 500 }, (_, i) => (i % 7 === 0 ? '' : `pkg${i}.F${'x'.repeat(i % 13)}\u0000`));
    assert.deepEqual(unpackText(packText(ascii)), ascii);
    for (const at of [0, 250, 499]) {
      const mixed = ascii.map((s, i) => (i === at ? `函数${s}` : s));
      assert.deepEqual(unpackText(packText(mixed)), mixed, `non-ASCII name at ${at}`);
    }
  });
});
