import { workspace } from '../vscodeStub';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import { withProfilePath } from '../../../../src/extension/profiles/profileLoader';

// The analysis process always reads a path: a local file's own, or a private temporary copy of a
// file from another file system, removed after the load whatever its outcome.

const uri = (scheme: string, path: string) => ({ scheme, path, fsPath: path, toString: () => `${scheme}://${path}` });

describe('withProfilePath', () => {
  it('a local file is read where it is', async () => {
    const seen = await withProfilePath(uri('file', '/data/bad_heap.prof') as never, async (path) => path);
    assert.equal(seen, '/data/bad_heap.prof');
  });

  it('another file system gives a private temporary copy, removed afterwards, also when the load fails', async () => {
    const bytes = new Uint8Array([0x1f, 0x8b, 1, 2, 3]);
    workspace.fs = { readFile: async () => bytes };
    let copy = '';
    const read = await withProfilePath(uri('vscode-vfs', '/repo/heap.prof') as never, async (path) => {
      copy = path;
      assert.equal(statSync(path).mode & 0o077, 0, 'only the user can read the copy');
      return readFileSync(path);
    });
    assert.deepEqual(new Uint8Array(read), bytes);
    assert.equal(existsSync(dirname(copy)), false, 'the copy and its folder are gone');
    await assert.rejects(withProfilePath(uri('vscode-vfs', '/repo/heap.prof') as never, async (path) => { copy = path; throw new Error('not a profile'); }), /not a profile/);
    assert.equal(existsSync(dirname(copy)), false);
    delete workspace.fs;
  });
});
