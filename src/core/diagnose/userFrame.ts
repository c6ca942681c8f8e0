import type { Profile } from '../model';
import { isDottedPath, isStdlibPackage, isUnder, packagePath } from './goSymbol';
import { functionSources, inferMainModule, isAbsolutePath, normalizePath } from './mainModule';

// Whose code is a frame? "Nearest user frame" means: walking from the allocation site towards the
// root, the first frame of the user's own code. Frames are classified by Go import path first and
// by file path second, so a dependency is known wherever its files live (module cache, vendor/,
// a `replace` folder, GOPATH, another machine):
//   1. --module / the workspace's go.mod modules, when given, are the user's code;
//   2. package main is always the user's;
//   3. the standard library: files under a GOROOT (revealed by every profile's `runtime` frames,
//      /usr/lib/go-1.19/src/runtime/proc.go → /usr/lib/go-1.19), or -trimpath's relative
//      `bytes/buffer.go`, or, without a file, a package with no dot in its first element that is a
//      standard root;
//   4. files in the module cache (`/pkg/mod/`, `@v…`) or a vendor tree are dependencies;
//   5. with explicit modules, everything else is somebody else's;
//   6. when the profile shows the main module (mainModule.ts), a package is the user's exactly when
//      it is inside it; otherwise a package whose first element has a dot is a dependency and one
//      without (`myapp/internal/x`, a module named without a host) is the user's.

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
  /** Module paths of the user's code inferred from the profiles (used when modulePaths is empty). */
  inferredModules?: readonly string[];
}

export { isStdlibPackage, packagePath, STDLIB_ROOTS } from './goSymbol';

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

/** goRootOf returns GOROOT when `file` is `<GOROOT>/src/<pkg dir>/<file>.go` for a standard package `fn`. */
function goRootOf(fn: string, file: string): string | undefined {
  if (fn === '' || fn.startsWith('main.')) return undefined;
  if (!isStdlibPackage(packagePath(fn))) return undefined;
  // The last `/src/` splits root and package directory (one scan; reflect.unsafe_NewArray lives in
  // runtime/malloc.go through a linkname, so any standard package directory is accepted).
  const at = file.lastIndexOf('/src/');
  if (at <= 0) return undefined;
  const rest = file.slice(at + 5);
  const slash = rest.lastIndexOf('/');
  if (slash <= 0 || rest.includes('@') || !isStdlibPackage(rest.slice(0, slash))) return undefined;
  return file.slice(0, at);
}

/** givenModulePaths are the module paths (or directories) the caller named, normalized. */
function givenModulePaths(options: FrameOriginOptions): string[] {
  return (options.modulePaths ?? []).map((m) => trimSlashes(normalizePath(m.trim()))).filter((m) => m !== '');
}

/** FrameClassifier decides the origin of frames for one comparison; build it once, ask per frame. */
export class FrameClassifier {
  /** goroots are the standard library roots in use (known + inferred), without trailing slash. */
  readonly goroots: readonly string[];
  /** inferredModules are the main module paths read from the profiles (empty when modules were given). */
  readonly inferredModules: readonly string[];
  private readonly dirs: string[];
  private readonly modules: string[];
  private readonly cache = new Map<string, FrameOrigin>();

  constructor(goroots: readonly string[], options: FrameOriginOptions = {}) {
    this.goroots = goroots.map((r) => trimSlashes(normalizePath(r))).filter((r) => r !== '');
    const paths = givenModulePaths(options);
    this.dirs = paths.filter(isAbsolutePath);
    this.modules = paths.filter((m) => !isAbsolutePath(m));
    this.inferredModules = paths.length > 0 ? [] : [...(options.inferredModules ?? [])];
  }

  /** fromProfiles builds a classifier whose GOROOTs and main module are inferred from the profiles (plus any given). */
  static fromProfiles(profiles: readonly Profile[], options: FrameOriginOptions = {}): FrameClassifier {
    const binaries = profiles.flatMap((p) => (p.mappings.length > 0 ? [p.mappings[0].file] : []));
    // Inferred modules count only when none are given: then the inference is not made at all (55 ms
    // over the 50 MB bench pair's 2 × 41,000 functions, which an opened file's annotations waited for).
    const inferred = options.inferredModules ?? (givenModulePaths(options).length > 0 ? [] : inferMainModule(functionSources(profiles), binaries).modules);
    return new FrameClassifier([...(options.goroots ?? []), ...inferGoRoots(profiles)], { ...options, inferredModules: inferred });
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
    if (fn === '' || file === '<autogenerated>' || fn.startsWith('type..') || fn.startsWith('type:.')) return 'unknown';
    if (this.inExplicitModule(fn, file)) return 'user';
    const pkg = packagePath(fn);
    if (pkg === 'main') return 'user';
    // GOROOT first: a toolchain fetched by `go` lives in the module cache (…/pkg/mod/golang.org/toolchain@…).
    if (this.isStdlib(pkg, file)) return 'stdlib';
    if (isDependencyPath(file)) return 'dependency';
    if (this.dirs.length > 0 || this.modules.length > 0) return 'dependency';
    if (this.inferredModules.length > 0) return this.inferredModules.some((m) => isUnder(pkg, m)) ? 'user' : 'dependency';
    return isDottedPath(pkg) ? 'dependency' : 'user';
  }

  private inExplicitModule(fn: string, file: string): boolean {
    for (const d of this.dirs) if (isUnder(file, d)) return true;
    for (const m of this.modules) {
      if (file.startsWith(`${m}/`) || file.includes(`/${m}/`)) return true;
      if (fn.startsWith(`${m}.`) || fn.startsWith(`${m}/`)) return true;
    }
    return false;
  }

  private isStdlib(pkg: string, file: string): boolean {
    for (const r of this.goroots) if (file.startsWith(`${r}/src/`)) return true;
    if (file !== '' && !isAbsolutePath(file)) {
      // -trimpath: `bytes/buffer.go` is standard, `example.com/app/x.go` or `myapp/x.go` is not.
      const dir = file.slice(0, Math.max(0, file.lastIndexOf('/')));
      return dir !== '' && isStdlibPackage(dir);
    }
    // An absolute path outside every known GOROOT is only standard when both name and path say so
    // (a GOROOT that no runtime frame revealed, e.g. a filtered profile).
    return file === '' ? isStdlibPackage(pkg) : goRootOf(pkg === '' ? '' : `${pkg}.x`, file) !== undefined;
  }
}

/** isDependencyPath tells whether a file is in the module cache, a versioned module or a vendor tree. */
export function isDependencyPath(file: string): boolean {
  const f = normalizePath(file);
  // `vendor/…` relative paths are the standard library's own vendor tree (-trimpath), handled as stdlib.
  return f.includes('/pkg/mod/') || hasVersionElement(f) || (f.includes('/vendor/') && !f.includes('/src/vendor/')) || f.startsWith('vendor/');
}

/** hasVersionElement finds `@v<digit>` (a module version in a path) by scanning. */
function hasVersionElement(f: string): boolean {
  for (let i = f.indexOf('@v'); i >= 0; i = f.indexOf('@v', i + 2)) {
    const c = f.charCodeAt(i + 2);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

/** UserFrameTest is the question diagnose asks of each frame. */
export type UserFrameTest = (fn: string, file: string) => boolean;

/** nearestUserFrame returns the index of the first user frame in `frames` (ordered leaf → root), or -1. */
export function nearestUserFrame(frames: ReadonlyArray<{ function: string; file: string }>, isUser: UserFrameTest): number {
  for (let i = 0; i < frames.length; i++) if (isUser(frames[i].function, frames[i].file)) return i;
  return -1;
}

function trimSlashes(p: string): string {
  let end = p.length;
  while (end > 1 && p.charCodeAt(end - 1) === 47) end--;
  return p.slice(0, end);
}
