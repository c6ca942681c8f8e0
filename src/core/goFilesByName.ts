import { baseName } from './sourceResolution';

// The workspace's .go files by base name, kept up to date as files come and go. A profile's file
// name can only ever resolve to a local file of the same base name (every resolution rule rewrites
// the directories, never the name), so a created or deleted file changes the answers for the
// profile paths of its base name and no other: the rest of the answers, and what was painted from
// them, stay as they are.

/** GoFilesByName indexes file paths (forward slashes) by base name. */
export class GoFilesByName {
  private readonly byName = new Map<string, Set<string>>();

  /** add records a file; a path already recorded is left as is. */
  add(path: string): void {
    const name = baseName(path);
    const files = this.byName.get(name);
    if (files) files.add(path); else this.byName.set(name, new Set([path]));
  }

  /** remove forgets a file. */
  remove(path: string): void {
    const name = baseName(path);
    const files = this.byName.get(name);
    if (files?.delete(path) && files.size === 0) this.byName.delete(name);
  }

  /** named lists the recorded files with this base name, in the order they were added. */
  named(name: string): string[] {
    return [...(this.byName.get(name) ?? [])];
  }
}

/**
 * profilePathsNamedLike returns the profile paths (as written: any slashes) whose base name is that
 * of `localPath`, ignoring case (a case-insensitive file system finds either).
 */
export function profilePathsNamedLike(profilePaths: Iterable<string>, localPath: string): string[] {
  const name = baseName(localPath.replace(/\\/g, '/')).toLowerCase();
  return [...profilePaths].filter((p) => baseName(p.replace(/\\/g, '/')).toLowerCase() === name);
}
