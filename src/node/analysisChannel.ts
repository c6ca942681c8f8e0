import { deserialize, serialize } from 'node:v8';

// Messages between the extension host and the analysis process go over Node's IPC channel in
// pieces. Node's "advanced" IPC serialization joins a message's bytes with Buffer.concat on every
// read from the pipe (64 KiB), so a message of n bytes costs about n²/128 KiB of copying on the
// receiving thread: the panel's top table of a 61 MB comparison (40,939 rows, a few MB) held the
// host's thread for over 100 ms, and 61 MB of bytes would take minutes. A message is serialized
// once and sent as parts that each fit in one read; the receiver joins them once.

/** PART_BYTES is the largest part: with the channel's own framing it fits in one 64 KiB read. */
export const PART_BYTES = 60 * 1024;

/** ChannelPart is one piece of a serialized message; `last` marks the message's end. */
export interface ChannelPart {
  part: Uint8Array;
  last: boolean;
}

/** sendInParts serializes `message` and hands its parts to `send`, in order. */
export function sendInParts(message: unknown, send: (part: ChannelPart) => void): void {
  const bytes = serialize(message);
  for (let at = 0; ; at += PART_BYTES) {
    const end = Math.min(bytes.length, at + PART_BYTES);
    send({ part: bytes.subarray(at, end), last: end === bytes.length });
    if (end === bytes.length) return;
  }
}

/** PartJoiner rebuilds messages from their parts, in the order they were sent. */
export class PartJoiner<T> {
  private parts: Uint8Array[] = [];

  /** push takes one part and returns the message it completes, if any. */
  push(piece: ChannelPart): T | undefined {
    this.parts.push(piece.part);
    if (!piece.last) return undefined;
    const parts = this.parts;
    this.parts = [];
    return deserialize(parts.length === 1 ? parts[0] : Buffer.concat(parts)) as T;
  }
}

/** isChannelPart tells a part from anything else that might arrive on the channel. */
export function isChannelPart(m: unknown): m is ChannelPart {
  return typeof m === 'object' && m !== null && (m as ChannelPart).part instanceof Uint8Array && typeof (m as ChannelPart).last === 'boolean';
}
