import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { SourceLineReader } from '../core/diagnose';

// Reading the user's source lines for the growth report (CLI; tests). A profile names files as
// the build machine saw them: absolute paths (read when they exist here), -trimpath import paths
// (`example.com/svc/handlers.go`), or absolute paths of another machine. The last two are
// resolved under the given roots (the working directory, --module directories): by a root's
// go.mod module path when the file starts with it, else by the candidate sharing the longest tail
// of path elements with the recorded path (at least the file and its directory; a tie between two
// different files reads nothing). Read only, never written; files over 4 MB are skipped.

const MAX_SOURCE_BYTES = 4 * 1024 * 1024;

/** sourceLineReader returns a reader of source lines resolved as above; results are cached per file. */
export function sourceLineReader(roots: readonly string[]): SourceLineReader {
  const modules = roots.flatMap((root) => {
    const path = moduleOf(root);
    return path ? [{ root, path }] : [];
  });
  const lines = new Map<string, string[] | null>();
  const read = (file: string): string[] | null => {
    let cached = lines.get(file);
    if (cached === undefined) {
      const resolved = resolveSource(file, roots, modules);
      cached = resolved === undefined ? null : readLines(resolved);
      lines.set(file, cached);
    }
    return cached;
  };
  return (file, line) => {
    const text = read(file);
    return text && line >= 1 && line <= text.length ? text[line - 1] : undefined;
  };
}

function readLines(path: string): string[] | null {
  try {
    if (statSync(path).size > MAX_SOURCE_BYTES) return null;
    return readFileSync(path, 'utf8').split(/\r?\n/);
  } catch {
    return null;
  }
}

/** moduleOf reads the module path from a directory's go.mod, if any. */
function moduleOf(dir: string): string | undefined {
  try {
    for (const line of readFileSync(join(dir, 'go.mod'), 'utf8').split('\n')) {
      const t = line.trim();
      if (t.startsWith('module ')) return t.slice(7).trim().replace(/^"|"$/g, '');
    }
  } catch {
    // no go.mod: suffix matching only
  }
  return undefined;
}

/** resolveSource finds a profile's file on this machine, or undefined. */
export function resolveSource(file: string, roots: readonly string[], modules: ReadonlyArray<{ root: string; path: string }> = []): string | undefined {
  const f = file.replace(/\\/g, '/');
  if (isAbsolute(f) && existsSync(f)) return f;
  for (const m of modules) if (f.startsWith(`${m.path}/`) && existsSync(join(m.root, f.slice(m.path.length + 1)))) return join(m.root, f.slice(m.path.length + 1));
  const parts = f.split('/').filter((p) => p !== '');
  let best: string | undefined;
  let bestScore = 1;
  let tie = false;
  for (const root of roots) {
    for (let k = 1; k <= parts.length; k++) {
      const candidate = join(root, ...parts.slice(parts.length - k));
      if (!existsSync(candidate)) continue;
      const score = sharedTail(candidate.replace(/\\/g, '/').split('/'), parts);
      if (score > bestScore) { best = candidate; bestScore = score; tie = false; } else if (score === bestScore && candidate !== best) tie = true;
    }
  }
  return tie ? undefined : best;
}

function sharedTail(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}
