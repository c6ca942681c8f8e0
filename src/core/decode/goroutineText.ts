import * as l10n from '@vscode/l10n';
import { ProfileError } from '../errors';
import type { Profile } from '../model';
import { float64Column } from './columns';
import { FrameTable, type TextFrame, isDigits, splitFileLine } from './frameTable';

// Go's goroutine profile as text (`/debug/pprof/goroutine?debug=1`, runtime/pprof printCountProfile):
//
//   goroutine profile: total 998
//   750 @ 0x43a936 0x407dfb 0x407938 0x4f4e39 0x466e01
//   # labels: {"handler":"upload"}
//   #	0x4f4e38	main.(*feed).follow+0x158	/path/feed.go:32
//
// Each record is a count of goroutines with one stack (return PCs, leaf first). The `#` lines give
// each PC's frames at PC−1, innermost first, but Go's writer hides the leading runtime frames (where
// the goroutine parks: runtime.gopark, runtime.chanrecv…) and runtime.goexit; those PCs have no `#`
// line and are dropped here, so the leaf is the first named frame. pprof reads this form too
// (profile/legacy_profile.go parseGoCount): sample and period type goroutine/count, period 1, and
// the total is Σ counts. Parsing is plain string scanning, linear in the input.

const HEADER = 'goroutine profile: total ';

/** isGoroutineText tells whether data starts like `goroutine profile: total N`. */
export function isGoroutineText(data: Uint8Array): boolean {
  if (data.length < HEADER.length) return false;
  for (let i = 0; i < HEADER.length; i++) if (data[i] !== HEADER.charCodeAt(i)) return false;
  return true;
}

/** decodeGoroutineText parses the debug=1 text form into the resolved model. */
export function decodeGoroutineText(data: Uint8Array): Profile {
  const lines = new TextDecoder('utf-8').decode(data).split('\n');
  const declared = lines[0].trim().slice(HEADER.length);
  if (!isDigits(declared)) throw new ProfileError('not-a-profile', l10n.t('the first line is not "goroutine profile: total N": {0}', JSON.stringify(lines[0].slice(0, 60))));
  const table = new FrameTable();
  const counts = float64Column();
  const records: number[][] = [];
  let pending = new Map<number, TextFrame[]>();
  const flush = (): void => {
    const last = records[records.length - 1];
    if (!last || pending.size === 0) return;
    for (const loc of last) {
      if (table.framesOf(loc).length > 0) continue;
      const pc = Number(`0x${table.keyOf(loc)}`);
      const frames = pending.get(pc - 1) ?? pending.get(pc);
      if (frames) table.setFrames(loc, frames);
    }
    pending = new Map();
  };

  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const frame = parseFrameComment(line);
      if (frame) {
        const list = pending.get(frame.pc);
        if (list) list.push(frame.frame);
        else pending.set(frame.pc, [frame.frame]);
      }
      continue;
    }
    flush();
    const at = line.indexOf(' @');
    const count = at > 0 ? line.slice(0, at) : '';
    if (!isDigits(count)) throw new ProfileError('corrupt', l10n.t('line {0} is not a goroutine record ("N @ 0x…"): {1}', i + 1, JSON.stringify(line.slice(0, 60))));
    counts.push(Number(count));
    const locs: number[] = [];
    for (const word of line.slice(at + 2).split(' ')) {
      if (word === '') continue;
      const hex = word.startsWith('0x') ? word.slice(2) : '';
      if (hex === '' || hex.length > 16 || !isHex(hex)) throw new ProfileError('corrupt', l10n.t('line {0}: bad address {1}', i + 1, JSON.stringify(word.slice(0, 20))));
      const key = hex.toLowerCase();
      // pprof stores each return PC minus one ("land on the call").
      locs.push(table.get(key) ?? table.add(key, Number(`0x${key}`) - 1, []));
    }
    records.push(locs);
  }
  flush();
  return buildProfile(table, records, counts.finish());
}

function buildProfile(table: FrameTable, records: number[][], values: Float64Array): Profile {
  const start = new Uint32Array(records.length + 1);
  const index: number[] = [];
  records.forEach((locs, r) => {
    let first = 0;
    while (first < locs.length && table.framesOf(locs[first]).length === 0) first++;
    if (first === locs.length) first = 0;
    for (let k = first; k < locs.length; k++) index.push(locs[k]);
    start[r + 1] = index.length;
  });
  const { locations, functions } = table.tables();
  return {
    format: 'goroutine-text',
    gzipped: false,
    sampleTypes: [{ type: 'goroutine', unit: 'count' }],
    defaultSampleType: '',
    periodType: { type: 'goroutine', unit: 'count' },
    period: 1,
    timeNanos: 0,
    durationNanos: 0,
    comments: [],
    samples: { count: records.length, locationStart: start, locationIndex: Uint32Array.from(index), values },
    locations,
    functions,
    mappings: [],
  };
}

/** parseFrameComment reads `#<ws>0xPC<ws>pkg.Func+0xOFF<ws>/path/file.go:LINE`; labels and other comments give undefined. */
function parseFrameComment(line: string): { pc: number; frame: TextFrame } | undefined {
  const words = line.slice(1).split('\t').map((w) => w.trim()).filter((w) => w !== '');
  if (words.length < 3 || !words[0].startsWith('0x') || !isHex(words[0].slice(2))) return undefined;
  const plus = words[1].lastIndexOf('+0x');
  const name = plus > 0 ? words[1].slice(0, plus) : words[1];
  const where = splitFileLine(words.slice(2).join('\t'));
  if (!where) return undefined;
  return { pc: Number(words[0]), frame: { function: name, file: where.file, line: where.line } };
}

function isHex(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) | 32;
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}
