import * as l10n from '@vscode/l10n';
import { existsSync } from 'node:fs';
import { mkdir, unlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { captureExtension, captureFileName } from '../core/capture';
import type { Profile } from '../core/model';

// Saving captured profiles (Node only, shared by the CLI and the extension). Files are created
// with the exclusive flag, so an existing file — ours or the user's — is never overwritten: a name
// that is taken gets a -1, -2, … suffix instead.

const MAX_ATTEMPTS = 1000;

/** saveCapture writes a captured body into `dir` (created if missing) as heap-YYYYMMDD-HHMMSS[-N].ext; returns the path. */
export async function saveCapture(dir: string, body: Uint8Array, profile: Profile, when: Date = new Date()): Promise<string> {
  await mkdir(dir, { recursive: true });
  const extension = captureExtension(profile);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const file = path.join(dir, captureFileName(when, extension, attempt));
    try {
      await writeFile(file, body, { flag: 'wx' });
      return file;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  throw new Error(l10n.t('{0}: {1} captures already share the name {2}', dir, MAX_ATTEMPTS, captureFileName(when, extension)));
}

/** BundlePart is one file of a capture bundle: its kind, bytes and extension. */
export interface BundlePart {
  kind: 'heap' | 'goroutine' | 'memstats';
  body: Uint8Array;
  extension: string;
}

/**
 * saveBundle writes a capture bundle's files under one timestamp (`heap-…`, `goroutine-…`,
 * `memstats-…`), choosing the first -N suffix that is free for all of them; nothing existing is
 * overwritten. Returns the paths in the order given.
 */
export async function saveBundle(dir: string, parts: BundlePart[], when: Date = new Date()): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const names = parts.map((p) => path.join(dir, captureFileName(when, p.extension, attempt, p.kind)));
    if (names.some((n) => existsSync(n))) continue;
    const written: string[] = [];
    try {
      for (let i = 0; i < parts.length; i++) {
        await writeFile(names[i], parts[i].body, { flag: 'wx' });
        written.push(names[i]);
      }
      return names;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // Another capture took a name between the check and the write: the files this call wrote
      // are its own, so they are removed before the next suffix is tried.
      await Promise.all(written.map((n) => unlink(n)));
    }
  }
  throw new Error(l10n.t('{0}: {1} captures already share the name {2}', dir, MAX_ATTEMPTS, captureFileName(when, parts[0].extension)));
}
