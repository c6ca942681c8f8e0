import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GoFilesByName, profilePathsNamedLike } from '../../../src/core/goFilesByName';

describe('GoFilesByName', () => {
  it('lists the files of a base name as they are added and removed', () => {
    const files = new GoFilesByName();
    files.add('/w/a/server.go');
    files.add('/w/b/server.go');
    files.add('/w/a/server.go'); // reported twice (the index was building when the file appeared)
    files.add('/w/a/client.go');
    assert.deepEqual(files.named('server.go'), ['/w/a/server.go', '/w/b/server.go']);
    files.remove('/w/a/server.go');
    assert.deepEqual(files.named('server.go'), ['/w/b/server.go']);
    files.remove('/w/b/server.go');
    files.remove('/w/never/added.go');
    assert.deepEqual(files.named('server.go'), []);
    assert.deepEqual(files.named('client.go'), ['/w/a/client.go']);
  });
});

describe('profilePathsNamedLike', () => {
  it('picks the profile paths of the changed file\'s base name, any slashes, any case', () => {
    const paths = ['/home/ci/src/app/server.go', 'C:\\build\\app\\Server.go', '/home/ci/src/app/handler.go', 'server.go', '/x/server.go.orig'];
    assert.deepEqual(profilePathsNamedLike(paths, '/work/app/server.go'), ['/home/ci/src/app/server.go', 'C:\\build\\app\\Server.go', 'server.go']);
    assert.deepEqual(profilePathsNamedLike(paths, 'C:\\work\\HANDLER.GO'), ['/home/ci/src/app/handler.go']);
    assert.deepEqual(profilePathsNamedLike(paths, '/work/app/unrelated.go'), []);
  });
});
