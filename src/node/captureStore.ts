import { mkdir, writeFile } from 'node:fs/promises';
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
  throw new Error(`${dir}: ${MAX_ATTEMPTS} captures already share the name ${captureFileName(when, extension)}`);
}
