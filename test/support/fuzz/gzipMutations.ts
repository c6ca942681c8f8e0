import { gunzipSync, gzipSync } from 'node:zlib';
import { type Random, concatBytes } from './random';

// Mutations of the gzip container (RFC 1952) around a profile: header flags and optional fields,
// header CRC, the CRC32/ISIZE trailer, concatenated members, trailing bytes, stored blocks.

/** GZIP_OPS names each gzip-container mutation. */
export const GZIP_OPS = ['flags', 'fextra', 'fname', 'fcomment', 'fhcrc', 'crc', 'isize', 'members', 'trailing', 'method', 'truncate', 'stored', 'deflate-flip'] as const;

const FHCRC = 2, FEXTRA = 4, FNAME = 8, FCOMMENT = 16;

/** inflateSeed returns the data a seed carries (gunzipped when it is gzip). */
export function inflateSeed(seed: Uint8Array): Uint8Array {
  return seed[0] === 0x1f && seed[1] === 0x8b ? new Uint8Array(gunzipSync(seed)) : seed;
}

/** gzipMember builds one gzip member of `data`: 10-byte header, deflate data, 8-byte trailer. */
function gzipMember(data: Uint8Array, level: number): { header: Uint8Array; deflate: Uint8Array; trailer: Uint8Array } {
  const gz = new Uint8Array(gzipSync(data, { level }));
  return { header: gz.slice(0, 10), deflate: gz.subarray(10, gz.length - 8), trailer: gz.slice(gz.length - 8) };
}

/** mutateGzip wraps `data` (a seed's inflated bytes) in a gzip member and mutates the container. */
export function mutateGzip(data: Uint8Array, r: Random, other: Uint8Array): { bytes: Uint8Array; op: string } {
  const op = r.pick(GZIP_OPS);
  const m = gzipMember(data, op === 'stored' ? 0 : r.pick([1, 1, 6, 9]));
  const { header, deflate, trailer } = m;
  const whole = () => concatBytes(header, deflate, trailer);
  const withField = (flag: number, field: Uint8Array) => {
    header[3] |= flag;
    return concatBytes(header, field, deflate, trailer);
  };
  const le32 = (v: number) => Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  switch (op) {
    case 'flags': // flags claiming fields that are not there, or reserved bits
      header[3] = r.chance(0.5) ? 1 << r.int(8) : r.int(256);
      return { bytes: whole(), op };
    case 'fextra': {
      const len = r.pick([0, 4, 255, 65535]);
      const declared = r.chance(0.6) ? len : r.int(65536);
      return { bytes: withField(FEXTRA, concatBytes(Uint8Array.of(declared & 0xff, declared >> 8), r.bytes(Math.min(len, 4096)))), op };
    }
    case 'fname': case 'fcomment': {
      const text = new TextEncoder().encode(r.chance(0.2) ? 'x'.repeat(100_000) : 'heap-\u202e.pb');
      const terminated = r.chance(0.8) ? concatBytes(text, Uint8Array.of(0)) : text;
      return { bytes: withField(op === 'fname' ? FNAME : FCOMMENT, terminated), op };
    }
    case 'fhcrc': {
      header[3] |= FHCRC;
      const good = crc32(header) & 0xffff;
      const crc = r.chance(0.5) ? good : good ^ (1 + r.int(0xfffe));
      return { bytes: concatBytes(header, Uint8Array.of(crc & 0xff, crc >> 8), deflate, trailer), op };
    }
    case 'crc':
      trailer[r.int(4)] ^= 1 + r.int(255);
      return { bytes: whole(), op };
    case 'isize': {
      const real = data.length >>> 0;
      trailer.set(le32(r.pick([0, 1, real >>> 1, real + 1, real * 2, 0xffffffff])), 4);
      return { bytes: whole(), op };
    }
    case 'members': {
      const second = r.pick([data, other, new Uint8Array(0)]);
      const extra = Array.from({ length: 1 + r.int(2) }, () => new Uint8Array(gzipSync(second)));
      return { bytes: concatBytes(whole(), ...extra), op };
    }
    case 'trailing': {
      const tail = r.pick([() => new Uint8Array(1 + r.int(4096)), () => r.bytes(1 + r.int(64)), () => Uint8Array.of(0x1f, 0x8b), () => Uint8Array.of(0x1f, 0x8b, 8, 0, 0)])();
      return { bytes: concatBytes(whole(), tail), op };
    }
    case 'method':
      header[r.pick([1, 2])] = r.pick([0, 7, 9, 0x8c, 0xff]);
      return { bytes: whole(), op };
    case 'truncate': {
      const all = whole();
      const cut = r.pick([r.int(10), 10 + r.int(Math.max(1, deflate.length)), all.length - 1 - r.int(8)]);
      return { bytes: all.subarray(0, Math.max(0, cut)), op };
    }
    case 'stored': // level 0: stored blocks whose LEN/NLEN can disagree
      if (deflate.length > 5 && r.chance(0.7)) deflate[1 + r.int(4)] ^= 1 << r.int(8);
      return { bytes: whole(), op };
    default:
      if (deflate.length > 0) deflate[r.int(deflate.length)] ^= 1 << r.int(8);
      return { bytes: whole(), op };
  }
}

let table: Uint32Array | undefined;

/** crc32 is the gzip CRC (for a correct FHCRC). */
export function crc32(data: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
