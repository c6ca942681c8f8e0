import type { FunctionTable, LocationTable } from '../model';

// The location and function tables of the text importers that name their frames themselves
// (legacy heap text, goroutine text and dumps): a location is an address or a key, holding one or more frames
// (innermost first, like profile.proto's Location.line), functions interned by name and file.

/** TextFrame is one frame as a text profile prints it. */
export interface TextFrame {
  function: string;
  file: string;
  line: number;
}

/** FrameTable interns locations and functions and builds the model's columns. */
export class FrameTable {
  private readonly byKey = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly frames: TextFrame[][] = [];
  private readonly addresses: number[] = [];
  private readonly functions = new Map<string, number>();
  private readonly fnName: string[] = [];
  private readonly fnFile: string[] = [];

  /** get returns the location with this key, if any. */
  get(key: string): number | undefined {
    return this.byKey.get(key);
  }

  /** add creates a location under `key` with an address and its frames (filled in later if empty). */
  add(key: string, address: number, frames: TextFrame[]): number {
    const loc = this.frames.length;
    this.byKey.set(key, loc);
    this.keys.push(key);
    this.frames.push(frames);
    this.addresses.push(address);
    return loc;
  }

  /** frame returns the location of one named frame (function, file, line), creating it once. */
  frame(f: TextFrame): number {
    const key = `${f.function}\u0000${f.file}\u0000${f.line}`;
    return this.get(key) ?? this.add(key, 0, [f]);
  }

  /** keyOf returns the key a location was added under. */
  keyOf(loc: number): string {
    return this.keys[loc];
  }

  /** framesOf returns a location's frames (innermost first). */
  framesOf(loc: number): TextFrame[] {
    return this.frames[loc];
  }

  /** setFrames fills in the frames of a location known so far only by address. */
  setFrames(loc: number, frames: TextFrame[]): void {
    this.frames[loc] = frames;
  }

  /** tables builds the location and function columns. */
  tables(): { locations: LocationTable; functions: FunctionTable } {
    const n = this.frames.length;
    const lineStart = new Uint32Array(n + 1);
    const lineFunction: number[] = [];
    const lineNumber: number[] = [];
    for (let i = 0; i < n; i++) {
      for (const f of this.frames[i]) {
        lineFunction.push(this.functionFor(f.function, f.file));
        lineNumber.push(f.line);
      }
      lineStart[i + 1] = lineFunction.length;
    }
    return {
      locations: {
        count: n,
        id: Float64Array.from({ length: n }, (_, i) => i + 1),
        address: Float64Array.from(this.addresses),
        mappingIndex: new Int32Array(n).fill(-1),
        lineStart,
        lineFunction: Int32Array.from(lineFunction),
        lineNumber: Float64Array.from(lineNumber),
      },
      functions: {
        count: this.fnName.length,
        name: this.fnName,
        systemName: this.fnName,
        filename: this.fnFile,
        startLine: new Float64Array(this.fnName.length),
      },
    };
  }

  private functionFor(name: string, file: string): number {
    const key = `${name}\u0000${file}`;
    let f = this.functions.get(key);
    if (f === undefined) {
      f = this.fnName.length;
      this.functions.set(key, f);
      this.fnName.push(name);
      this.fnFile.push(file);
    }
    return f;
  }
}

/** splitFileLine splits `/path/file.go:32` (what follows is ignored by the caller) at its last colon. */
export function splitFileLine(text: string): { file: string; line: number } | undefined {
  const colon = text.lastIndexOf(':');
  if (colon <= 0) return undefined;
  const digits = text.slice(colon + 1);
  if (digits === '' || !isDigits(digits)) return undefined;
  return { file: text.slice(0, colon), line: Number(digits) };
}

/** isDigits tells whether s is one or more ASCII digits. */
export function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
