// Many strings as one UTF-8 buffer and their end offsets. Tens of thousands of function names sent
// as a string[] cost the extension host's thread: every string is copied out of the worker's
// message and then written again into the JSON VS Code sends to a webview (~0.5 s on a 61 MB
// comparison under load). As two typed arrays they move as buffers both times and are decoded
// where they are read.

/** PackedText is strings as UTF-8 bytes and where each one ends. */
export interface PackedText {
  bytes: Uint8Array;
  ends: Uint32Array;
}

/** packText encodes strings into one buffer (any string, NULs included: offsets delimit them). */
export function packText(strings: readonly string[]): PackedText {
  const encoder = new TextEncoder();
  let capacity = 0;
  for (const s of strings) capacity += s.length * 3;
  const bytes = new Uint8Array(capacity);
  const ends = new Uint32Array(strings.length);
  let at = 0;
  strings.forEach((s, i) => {
    at += encoder.encodeInto(s, bytes.subarray(at)).written;
    ends[i] = at;
  });
  return { bytes: bytes.slice(0, at), ends };
}

/**
 * unpackText decodes what packText encoded. Names are nearly always ASCII, where byte offsets are
 * character offsets: one decode of the whole buffer and a slice per string then replace a decoder
 * call per string (40,939 names took 120 ms of the panel's thread that way; in Node 55 → 28 ms).
 */
export function unpackText(packed: PackedText): string[] {
  const decoder = new TextDecoder();
  const out: string[] = new Array(packed.ends.length);
  if (isAscii(packed.bytes)) {
    const text = decoder.decode(packed.bytes);
    let at = 0;
    for (let i = 0; i < packed.ends.length; i++) {
      out[i] = text.slice(at, packed.ends[i]);
      at = packed.ends[i];
    }
    return out;
  }
  let from = 0;
  for (let i = 0; i < packed.ends.length; i++) {
    out[i] = decoder.decode(packed.bytes.subarray(from, packed.ends[i]));
    from = packed.ends[i];
  }
  return out;
}

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80) return false;
  return true;
}
