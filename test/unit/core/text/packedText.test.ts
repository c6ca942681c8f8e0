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
});
