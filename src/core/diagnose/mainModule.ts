import type { Profile } from '../model';
import { isDottedPath, isStdlibPackage, isUnder, packagePath, pathElements, repositoryDepth } from './goSymbol';

// Which module is the program's own, read from the profile alone (no go.mod at hand). Package
// main is always the user's; its files tell where the main module lives:
//   - -trimpath: a file is recorded as `<import path of its package>/<file>.go`, so main's
//     directory *is* main's import path (`example.com/svc/cmd/server`); the module is its
//     repository prefix (`example.com/svc`).
//   - absolute paths: main sits in some directory D. A frame of package P whose file lives in
//     directory F ends with the same elements as P (a module's directory tree mirrors its import
//     paths, wherever it is checked out); stripping j shared trailing elements gives a module root
//     R = F − j for module path P − j. When R contains D, that module is the main module. A
//     dependency checked out beside or below the main module (replace folders, vendor/, GOPATH)
//     never has a root that contains main.
//   - no main frame at all: the directory of the profile's first mapping (the binary) stands in for D.
// Each frame costs one pass over its path elements; pairs already seen are skipped.

/** MainModuleEvidence is what the inference found: module paths and how each was found. */
export interface MainModuleEvidence {
  /** Import paths of the user's own module(s), e.g. `example.com/svc`. */
  modules: string[];
  /** Directories holding package main (absolute builds) or its import paths (-trimpath). */
  mainDirs: string[];
}

/** FunctionSource is one function name with its file, as the profiles give them. */
export interface FunctionSource {
  name: string;
  file: string;
}

/** functionSources lists the distinct (function, file) pairs of some profiles. */
export function functionSources(profiles: readonly Profile[]): FunctionSource[] {
  const seen = new Set<string>();
  const out: FunctionSource[] = [];
  for (const p of profiles) {
    const f = p.functions;
    for (let i = 0; i < f.count; i++) {
      const key = `${f.name[i]}\u0000${f.filename[i]}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ name: f.name[i], file: normalizePath(f.filename[i]) });
    }
  }
  return out;
}

/** inferMainModule finds the user's module paths from the functions of the profiles (see above). */
export function inferMainModule(functions: readonly FunctionSource[], binaries: readonly string[] = []): MainModuleEvidence {
  const modules = new Set<string>();
  const absMain = new Set<string>();
  const relMain = new Set<string>();
  for (const f of functions) {
    if (packagePath(f.name) !== 'main' || f.file === '' || f.file.startsWith('<')) continue;
    const dir = dirname(f.file);
    if (dir === '') continue;
    if (isAbsolutePath(f.file)) absMain.add(dir);
    else relMain.add(dir);
  }
  for (const d of relMain) {
    if (d === 'command-line-arguments') continue;
    modules.add(pathElements(d).slice(0, repositoryDepth(d)).join('/'));
  }
  if (absMain.size === 0) {
    for (const b of binaries) if (isAbsolutePath(normalizePath(b))) absMain.add(dirname(normalizePath(b)));
  }
  const mains = [...absMain];
  const seen = new Set<string>();
  for (const f of functions) {
    const pkg = packagePath(f.name);
    if (pkg === 'main' || !isAbsolutePath(f.file) || f.file.includes('/pkg/mod/') || f.file.includes('/vendor/')) continue;
    const dir = dirname(f.file);
    const key = `${pkg}\u0000${dir}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const m = moduleContaining(pkg, dir, mains);
    if (m !== undefined) modules.add(m);
  }
  return { modules: [...modules].sort(), mainDirs: [...absMain, ...relMain].sort() };
}

/** moduleContaining returns the module path of `pkg` (files in `dir`) whose root directory holds one of `mains`, or undefined. */
function moduleContaining(pkg: string, dir: string, mains: readonly string[]): string | undefined {
  if (mains.length === 0 || (!isDottedPath(pkg) && isStdlibPackage(pkg))) return undefined;
  const p = pathElements(pkg);
  const d = pathElements(dir);
  let shared = 0;
  while (shared < p.length && shared < d.length && p[p.length - 1 - shared] === d[d.length - 1 - shared]) shared++;
  const minDepth = repositoryDepth(pkg);
  // Largest j first: the shortest module path whose root holds main.
  for (let j = shared; j >= 0; j--) {
    if (p.length - j < minDepth) continue;
    const root = `${dir.startsWith('/') ? '/' : ''}${d.slice(0, d.length - j).join('/')}`;
    if (mains.some((m) => isUnder(m, root))) return p.slice(0, p.length - j).join('/');
  }
  return undefined;
}

/** normalizePath reads Windows paths with forward slashes. */
export function normalizePath(p: string): string {
  return p.includes('\\') ? p.replace(/\\/g, '/') : p;
}

/** isAbsolutePath tells whether a (normalized) path is absolute: `/x` or `C:/x`. */
export function isAbsolutePath(p: string): boolean {
  if (p.startsWith('/')) return true;
  const c = p.charCodeAt(0) | 32;
  return p.length > 2 && c >= 97 && c <= 122 && p[1] === ':' && p[2] === '/';
}

function dirname(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '' : file.slice(0, slash);
}
