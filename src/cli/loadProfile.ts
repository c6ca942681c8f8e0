import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { decodeProfile, DEFAULT_MAX_BYTES } from '../core/decode';
import { ProfileError } from '../core/errors';
import type { Gunzip } from '../core/decode/gzip';
import { tooLargeError } from '../core/decode/gzip';
import type { Profile } from '../core/model';

/** nodeGunzip uses Node's zlib (about 2× faster than pako here), capped at maxBytes. */
export const nodeGunzip: Gunzip = (data, maxBytes) => {
  try {
    const out = gunzipSync(data, { maxOutputLength: maxBytes });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) throw tooLargeError(maxBytes);
    if (/unexpected end of file/i.test(err.message)) throw new ProfileError('truncated', 'gzip data is truncated (the stream ends early)');
    throw new ProfileError('corrupt', `gzip data is corrupt (${err.message})`);
  }
};

/** loadProfileFile reads and decodes a profile from disk; errors are ProfileErrors or fs errors. */
export function loadProfileFile(path: string, maxBytes = DEFAULT_MAX_BYTES): Profile {
  const st = statSync(path);
  if (st.isDirectory()) throw new ProfileError('not-a-profile', 'is a directory');
  if (st.size > maxBytes) throw tooLargeError(maxBytes);
  const data = readFileSync(path);
  return decodeProfile(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), { maxBytes, gunzip: nodeGunzip });
}
