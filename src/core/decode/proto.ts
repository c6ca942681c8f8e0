import type { Profile } from '../model';
import { readProfile } from './protoStream';
import { resolveProfile } from './protoResolve';

// profile.proto (github.com/google/pprof/proto/profile.proto) decoded in two steps: the wire pass
// into raw columns (protoRead.ts, fed whole or in chunks by protoStream.ts), then ids and strings
// resolved once (protoResolve.ts, pprof's `postDecode`), so nothing outside these files sees a
// string-table index or a wire id.

/** decodeProto decodes an uncompressed profile.proto message into the resolved model. */
export function decodeProto(buf: Uint8Array): Profile {
  const raw = readProfile(buf);
  return resolveProfile(raw);
}
