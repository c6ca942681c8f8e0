import { cleanPath } from './nodes';

// From a file name written into a profile to a file on this machine. Profiles name files as the
// build saw them (pprof-semantics.md §9): absolute paths of the build machine, `-trimpath` paths
// (`example.com/mod/pkg/x.go`, `bytes/buffer.go`), module cache paths (`…/pkg/mod/m@v1.2.3/x.go`).
// The rules are tried from the most to the least certain; the first candidate that exists wins.
// Pure: the file system is injected, so every rule is unit-tested on fixture workspaces.

/** GoModule is a go.mod found in the workspace: its module path and the folder holding it. */
export interface GoModule {
  path: string;
  dir: string;
}

/** PathMapping replaces a path prefix written in profiles (`from`) by a local folder (`to`). */
export interface PathMapping {
  from: string;
  to: string;
}

/** SourceContext is what resolution may look at; paths are absolute and '/'-separated. */
export interface SourceContext {
  workspaceFolders: readonly string[];
  modules: readonly GoModule[];
  /** Local Go root (`go env GOROOT` or the heaplens.goroot setting). */
  goroot?: string;
  /** Local module cache (`go env GOMODCACHE` or the heaplens.gomodcache setting). */
  gomodcache?: string;
  /** User mappings (setting and Locate File…), already expanded. */
  mappings: readonly PathMapping[];
  exists(path: string): Promise<boolean>;
  /** Workspace files whose base name is `basename`. */
  filesNamed(basename: string): Promise<readonly string[]>;
}

/** ResolutionRule names the rule that found a file (shown in tooltips so a wrong match can be understood). */
export type ResolutionRule = 'mapping' | 'workspace' | 'module' | 'goroot' | 'modcache' | 'suffix' | 'absolute';

/** Resolution is a local file for a profile path, and the rule that found it. */
export interface Resolution {
  path: string;
  rule: ResolutionRule;
}

/** normalizeProfilePath turns a profile's file name into a clean '/'-separated path (Windows builds write '\'). */
export function normalizeProfilePath(file: string): string {
  const slashed = file.replace(/\\/g, '/');
  return /^[A-Za-z]:\//.test(slashed) ? cleanPath(`/${slashed}`).slice(1) : cleanPath(slashed);
}

/** resolveSource finds the local file for a path written in a profile, or undefined. */
export async function resolveSource(profilePath: string, ctx: SourceContext): Promise<Resolution | undefined> {
  const p = normalizeProfilePath(profilePath);
  if (p === '' || p === '.' || p.endsWith('/')) return undefined;
  for (const [rule, candidates] of candidateRules(p, ctx)) {
    for (const path of candidates) {
      if (await ctx.exists(path)) return { path, rule };
    }
  }
  const suffix = await suffixMatch(p, ctx);
  if (suffix) return { path: suffix, rule: 'suffix' };
  if (isAbsolute(p) && (await ctx.exists(p))) return { path: p, rule: 'absolute' };
  return undefined;
}

/** candidateRules lists, rule by rule, the paths to try before the workspace-wide suffix search. */
function candidateRules(p: string, ctx: SourceContext): Array<[ResolutionRule, string[]]> {
  return [
    ['mapping', mappingCandidates(p, ctx.mappings)],
    ['workspace', workspaceCandidates(p, ctx.workspaceFolders)],
    ['module', moduleCandidates(p, ctx.modules)],
    ['goroot', ctx.goroot ? gorootCandidates(p, ctx.goroot) : []],
    ['modcache', ctx.gomodcache ? modcacheCandidates(p, ctx.gomodcache) : []],
  ];
}

/** mappingCandidates applies user mappings, the longest matching prefix first. */
export function mappingCandidates(p: string, mappings: readonly PathMapping[]): string[] {
  const out: string[] = [];
  const sorted = [...mappings].sort((a, b) => b.from.length - a.from.length);
  for (const m of sorted) {
    const from = normalizeProfilePath(m.from);
    if (from === '' || from === '.') continue;
    const rest = stripPrefix(p, from);
    if (rest !== undefined) out.push(joinPath(m.to, rest));
  }
  return out;
}

/** workspaceCandidates: an absolute path inside a workspace folder, or a relative path under each folder. */
function workspaceCandidates(p: string, folders: readonly string[]): string[] {
  if (isAbsolute(p)) return folders.some((f) => stripPrefix(p, f) !== undefined) ? [p] : [];
  return folders.map((f) => joinPath(f, p));
}

/**
 * moduleCandidates maps `-trimpath` paths (`example.com/mod/pkg/x.go`, also with `@version`) and
 * GOPATH-style paths (`/home/ci/go/src/example.com/mod/x.go`) onto the workspace's go.mod folders;
 * the longest module path wins, so nested modules resolve to the inner one.
 */
export function moduleCandidates(p: string, modules: readonly GoModule[]): string[] {
  const out: string[] = [];
  const sorted = [...modules].sort((a, b) => b.path.length - a.path.length);
  const unversioned = p.replace(/^([^@]*?)@v[^/]+\//, '$1/');
  for (const m of sorted) {
    for (const q of unversioned === p ? [p] : [p, unversioned]) {
      const rest = isAbsolute(q) ? afterSegment(q, m.path) : stripPrefix(q, m.path);
      if (rest !== undefined && rest !== '') out.push(joinPath(m.dir, rest));
    }
  }
  return out;
}

/**
 * gorootCandidates maps standard library files onto the local Go root: `-trimpath` builds write
 * `bytes/buffer.go`, others the build machine's `$GOROOT/src/bytes/buffer.go`. Every `/src/` in an
 * absolute path is tried, the longest remainder first, because the build's GOROOT is unknown.
 */
export function gorootCandidates(p: string, goroot: string): string[] {
  const src = joinPath(goroot, 'src');
  if (!isAbsolute(p)) return [joinPath(src, p)];
  const out: string[] = [];
  for (let i = p.indexOf('/src/'); i >= 0; i = p.indexOf('/src/', i + 1)) {
    out.push(joinPath(src, p.slice(i + '/src/'.length)));
  }
  return out;
}

/**
 * modcacheCandidates maps dependency files onto the local module cache: a build machine's
 * `…/pkg/mod/github.com/!org/x@v1.2.3/f.go` keeps its (already case-escaped) remainder; a
 * `-trimpath` path `github.com/Org/x@v1.2.3/f.go` is case-escaped as the module cache does.
 */
export function modcacheCandidates(p: string, gomodcache: string): string[] {
  const at = p.lastIndexOf('/pkg/mod/');
  if (at >= 0) return [joinPath(gomodcache, p.slice(at + '/pkg/mod/'.length))];
  if (isAbsolute(p)) return [];
  const m = /^([^@]+@[^/]+)\/(.+)$/.exec(p);
  return m ? [joinPath(gomodcache, `${escapeModulePath(m[1])}/${m[2]}`)] : [];
}

/** escapeModulePath is the module cache's case encoding: each upper-case letter becomes '!' and its lower case. */
export function escapeModulePath(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

/**
 * suffixMatch finds the workspace file sharing the longest tail of path components with `p`
 * (a profile from another machine: `/build/app/internal/x.go` → `<ws>/internal/x.go`). A tie is
 * ambiguous and resolves to nothing rather than to a guess; the user can Locate File… instead.
 */
async function suffixMatch(p: string, ctx: SourceContext): Promise<string | undefined> {
  const ranked = rankBySuffix(p, await ctx.filesNamed(baseName(p)));
  if (ranked.length === 0) return undefined;
  if (ranked.length > 1 && ranked[1].shared === ranked[0].shared) return undefined;
  if (ranked[0].shared === 1 && !nameAloneMayMatch(p)) return undefined;
  return ranked[0].path;
}

/**
 * nameAloneMayMatch tells whether a file may be matched by its base name alone. A build directory
 * is often named differently from the checkout (`/build/handlers.go` is `<ws>/handlers.go`), but a
 * standard library or module cache file (`bytes/buffer.go`, `/usr/local/go/src/bytes/buffer.go`,
 * `…/pkg/mod/…`) is never the workspace's own file of the same name.
 */
function nameAloneMayMatch(p: string): boolean {
  if (!isAbsolute(p)) return !p.includes('/');
  return !/\/pkg\/mod\//.test(p) && !/\/go[^/]*\/src\//i.test(p);
}

/** SuffixCandidate is a local file and how many trailing path components it shares with a profile path. */
export interface SuffixCandidate {
  path: string;
  shared: number;
}

/** rankBySuffix orders local files by the number of trailing components shared with `p`, most first. */
export function rankBySuffix(p: string, files: readonly string[]): SuffixCandidate[] {
  const want = normalizeProfilePath(p).split('/');
  return files
    .map((path) => ({ path, shared: sharedTail(want, path.split('/')) }))
    .filter((c) => c.shared > 0)
    .sort((a, b) => b.shared - a.shared || a.path.length - b.path.length || (a.path < b.path ? -1 : 1));
}

/**
 * mappingForLocatedFile turns "profile path P is local file L" into a prefix mapping that also
 * finds P's neighbours: the trailing components P and L share are dropped from both sides.
 */
export function mappingForLocatedFile(profilePath: string, localPath: string): PathMapping {
  const p = normalizeProfilePath(profilePath).split('/');
  const l = localPath.split('/');
  const shared = sharedTail(p, l);
  const from = p.slice(0, p.length - shared).join('/');
  const to = l.slice(0, l.length - shared).join('/');
  // Nothing left of the profile path (it was all a suffix of L): map the whole file instead.
  if (from === '' || to === '') return { from: p.join('/'), to: localPath };
  return { from, to };
}

/** expandMappingTarget replaces ${workspaceFolder}, ${workspaceFolder:name} and a leading ~ in a mapping's target. */
export function expandMappingTarget(to: string, folders: readonly string[], home: string | undefined): string {
  let out = to.replace(/\$\{workspaceFolder(?::([^}]+))?\}/g, (whole, name: string | undefined) => {
    const folder = name === undefined ? folders[0] : folders.find((f) => baseName(f) === name);
    return folder ?? whole;
  });
  if (home && (out === '~' || out.startsWith('~/'))) out = home + out.slice(1);
  return normalizeProfilePath(out);
}

/** parseGoModModulePath reads the module path from go.mod text, or undefined when there is none. */
export function parseGoModModulePath(text: string): string | undefined {
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    const m = /^module\s+(?:"([^"]+)"|`([^`]+)`|(\S+))$/.exec(line);
    if (m) return m[1] ?? m[2] ?? m[3];
  }
  return undefined;
}

/** baseName is the last component of a '/'-separated path. */
export function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function sharedTail(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n] && a[a.length - 1 - n] !== '') n++;
  return n;
}

function isAbsolute(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:\//.test(p);
}

/** stripPrefix returns what follows `prefix/` in `p` ('' when p is the prefix), or undefined. */
function stripPrefix(p: string, prefix: string): string | undefined {
  const pre = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  if (p === pre) return '';
  return p.startsWith(`${pre}/`) ? p.slice(pre.length + 1) : undefined;
}

/** afterSegment returns what follows the last `/segment/` inside an absolute path, or undefined. */
function afterSegment(p: string, segment: string): string | undefined {
  const at = p.lastIndexOf(`/${segment}/`);
  return at < 0 ? undefined : p.slice(at + segment.length + 2);
}

function joinPath(dir: string, rest: string): string {
  if (rest === '') return dir;
  return dir.endsWith('/') ? dir + rest : `${dir}/${rest}`;
}
