import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadProfileFileSync } from '../../../src/node/loadProfile';
import {
  type SourceContext, escapeModulePath, expandMappingTarget, mappingForLocatedFile, normalizeProfilePath,
  parseGoModModulePath, resolveSource,
} from '../../../src/core/sourceResolution';

// Source resolution on real fixture profiles and on fixture workspaces built in a temp directory:
// the heapscenarios profiles were built in /tmp/heaplens-build/heapscenarios (default) and with
// -trimpath, never in the workspace they are resolved against here.

const FIXTURES = join(__dirname, '../../fixtures');
const SOURCES = join(FIXTURES, 'go/heapscenarios');

let root: string;

/** touch creates a file (and its folders) in the temp tree. */
function touch(path: string, text = ''): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/** contextFor builds a SourceContext over the real file system, indexing the workspace folders by base name. */
function contextFor(options: Partial<SourceContext> & { workspaceFolders: string[] }): SourceContext {
  const byName = new Map<string, string[]>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else byName.set(e.name, [...(byName.get(e.name) ?? []), p]);
    }
  };
  for (const f of options.workspaceFolders) walk(f);
  return {
    modules: [],
    mappings: [],
    exists: async (p) => (await stat(p).catch(() => undefined))?.isFile() ?? false,
    filesNamed: async (name) => byName.get(name) ?? [],
    ...options,
  };
}

/** profileFiles lists every distinct file name a profile's functions carry. */
function profileFiles(path: string): string[] {
  return [...new Set(loadProfileFileSync(path).functions.filename)].filter((f) => f !== '').sort();
}

before(() => {
  root = mkdtempSync(join(tmpdir(), 'heaplens-resolve-'));
});

after(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('source resolution of the heapscenarios fixture profiles', () => {
  let ws: string;
  let goroot: string;
  let defaultFiles: string[];
  let trimpathFiles: string[];

  before(() => {
    ws = join(root, 'checkout', 'heapscenarios-main');
    cpSync(SOURCES, ws, { recursive: true });
    defaultFiles = profileFiles(join(FIXTURES, 'profiles/default/bodies/new.pb.gz'));
    trimpathFiles = profileFiles(join(FIXTURES, 'profiles/trimpath/bodies/new.pb.gz'));
    // A Go root elsewhere than the build machine's (/usr/lib/go-1.19): the standard library files
    // the default build names, at their place under src/.
    goroot = join(root, 'sdk', 'go');
    for (const f of defaultFiles) {
      const at = f.indexOf('/src/');
      if (f.startsWith('/usr/lib/go') && at >= 0) touch(join(goroot, 'src', f.slice(at + 5)), '// stdlib\n');
    }
  });

  it('reads file names from both builds', () => {
    assert.ok(defaultFiles.includes('/tmp/heaplens-build/heapscenarios/handlers.go'), defaultFiles.join(', '));
    assert.ok(trimpathFiles.includes('example.com/heapscenarios/handlers.go'), trimpathFiles.join(', '));
    assert.ok(trimpathFiles.includes('bytes/buffer.go'), trimpathFiles.join(', '));
  });

  it('default build (another directory): program files by path suffix, the standard library through GOROOT', async () => {
    const ctx = contextFor({ workspaceFolders: [ws], goroot, modules: [{ path: 'example.com/heapscenarios', dir: ws }] });
    for (const f of defaultFiles) {
      const r = await resolveSource(f, ctx);
      assert.ok(r, `unresolved: ${f}`);
      if (f.startsWith('/tmp/heaplens-build/heapscenarios/')) {
        assert.equal(r.path, join(ws, f.slice('/tmp/heaplens-build/heapscenarios/'.length)), f);
        assert.equal(r.rule, 'suffix', f);
      } else {
        assert.equal(r.path, join(goroot, 'src', f.slice(f.indexOf('/src/') + 5)), f);
        assert.equal(r.rule, 'goroot', f);
      }
    }
  });

  it('-trimpath build: module paths through go.mod, standard library paths through GOROOT', async () => {
    const ctx = contextFor({ workspaceFolders: [ws], goroot, modules: [{ path: 'example.com/heapscenarios', dir: ws }] });
    let program = 0;
    for (const f of trimpathFiles) {
      const r = await resolveSource(f, ctx);
      assert.ok(r, `unresolved: ${f}`);
      if (f.startsWith('example.com/heapscenarios/')) {
        program++;
        assert.deepEqual(r, { path: join(ws, f.slice('example.com/heapscenarios/'.length)), rule: 'module' });
      } else {
        assert.deepEqual(r, { path: join(goroot, 'src', f), rule: 'goroot' });
      }
    }
    assert.ok(program >= 3, `program files in the trimpath profile: ${program}`);
  });

  it('without a Go root, standard library files stay unresolved rather than matching a workspace file by name', async () => {
    touch(join(ws, 'vendored', 'buffer.go'), 'package vendored\n');
    try {
      const ctx = contextFor({ workspaceFolders: [ws], modules: [{ path: 'example.com/heapscenarios', dir: ws }] });
      assert.equal(await resolveSource('bytes/buffer.go', ctx), undefined);
      assert.equal(await resolveSource('/usr/local/go/src/bytes/buffer.go', ctx), undefined);
      // …while a build directory named differently from the checkout still matches by name.
      assert.equal((await resolveSource('/srv/build/handlers.go', ctx))?.path, join(ws, 'handlers.go'));
    } finally {
      rmSync(join(ws, 'vendored'), { recursive: true, force: true });
    }
  });
});

describe('source resolution rules on fixture workspaces', () => {
  let app: string;
  let lib: string;
  let modcache: string;
  let ctx: SourceContext;

  before(() => {
    // Multi-root: an application with a nested module whose directory does not follow its path, and a library.
    app = join(root, 'multi', 'app');
    lib = join(root, 'multi', 'lib');
    touch(join(app, 'go.mod'), 'module example.com/app\n');
    touch(join(app, 'internal/store/db.go'));
    touch(join(app, 'plugins/p.go'));
    touch(join(app, 'third_party/plugins/go.mod'), 'module example.com/app/plugins\n');
    touch(join(app, 'third_party/plugins/p.go'));
    touch(join(app, 'x/util.go'));
    touch(join(app, 'y/util.go'));
    touch(join(lib, 'go.mod'), 'module example.com/lib // the shared library\n');
    touch(join(lib, 'y.go'));
    touch(join(lib, 'db.go'));
    modcache = join(root, 'gopath', 'pkg', 'mod');
    touch(join(modcache, 'github.com/!burnt!sushi/toml@v1.3.2/decode.go'));
    ctx = contextFor({
      workspaceFolders: [app, lib],
      gomodcache: modcache,
      modules: [
        { path: 'example.com/app', dir: app },
        { path: 'example.com/app/plugins', dir: join(app, 'third_party/plugins') },
        { path: 'example.com/lib', dir: lib },
      ],
    });
  });

  it('nested modules: the longest module path wins', async () => {
    assert.deepEqual(await resolveSource('example.com/app/plugins/p.go', ctx), { path: join(app, 'third_party/plugins/p.go'), rule: 'module' });
    assert.deepEqual(await resolveSource('example.com/app/internal/store/db.go', ctx), { path: join(app, 'internal/store/db.go'), rule: 'module' });
  });

  it('multi-root: each folder\'s module, also when the path carries a version', async () => {
    assert.deepEqual(await resolveSource('example.com/lib/y.go', ctx), { path: join(lib, 'y.go'), rule: 'module' });
    assert.deepEqual(await resolveSource('example.com/lib@v1.4.0/y.go', ctx), { path: join(lib, 'y.go'), rule: 'module' });
  });

  it('GOPATH-style absolute paths containing a module path', async () => {
    assert.deepEqual(await resolveSource('/home/ci/go/src/example.com/lib/y.go', ctx), { path: join(lib, 'y.go'), rule: 'module' });
  });

  it('absolute paths inside a workspace folder are taken as they are', async () => {
    const p = join(app, 'internal/store/db.go');
    assert.deepEqual(await resolveSource(p, ctx), { path: p, rule: 'workspace' });
  });

  it('another machine: the longest path suffix present in the workspace', async () => {
    // db.go exists in app (internal/store/db.go) and lib (db.go): app shares three components.
    assert.deepEqual(await resolveSource('/build/svc/internal/store/db.go', ctx), { path: join(app, 'internal/store/db.go'), rule: 'suffix' });
  });

  it('a tie between equally good suffix matches resolves to nothing instead of guessing', async () => {
    assert.equal(await resolveSource('/elsewhere/util.go', ctx), undefined);
  });

  it('module@version paths through the module cache, case-escaped as the cache stores them', async () => {
    const want = { path: join(modcache, 'github.com/!burnt!sushi/toml@v1.3.2/decode.go'), rule: 'modcache' };
    assert.deepEqual(await resolveSource('github.com/BurntSushi/toml@v1.3.2/decode.go', ctx), want);
    assert.deepEqual(await resolveSource('/root/go/pkg/mod/github.com/!burnt!sushi/toml@v1.3.2/decode.go', ctx), want);
  });

  it('user mappings come first, the longest prefix first', async () => {
    const mapped = { ...ctx, mappings: [{ from: '/build', to: '/nowhere' }, { from: '/build/svc', to: lib }] };
    assert.deepEqual(await resolveSource('/build/svc/db.go', mapped), { path: join(lib, 'db.go'), rule: 'mapping' });
  });

  it('a located file becomes a prefix mapping that also finds its neighbours', async () => {
    const m = mappingForLocatedFile('/build/svc/internal/store/db.go', join(app, 'internal/store/db.go'));
    assert.deepEqual(m, { from: '/build/svc', to: app });
    const mapped = { ...ctx, mappings: [m] };
    assert.deepEqual(await resolveSource('/build/svc/plugins/p.go', mapped), { path: join(app, 'plugins/p.go'), rule: 'mapping' });
  });

  it('a located file with another name maps just that file', () => {
    assert.deepEqual(mappingForLocatedFile('/build/gen/zz_generated.go', '/src/app/models.go'), { from: '/build/gen/zz_generated.go', to: '/src/app/models.go' });
  });

  it('Windows build paths are matched like slash paths', async () => {
    assert.deepEqual(await resolveSource('C:\\build\\svc\\internal\\store\\db.go', ctx), { path: join(app, 'internal/store/db.go'), rule: 'suffix' });
  });

  it('names that are not files resolve to nothing', async () => {
    for (const p of ['', '.', '/build/svc/', 'nosuchfile.go']) assert.equal(await resolveSource(p, ctx), undefined, p);
  });
});

describe('source resolution helpers', () => {
  it('parseGoModModulePath reads plain, quoted and commented module lines', () => {
    assert.equal(parseGoModModulePath('// header\nmodule example.com/app\n\ngo 1.22\n'), 'example.com/app');
    assert.equal(parseGoModModulePath('module "example.com/quoted" // note\n'), 'example.com/quoted');
    assert.equal(parseGoModModulePath('go 1.22\n'), undefined);
  });

  it('escapeModulePath follows the module cache case encoding', () => {
    assert.equal(escapeModulePath('github.com/BurntSushi/toml@v1.3.2'), 'github.com/!burnt!sushi/toml@v1.3.2');
  });

  it('expandMappingTarget expands ${workspaceFolder}, named folders and ~', () => {
    const folders = ['/w/app', '/w/lib'];
    assert.equal(expandMappingTarget('${workspaceFolder}/src', folders, '/home/me'), '/w/app/src');
    assert.equal(expandMappingTarget('${workspaceFolder:lib}', folders, '/home/me'), '/w/lib');
    assert.equal(expandMappingTarget('~/go/src', folders, '/home/me'), '/home/me/go/src');
  });

  it('normalizeProfilePath cleans and converts separators', () => {
    assert.equal(normalizeProfilePath('/build//app/./x/../y.go'), '/build/app/y.go');
    assert.equal(normalizeProfilePath('D:\\a\\b.go'), 'D:/a/b.go');
  });
});
