import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { abbreviateName, displayName, isolateName } from '../../../../src/core/text/nameDisplay';

// Names from profiles shown in plain text: a bidi override inside must stay inside (the isolate is
// closed whatever the name holds), and a long name is cut around "…" without splitting a character.

const FSI = '\u2068';
const PDI = '\u2069';

/** closesAtEnd matches isolates like the Unicode bidi algorithm (X6a): the first one must close exactly at the last character. */
function closesAtEnd(s: string): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x2066 && c <= 0x2068) depth++;
    else if (c === 0x2069) {
      depth--;
      if (depth === 0 && i !== s.length - 1) return false; // our isolate closed early
      if (depth < 0) return false;
    }
  }
  return depth === 0;
}

describe('isolateName', () => {
  it('leaves names without right-to-left characters or bidi controls as they are', () => {
    for (const name of ['main.(*T).m', 'std::vector<int>', '<img src=x onerror=alert(1)>', '函数.名字', 'пакет.Функция']) assert.equal(isolateName(name), name);
  });

  it('wraps a name with an RTL override or RTL letters in FSI … PDI', () => {
    assert.equal(isolateName('main.\u202egnp.exe'), `${FSI}main.\u202egnp.exe${PDI}`);
    assert.equal(isolateName('main.שלום'), `${FSI}main.שלום${PDI}`);
    assert.equal(isolateName('main.مرحبا'), `${FSI}main.مرحبا${PDI}`);
  });

  it('drops a PDI that would close our isolate early and closes isolates the name leaves open', () => {
    const hostile = ['\u2069\u202e+1GB', 'a\u2067b', 'a\u2066\u2066b\u2069', '\u2069\u2069\u2068x', 'x\u2068y\u2069\u2069z\u202e'];
    for (const name of hostile) {
      const out = isolateName(name);
      assert.ok(out.startsWith(FSI) && out.endsWith(PDI), JSON.stringify(out));
      assert.ok(closesAtEnd(out), `isolate balanced for ${JSON.stringify(name)}: ${JSON.stringify(out)}`);
    }
    assert.equal(isolateName('\u2069\u202e+1GB'), `${FSI}\u202e+1GB${PDI}`);
    assert.equal(isolateName('a\u2067b'), `${FSI}a\u2067b${PDI}${PDI}`);
  });
});

describe('abbreviateName', () => {
  it('keeps short names and cuts long ones to the limit around …, end kept longer', () => {
    assert.equal(abbreviateName('main.f', 10), 'main.f');
    const long = `main.${'x'.repeat(3000)}.Method`;
    const short = abbreviateName(long, 48);
    assert.equal(short.length, 48);
    assert.ok(short.startsWith('main.') && short.endsWith('.Method') && short.includes('…'));
  });

  it('never splits a surrogate pair', () => {
    const name = '😀'.repeat(100);
    for (let max = 2; max < 30; max++) {
      const out = abbreviateName(name, max);
      assert.ok(out.length <= max, `${max}: ${out.length}`);
      assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(out), `lone surrogate at max ${max}`);
    }
  });

  it('displayName abbreviates first, then isolates', () => {
    const out = displayName(`\u202e${'y'.repeat(500)}`, 20);
    assert.ok(out.startsWith(`${FSI}\u202e`) && out.endsWith(PDI));
    assert.equal(out.length, 22);
  });
});
