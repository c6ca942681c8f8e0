// Go symbol names and import paths, read by plain left-to-right scanning (profile strings are
// hostile input: no regular expression here may backtrack).
//
//   github.com/a/b.(*T).M          package github.com/a/b
//   main.main.func1                package main (a closure)
//   example.com/m.F[...]           package example.com/m (type arguments cut at the first '[')
//   gopkg.in/yaml%2ev3.Unmarshal   package gopkg.in/yaml%2ev3 (dots in the last element are escaped)

/** packagePath returns the Go import path of a symbol: `compress/flate.NewWriter` → `compress/flate`; the name itself when it has no dot. */
export function packagePath(fn: string): string {
  let end = fn.indexOf('[');
  if (end < 0) end = fn.length;
  const slash = end === 0 ? -1 : fn.lastIndexOf('/', end - 1);
  const dot = fn.indexOf('.', slash + 1);
  return dot < 0 || dot > end ? fn.slice(0, end) : fn.slice(0, dot);
}

/** firstElement returns an import path's first element: `github.com/a/b` → `github.com`. */
export function firstElement(pkg: string): string {
  const slash = pkg.indexOf('/');
  return slash < 0 ? pkg : pkg.slice(0, slash);
}

/** isDottedPath tells whether an import path's first element has a dot (a module hosted somewhere, not the standard library). */
export function isDottedPath(pkg: string): boolean {
  return firstElement(pkg).includes('.');
}

/** isUnder tells whether import path (or slash path) `p` is `root` or inside it. */
export function isUnder(p: string, root: string): boolean {
  return p === root || (p.length > root.length && p.startsWith(root) && p.charCodeAt(root.length) === 47 /* / */);
}

/** pathElements splits a slash path into its non-empty elements. */
export function pathElements(p: string): string[] {
  return p.split('/').filter((e) => e !== '');
}

// Hosts whose repositories sit two elements below the host (github.com/owner/repo); elsewhere a
// module path is at least host/name.
const DEEP_HOSTS: ReadonlySet<string> = new Set(['github.com', 'gitlab.com', 'bitbucket.org', 'codeberg.org', 'git.sr.ht']);

/** repositoryDepth is how many elements the shortest module path under this import path's host has (github.com/o/r: 3, golang.org/x/net: 3, example.com/m: 2, myapp: 1). */
export function repositoryDepth(pkg: string): number {
  const first = firstElement(pkg);
  if (!first.includes('.')) return 1;
  if (DEEP_HOSTS.has(first)) return 3;
  if (first === 'golang.org' && pkg.startsWith('golang.org/x/')) return 3;
  return 2;
}

/** shortFunction drops the import path's directories: `github.com/a/b.(*T).M` → `b.(*T).M`. */
export function shortFunction(fn: string): string {
  const pkg = packagePath(fn);
  const slash = pkg.lastIndexOf('/');
  return slash < 0 ? fn : fn.slice(slash + 1);
}

/** methodName returns what follows the package: `github.com/a/b.(*T).M` → `(*T).M`, `main.f.func1` → `f.func1`. */
export function memberName(fn: string): string {
  const pkg = packagePath(fn);
  return pkg.length < fn.length ? fn.slice(pkg.length + 1) : '';
}

/** STDLIB_ROOTS lists the first path element of every standard library package (Go ≤ 1.24). */
export const STDLIB_ROOTS: ReadonlySet<string> = new Set([
  'archive', 'bufio', 'builtin', 'bytes', 'cmd', 'cmp', 'compress', 'container', 'context', 'crypto',
  'database', 'debug', 'embed', 'encoding', 'errors', 'expvar', 'flag', 'fmt', 'go', 'hash', 'html',
  'image', 'index', 'internal', 'io', 'iter', 'log', 'maps', 'math', 'mime', 'net', 'os', 'path',
  'plugin', 'reflect', 'regexp', 'runtime', 'slices', 'sort', 'strconv', 'strings', 'structs', 'sync',
  'syscall', 'testing', 'text', 'time', 'unicode', 'unique', 'unsafe', 'vendor', 'weak',
]);

/** isStdlibPackage tells whether a package path belongs to the standard library (no dot in its first element, a known root). */
export function isStdlibPackage(pkg: string): boolean {
  const first = firstElement(pkg);
  return first !== '' && !first.includes('.') && STDLIB_ROOTS.has(first);
}
