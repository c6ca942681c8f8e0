import { type Random, concatBytes } from './random';

// Format-blind mutations: what a flaky disk, a truncated download or a careless proxy does.

const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x0a, 0x23, 0x3a, 0x20];

/** BYTE_OPS names each byte-level mutation. */
export const BYTE_OPS = ['flip', 'overwrite', 'interesting', 'insert', 'delete', 'truncate', 'splice', 'duplicate'] as const;

/** mutateBytes applies one byte-level mutation to `src`; `other` is a second seed for splicing. */
export function mutateBytes(src: Uint8Array, r: Random, other: Uint8Array): { bytes: Uint8Array; op: string } {
  const op = r.pick(BYTE_OPS);
  const n = src.length;
  const at = r.int(n + 1);
  const out = Uint8Array.from(src);
  switch (op) {
    case 'flip':
      for (let k = 0, m = 1 + r.int(8); k < m && n > 0; k++) out[r.int(n)] ^= 1 << r.int(8);
      return { bytes: out, op };
    case 'overwrite':
      for (let k = 0, m = 1 + r.int(4); k < m && n > 0; k++) out[r.int(n)] = r.int(256);
      return { bytes: out, op };
    case 'interesting':
      for (let k = 0, m = 1 + r.int(3); k < m && n > 0; k++) out[r.int(n)] = r.pick(INTERESTING);
      return { bytes: out, op };
    case 'insert':
      return { bytes: concatBytes(src.subarray(0, at), r.bytes(1 + r.int(16)), src.subarray(at)), op };
    case 'delete':
      return { bytes: concatBytes(src.subarray(0, at), src.subarray(Math.min(n, at + 1 + r.int(64)))), op };
    case 'truncate':
      return { bytes: src.subarray(0, at), op };
    case 'splice': {
      const from = r.int(other.length + 1);
      return { bytes: concatBytes(src.subarray(0, at), other.subarray(from, from + r.int(4096))), op };
    }
    default: { // duplicate a range in place
      const len = 1 + r.int(256);
      return { bytes: concatBytes(src.subarray(0, at), src.subarray(at, at + len), src.subarray(at)), op };
    }
  }
}
