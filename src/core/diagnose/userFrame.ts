import type { Profile } from '../model';

// Whose code is a frame? "Nearest user frame" means: walking from the allocation site towards the
// root, the first frame outside the Go standard library and outside dependencies. The profile
// itself carries what is needed to decide (pprof-semantics.md §9):
//   - the standard library lives under the build machine's GOROOT, which every Go heap profile
//     reveals through its `runtime` frames (/usr/lib/go-1.19/src/runtime/proc.go → /usr/lib/go-1.19);
//     in -trimpath builds standard library files are relative and start with a standard package
//     (`bytes/buffer.go`), while module files start with the module path (`example.com/app/x.go`);
//   - dependencies live in the module cache (`/pkg/mod/`), carry `@version`, or are vendored;
//   - package main is always the user's own.
// Explicit module paths (the CLI's --module, the extension's workspace modules) override inference.

/** FrameOrigin says whose code a frame is. */
export type FrameOrigin = 'user' | 'stdlib' | 'dependency' | 'unknown';

/** FrameOriginOptions tune the classification; all optional. */
export interface FrameOriginOptions {
  /**
   * Module paths (`example.com/app`) or absolute directories (`/build/app`) that hold the user's
   * code. When given, only frames in them (and package main) are user code.
   */
  modulePaths?: readonly string[];
  /** GOROOTs known in advance (e.g. a setting), used along with the ones inferred from the profiles. */
  goroots?: readonly string[];
}

/** STDLIB_ROOTS lists the first path element of every standard library package (Go ≤ 1.24). */
export const STDLIB_ROOTS: ReadonlySet<string> = new Set([
  'archive', 'bufio', 'builtin', 'bytes', 'cmd', 'cmp', 'compress', 'container', 'context', 'crypto',
  'database', 'debug', 'embed', 'encoding', 'errors', 'expvar', 'flag', 'fmt', 'go', 'hash', 'html',
  'image', 'index', 'internal', 'io', 'iter', 'log', 'maps', 'math', 'mime', 'net', 'os', 'path',
  'plugin', 'reflect', 'regexp', 'runtime', 'slices', 'sort', 'strconv', 'strings', 'structs', 'sync',
  'syscall', 'testing', 'text', 'time', 'unicode', 'unique', 'unsafe', 'vendor', 'weak',
]);

/** packagePath returns the Go package path of a symbol name: `compress/flate.NewWriter` → `compress/flate`. */
export function packagePath(fn: string): string {
  const slash = fn.lastIndexOf('/');
  const dot = fn.indexOf('.', slash + 1);
  return dot < 0 ? fn : fn.slice(0, dot);
}

/** isStdlibPackage tells whether a package path belongs to the standard library (no dot in its first element, a known root). */
export function isStdlibPackage(pkg: string): boolean {
  const first = pkg.split('/', 1)[0];
  return first !== '' && !first.includes('.') && STDLIB_ROOTS.has(first);
}

/** inferGoRoots finds the GOROOTs of the build machine(s) from standard library frames' absolute paths. */
export function inferGoRoots(profiles: readonly Profile[]): string[] {
  const roots = new Set<string>();
  for (const p of profiles) {
    const fns = p.functions;
    for (let i = 0; i < fns.count; i++) {
      const root = goRootOf(fns.name[i], normalizePath(fns.filename[i]));
      if (root !== undefined) roots.add(root);
    }
  }
  return [...roots];
}

/** goRootOf returns GOROOT when `file` is `<GOROOT>/src/<pkg>/<file>.go` for the standard package of `fn`. */
function goRootOf(fn: string, file: string): string | undefined {
  if (fn === '' || fn.startsWith('main.')) return undefined;
  const pkg = packagePath(fn);
  if (!isStdlibPackage(pkg)) return undefined;
  // reflect.unsafe_NewArray lives in runtime/malloc.go (linkname), so accept any standard package dir.
  const m = /^(.+)\/src\/([^@]+)\/[^/]+$/.exec(file);
  if (!m || !isStdlibPackage(m[2])) return undefined;
  return m[1];
}

/** FrameClassifier decides the origin of frames for one comparison; build it once, ask per frame. */
export class FrameClassifier {
  /** goroots are the standard library roots in use (known + inferred), without trailing slash. */
  readonly goroots: readonly string[];
  private readonly dirs: string[];
  private readonly modules: string[];
  private readonly cache = new Map<string, FrameOrigin>();

  constructor(goroots: readonly string[], options: FrameOriginOptions = {}) {
    this.goroots = goroots.map((r) => normalizePath(r).replace(/\/+$/, '')).filter((r) => r !== '');
    const paths = (options.modulePaths ?? []).map((m) => normalizePath(m.trim()).replace(/\/+$/, '')).filter((m) => m !== '');
    this.dirs = paths.filter(isAbsolute);
    this.modules = paths.filter((m) => !isAbsolute(m));
  }

  /** fromProfiles builds a classifier whose GOROOTs are inferred from the profiles (plus any given). */
  static fromProfiles(profiles: readonly Profile[], options: FrameOriginOptions = {}): FrameClassifier {
    return new FrameClassifier([...(options.goroots ?? []), ...inferGoRoots(profiles)], options);
  }

  /** origin classifies one frame by its function name and file. */
  origin(fn: string, file: string): FrameOrigin {
    const key = `${fn}\u0000${file}`;
    let o = this.cache.get(key);
    if (o === undefined) {
      o = this.classify(fn, normalizePath(file));
      this.cache.set(key, o);
    }
    return o;
  }

  /** isUser tells whether a frame is the user's own code (the shape `diagnose` takes as isUserFrame). */
  isUser(fn: string, file: string): boolean {
    return this.origin(fn, file) === 'user';
  }

  private classify(fn: string, file: string): FrameOrigin {
    if (fn === '' && file === '') return 'unknown';
    if (file === '<autogenerated>' || fn.startsWith('type..') || fn.startsWith('type:.')) return 'unknown';
    if (this.inUserModule(fn, file)) return 'user';
    if (fn.startsWith('main.')) return 'user';
    // GOROOT first: a toolchain fetched by `go` lives in the module cache (…/pkg/mod/golang.org/toolchain@…).
    if (this.isStdlib(fn, file)) return 'stdlib';
    if (isDependencyPath(file)) return 'dependency';
    // With explicit modules, anything else is somebody else's code.
    if (this.dirs.length > 0 || this.modules.length > 0) return 'dependency';
    return 'user';
  }

  private inUserModule(fn: string, file: string): boolean {
    for (const d of this.dirs) if (file === d || file.startsWith(`${d}/`)) return true;
    for (const m of this.modules) {
      if (file.startsWith(`${m}/`) || file.includes(`/${m}/`)) return true;
      if (fn.startsWith(`${m}.`) || fn.startsWith(`${m}/`)) return true;
    }
    return false;
  }

  private isStdlib(fn: string, file: string): boolean {
    for (const r of this.goroots) if (file.startsWith(`${r}/src/`)) return true;
    if (file !== '' && !isAbsolute(file)) {
      // -trimpath: `bytes/buffer.go` is standard, `example.com/app/x.go` or `myapp/x.go` is not.
      const dir = file.slice(0, Math.max(0, file.lastIndexOf('/')));
      return dir !== '' && isStdlibPackage(dir);
    }
    // An absolute path outside every known GOROOT is only standard when both name and path say so
    // (a GOROOT that no runtime frame revealed, e.g. a filtered profile).
    return file === '' ? isStdlibPackage(packagePath(fn)) : goRootOf(fn, file) !== undefined;
  }
}

/** isDependencyPath tells whether a file is in the module cache, a versioned module or a vendor tree. */
export function isDependencyPath(file: string): boolean {
  const f = normalizePath(file);
  // `vendor/…` relative paths are the standard library's own vendor tree (-trimpath), handled as stdlib.
  return f.includes('/pkg/mod/') || /@v\d/.test(f) || (f.includes('/vendor/') && !f.includes('/src/vendor/'));
}

/** UserFrameTest is the question diagnose asks of each frame. */
export type UserFrameTest = (fn: string, file: string) => boolean;

/** nearestUserFrame returns the index of the first user frame in `frames` (ordered leaf → root), or -1. */
export function nearestUserFrame(frames: ReadonlyArray<{ function: string; file: string }>, isUser: UserFrameTest): number {
  for (let i = 0; i < frames.length; i++) if (isUser(frames[i].function, frames[i].file)) return i;
  return -1;
}

function normalizePath(p: string): string {
  return p.replace(/\\/g, '/');
}

function isAbsolute(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:\//.test(p);
}
