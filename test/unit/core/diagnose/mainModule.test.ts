import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { packagePath, repositoryDepth, shortFunction } from '../../../../src/core/diagnose/goSymbol';
import { type FunctionSource, inferMainModule } from '../../../../src/core/diagnose/mainModule';
import { FrameClassifier, type FrameOrigin } from '../../../../src/core/diagnose/userFrame';

// The main module read from the profile alone: package main's files and the frames whose
// directory trees contain them, for every way a Go program's dependencies can be laid out.

const fn = (name: string, file: string): FunctionSource => ({ name, file });
const GO = '/usr/lib/go-1.19/src';
const runtime = [fn('runtime.main', `${GO}/runtime/proc.go`), fn('bytes.growSlice', `${GO}/bytes/buffer.go`)];

/** origins classifies frames with a classifier that infers the main module from `functions`. */
function origins(functions: FunctionSource[], binaries: string[] = []): (name: string, file: string) => FrameOrigin {
  const modules = inferMainModule(functions, binaries).modules;
  const c = new FrameClassifier(['/usr/lib/go-1.19'], { inferredModules: modules });
  return (name, file) => c.origin(name, file);
}

describe('Go symbol names', () => {
  const cases: Array<[string, string]> = [
    ['github.com/a/b.(*T).M', 'github.com/a/b'],
    ['main.main.func1', 'main'],
    ['main.(*watcher).subscribe', 'main'],
    ['example.com/m.F[...]', 'example.com/m'],
    ['example.com/m.Map[go.shape.string_0,go.shape.*example.com/x.T_1].Put', 'example.com/m'],
    ['gopkg.in/yaml%2ev3.Unmarshal', 'gopkg.in/yaml%2ev3'],
    ['compress/flate.NewWriter', 'compress/flate'],
    ['github.com/a/b.v2/c.F.func2.1', 'github.com/a/b.v2/c'],
    ['', ''],
  ];
  for (const [name, pkg] of cases) it(`${name || '(empty)'} is in package ${pkg || '(none)'}`, () => assert.equal(packagePath(name), pkg));
  it('repository depth and short names', () => {
    assert.equal(repositoryDepth('github.com/a/b/c'), 3);
    assert.equal(repositoryDepth('golang.org/x/net/http2'), 3);
    assert.equal(repositoryDepth('example.com/svc/x'), 2);
    assert.equal(repositoryDepth('myapp/x'), 1);
    assert.equal(shortFunction('github.com/valyala/fasthttp.(*Request).Body'), 'fasthttp.(*Request).Body');
  });
});

describe('main module inferred from the profile', () => {
  it('a replace folder inside the checkout is a dependency; the user\'s own packages are not', () => {
    const o = origins([...runtime,
      fn('main.badHandler', '/src/fastsvc/handlers.go'),
      fn('example.com/fastsvc/internal/store.Put', '/src/fastsvc/internal/store/store.go'),
      fn('github.com/valyala/fasthttp.(*Request).Body', '/src/fastsvc/third_party/fasthttp/http.go'),
      fn('github.com/valyala/bytebufferpool.(*ByteBuffer).ReadFrom', '/src/fastsvc/third_party/bytebufferpool/bytebuffer.go'),
    ]);
    assert.equal(o('main.badHandler', '/src/fastsvc/handlers.go'), 'user');
    assert.equal(o('example.com/fastsvc/internal/store.Put', '/src/fastsvc/internal/store/store.go'), 'user');
    assert.equal(o('github.com/valyala/fasthttp.(*Request).Body', '/src/fastsvc/third_party/fasthttp/http.go'), 'dependency');
    assert.equal(o('github.com/valyala/bytebufferpool.(*ByteBuffer).ReadFrom', '/src/fastsvc/third_party/bytebufferpool/bytebuffer.go'), 'dependency');
    assert.equal(o('bytes.growSlice', `${GO}/bytes/buffer.go`), 'stdlib');
  });

  it('a replace folder beside the checkout, named like the module\'s last element, is a dependency', () => {
    const o = origins([...runtime, fn('main.main', '/w/svc/main.go'), fn('example.org/lib.F', '/w/svc/lib/f.go'), fn('github.com/acme/lib.G', '/w/lib/g.go')]);
    assert.equal(o('example.org/lib.F', '/w/svc/lib/f.go'), 'dependency');
    assert.equal(o('github.com/acme/lib.G', '/w/lib/g.go'), 'dependency');
  });

  it('main in cmd/server and a checkout directory named differently from the module', () => {
    const fns = [...runtime, fn('main.main', '/ci/build/cmd/server/main.go'), fn('github.com/acme/service/internal/h.Serve', '/ci/build/internal/h/h.go')];
    assert.deepEqual(inferMainModule(fns).modules, ['github.com/acme/service']);
    const o = origins(fns);
    assert.equal(o('github.com/acme/service/store.Load', '/ci/build/store/load.go'), 'user', 'a sibling package of the same module');
    assert.equal(o('github.com/acme/other.F', '/ci/other/f.go'), 'dependency');
  });

  it('GOPATH layout: the user\'s and the dependency\'s packages both sit under GOPATH/src', () => {
    const fns = [...runtime,
      fn('main.main', '/gopath/src/github.com/acme/svc/main.go'),
      fn('github.com/acme/svc/store.Put', '/gopath/src/github.com/acme/svc/store/put.go'),
      fn('github.com/valyala/fasthttp.(*Request).Body', '/gopath/src/github.com/valyala/fasthttp/http.go'),
    ];
    assert.deepEqual(inferMainModule(fns).modules, ['github.com/acme/svc']);
    const o = origins(fns);
    assert.equal(o('github.com/acme/svc/store.Put', '/gopath/src/github.com/acme/svc/store/put.go'), 'user');
    assert.equal(o('github.com/valyala/fasthttp.(*Request).Body', '/gopath/src/github.com/valyala/fasthttp/http.go'), 'dependency');
  });

  it('-trimpath: main\'s directory is its import path, the module is its repository prefix', () => {
    const fns = [fn('runtime.main', 'runtime/proc.go'), fn('main.main', 'example.com/svc/cmd/server/main.go'),
      fn('example.com/svc/internal/h.Serve', 'example.com/svc/internal/h/h.go'), fn('github.com/valyala/fasthttp.(*Request).Body', 'github.com/valyala/fasthttp/http.go')];
    assert.deepEqual(inferMainModule(fns).modules, ['example.com/svc']);
    const o = origins(fns);
    assert.equal(o('example.com/svc/internal/h.Serve', 'example.com/svc/internal/h/h.go'), 'user');
    assert.equal(o('github.com/valyala/fasthttp.(*Request).Body', 'github.com/valyala/fasthttp/http.go'), 'dependency');
    assert.equal(o('github.com/valyala/fasthttp.(*Request).Body', 'github.com/valyala/fasthttp@v1.50.0/http.go'), 'dependency');
    assert.equal(o('runtime.main', 'runtime/proc.go'), 'stdlib');
  });

  it('a module without a host: its packages are the user\'s, other hostless packages are not', () => {
    const fns = [...runtime, fn('main.main', '/b/app/main.go'), fn('app/cache.Put', '/b/app/cache/put.go'), fn('mylib.F', '/b/mylib/f.go')];
    assert.deepEqual(inferMainModule(fns).modules, ['app']);
    const o = origins(fns);
    assert.equal(o('app/cache.Put', '/b/app/cache/put.go'), 'user');
    assert.equal(o('mylib.F', '/b/mylib/f.go'), 'dependency');
  });

  it('no package main in the profile: the binary\'s directory stands in', () => {
    const fns = [...runtime, fn('github.com/acme/svc/worker.Run', '/srv/svc/worker/run.go')];
    assert.deepEqual(inferMainModule(fns, ['/srv/svc/svc-bin']).modules, ['github.com/acme/svc']);
    assert.deepEqual(inferMainModule(fns, []).modules, []);
  });

  it('vendored and module-cache files never make a main module', () => {
    const fns = [...runtime, fn('main.main', '/b/app/main.go'), fn('github.com/x/y.F', '/b/app/vendor/github.com/x/y/f.go'), fn('github.com/x/z.F', '/root/go/pkg/mod/github.com/x/z@v1.0.0/f.go')];
    assert.deepEqual(inferMainModule(fns).modules, []);
  });

  it('--module overrides the inference', () => {
    const c = new FrameClassifier(['/usr/lib/go-1.19'], { modulePaths: ['github.com/valyala/fasthttp'], inferredModules: ['example.com/fastsvc'] });
    assert.equal(c.origin('github.com/valyala/fasthttp.(*Request).Body', '/src/fastsvc/third_party/fasthttp/http.go'), 'user');
    assert.equal(c.origin('example.com/fastsvc/x.F', '/src/fastsvc/x/f.go'), 'dependency');
  });
});
