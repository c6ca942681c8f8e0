import { gzipSync } from 'node:zlib';

// Deterministic, realistic Go heap profiles for the benchmark: a call tree of Go-like functions
// (module paths, methods, closures), deep stacks with shared prefixes, some inlined frames, four
// heap sample types. Written with a plain byte writer: at 150 MB of protobuf, per-field objects
// (protobufjs' Writer keeps one per op) cost more memory than the profile itself.

class ByteWriter {
  private buf: Uint8Array;
  len = 0;

  constructor(initial = 64) {
    this.buf = new Uint8Array(initial);
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  varint(v: number): void {
    this.ensure(10);
    let x = v;
    if (x < 0) {
      // two's complement 64-bit: write the low 63 bits of 2^64 + x, then the sign bit
      let lo = Number(BigInt.asUintN(64, BigInt(x)) & 0xffffffffn);
      let hi = Number(BigInt.asUintN(64, BigInt(x)) >> 32n);
      for (let i = 0; i < 9; i++) {
        this.buf[this.len++] = (lo & 0x7f) | 0x80;
        lo = (lo >>> 7) | ((hi & 0x7f) << 25);
        hi >>>= 7;
      }
      this.buf[this.len++] = lo & 0x01;
      return;
    }
    while (x >= 0x80) {
      this.buf[this.len++] = (x % 128) | 0x80;
      x = Math.floor(x / 128);
    }
    this.buf[this.len++] = x;
  }

  tag(field: number, wt: number): void { this.varint(field * 8 + wt); }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** message writes a length-delimited sub-message built by `body`. */
  message(field: number, body: (w: ByteWriter) => void): void {
    const inner = new ByteWriter();
    body(inner);
    this.tag(field, 2);
    this.varint(inner.len);
    this.bytes(inner.result());
  }

  result(): Uint8Array { return this.buf.subarray(0, this.len); }
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

/** GeneratedProfile is a generated profile: gzipped bytes and how many samples it has. */
export interface GeneratedProfile {
  gz: Uint8Array;
  samples: number;
  rawBytes: number;
}

/** UserFile puts every seventh function into one source file of the user's module, spread over its lines. */
export interface UserFile {
  /** The path written in the profile (e.g. /home/ci/src/example.com/app/bench/big.go). */
  path: string;
  /** Functions are named `${module}.fnN`. */
  module: string;
  /** How many lines the file has: locations land on lines 1..lines. */
  lines: number;
}

/**
 * generateHeapProfile writes a heap profile with `samples` stacks. `variant` shifts values so two
 * variants diff like two snapshots of one process (same functions, some sites grown). With
 * `userFile`, a seventh of the functions live in that file (for end-to-end tests that open it).
 */
export function generateHeapProfile(samples: number, variant = 0, seed = 42, userFile?: UserFile): GeneratedProfile {
  const rand = rng(seed);
  const pick = (n: number) => Math.floor(rand() * n);
  const strings: string[] = [''];
  const sIndex = new Map<string, number>([['', 0]]);
  const str = (s: string) => { let i = sIndex.get(s); if (i === undefined) { i = strings.length; strings.push(s); sIndex.set(s, i); } return i; };

  const nFunctions = Math.min(60000, 2000 + Math.floor(samples / 25));
  const modules = ['github.com/acme/payments', 'github.com/acme/ledger', 'google.golang.org/grpc', 'github.com/prometheus/client_golang', 'k8s.io/client-go', 'encoding/json', 'net/http', 'bytes', 'bufio'];
  const fnName: number[] = [];
  const fnFile: number[] = [];
  for (let f = 0; f < nFunctions; f++) {
    const mod = modules[f % modules.length];
    const pkg = `${mod}/internal/pkg${f % 97}`;
    const kind = f % 4;
    const name = kind === 0 ? `${pkg}.(*Service${f % 53}).Handle${f}` : kind === 1 ? `${pkg}.decode${f}` : kind === 2 ? `${pkg}.(*Batch${f % 31}).flush${f}.func1` : `${pkg}.New${f}`;
    const inUserFile = userFile !== undefined && f % 7 === 3;
    fnName.push(str(inUserFile ? `${userFile.module}.fn${f}` : name));
    fnFile.push(str(inUserFile ? userFile.path : `/home/ci/go/pkg/mod/${mod}@v1.${f % 9}.0/internal/pkg${f % 97}/file${f % 13}.go`));
  }
  // Locations: each a (function, line), a quarter with an inlined callee.
  const nLocations = Math.min(250000, nFunctions * 4);
  const w = new ByteWriter(1 << 20);
  for (const [t, u] of [['alloc_objects', 'count'], ['alloc_space', 'bytes'], ['inuse_objects', 'count'], ['inuse_space', 'bytes']]) {
    w.message(1, (m) => { m.tag(1, 0); m.varint(str(t)); m.tag(2, 0); m.varint(str(u)); });
  }
  // Stacks: a random walk down a fixed call tree, so stacks share prefixes like real programs.
  const children = (loc: number, k: number) => (loc * 7919 + k * 104729 + 13) % nLocations;
  const locIds = new Array<number>(64);
  for (let s = 0; s < samples; s++) {
    const depth = 8 + pick(32);
    let loc = pick(64);
    for (let d = 0; d < depth; d++) {
      locIds[depth - 1 - d] = loc + 1;
      loc = children(loc, pick(d < 4 ? 3 : 6));
    }
    const objects = 1 + pick(64);
    const size = objects * (16 << pick(8));
    const grown = variant > 0 && s % 50 === 0 ? 6 : 1;
    const inuseObjects = pick(3) === 0 ? 0 : Math.max(1, Math.floor(objects * grown / 2));
    w.message(2, (m) => {
      m.tag(1, 2);
      const ids = new ByteWriter();
      for (let d = 0; d < depth; d++) ids.varint(locIds[d]);
      m.varint(ids.len); m.bytes(ids.result());
      const vals = new ByteWriter();
      vals.varint(objects * grown); vals.varint(size * grown); vals.varint(inuseObjects); vals.varint(inuseObjects * (size / objects));
      m.tag(2, 2); m.varint(vals.len); m.bytes(vals.result());
    });
  }
  w.message(3, (m) => { m.tag(1, 0); m.varint(1); m.tag(5, 0); m.varint(str('/usr/local/bin/payments')); });
  for (let l = 0; l < nLocations; l++) {
    w.message(4, (m) => {
      m.tag(1, 0); m.varint(l + 1);
      m.tag(2, 0); m.varint(1);
      m.tag(3, 0); m.varint(0x400000 + l * 16);
      const f = l % nFunctions;
      const lineOf = (fn: number, dflt: number) => (userFile && fn % 7 === 3 ? 1 + ((l * 7919) % userFile.lines) : dflt);
      const inlined = (f + 1) % nFunctions;
      if (l % 4 === 0) m.message(4, (ln) => { ln.tag(1, 0); ln.varint(inlined + 1); ln.tag(2, 0); ln.varint(lineOf(inlined, 10 + (l % 200))); });
      m.message(4, (ln) => { ln.tag(1, 0); ln.varint(f + 1); ln.tag(2, 0); ln.varint(lineOf(f, 20 + (l % 300))); });
    });
  }
  for (let f = 0; f < nFunctions; f++) {
    w.message(5, (m) => {
      m.tag(1, 0); m.varint(f + 1);
      m.tag(2, 0); m.varint(fnName[f]); m.tag(3, 0); m.varint(fnName[f]);
      m.tag(4, 0); m.varint(fnFile[f]); m.tag(5, 0); m.varint(10);
    });
  }
  w.message(11, (m) => { m.tag(1, 0); m.varint(str('space')); m.tag(2, 0); m.varint(str('bytes')); });
  w.tag(9, 0); w.varint(1_700_000_000_000_000_000 + variant * 60_000_000_000);
  w.tag(12, 0); w.varint(524288);
  // Like Go's writer, the string table comes last (every string is interned by now).
  const enc = new TextEncoder();
  for (const s of strings) { w.tag(6, 2); const b = enc.encode(s); w.varint(b.length); w.bytes(b); }
  const raw = w.result();
  return { gz: new Uint8Array(gzipSync(raw, { level: 6 })), samples, rawBytes: raw.length };
}
