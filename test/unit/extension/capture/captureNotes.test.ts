import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as l10n from '@vscode/l10n';
import { paddingNote } from '../../../../src/extension/capture/captureNotes';

// A capture whose gzip body was padded with zeros is saved without them; the user is told which
// file and how many bytes, in the display language.

const URL = 'http://127.0.0.1:6060/debug/pprof/heap';
const saved = (file: string, trimmedPadding: number) => ({ url: URL, file: `/w/.heaplens/${file}`, trimmedPadding });

describe('the padding note', () => {
  it('says nothing when no capture was padded', () => {
    assert.equal(paddingNote([]), undefined);
    assert.equal(paddingNote([saved('heap-1.pb.gz', 0), saved('heap-2.pb.gz', 0)]), undefined);
  });

  it('names the file and the bytes removed', () => {
    assert.equal(paddingNote([saved('heap-20240501-101010.pb.gz', 512)]),
      `heaplens: ${URL} padded its gzip data with 512 zero bytes; removed them so go tool pprof can read heap-20240501-101010.pb.gz`);
  });

  it('sums a series into one message: how many snapshots, the bytes in all, the first file', () => {
    const note = paddingNote([saved('heap-1.pb.gz', 0), saved('heap-2.pb.gz', 100), saved('heap-3.pb.gz', 28)]);
    assert.equal(note, `heaplens: ${URL} padded its gzip data with zero bytes in 2 of 3 snapshots (128 bytes in all); removed them so go tool pprof can read heap-2.pb.gz and the others`);
  });

  it('is Chinese with the zh-cn bundle, keeping the URL, the file and the count', () => {
    l10n.config({ contents: JSON.parse(readFileSync(join(__dirname, '../../../../l10n/bundle.l10n.zh-cn.json'), 'utf8')) });
    try {
      const one = paddingNote([saved('heap-9.pb.gz', 7)]) ?? '';
      assert.match(one, /^heaplens：/);
      for (const part of [URL, 'heap-9.pb.gz', '7', 'go tool pprof']) assert.ok(one.includes(part), part);
      assert.match(one, /[\u4e00-\u9fff]/);
      const many = paddingNote([saved('heap-1.pb.gz', 3), saved('heap-2.pb.gz', 4)]) ?? '';
      for (const part of [URL, 'heap-1.pb.gz', '7', '2']) assert.ok(many.includes(part), part);
      assert.match(many, /[\u4e00-\u9fff]/);
    } finally {
      l10n.config({ contents: {} });
    }
  });
});
