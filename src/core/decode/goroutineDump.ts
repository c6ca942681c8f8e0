import * as l10n from '@vscode/l10n';
import { ProfileError } from '../errors';
import type { GoroutineDump, Profile } from '../model';
import { float64Column, uint32Column } from './columns';
import { FrameTable, type TextFrame, isDigits, splitFileLine } from './frameTable';

// A goroutine dump: `/debug/pprof/goroutine?debug=2` (runtime.Stack(buf, true)), and the tail of
// every Go panic, SIGQUIT or deadlock report:
//
//   goroutine 17 [chan receive, 12 minutes, locked to thread]:
//   main.(*feed).follow(0xc000010000, 0x3, 0xc00001e0c0)
//   	/app/feed.go:32 +0x158
//   main.(*feed).follow(...)                      ← an inlined frame: `(...)`, no +0x
//   	/app/feed.go:28
//   ...additional frames elided...
//   created by main.(*feed).subscribe in goroutine 1     (`in goroutine N` since Go 1.21)
//   	/app/feed.go:17 +0x5e
//
// Each goroutine becomes one sample of goroutine/count with value 1, its frames leaf first (Go
// already hides the runtime frames it parks in), plus what only a dump says: id, wait reason,
// minutes blocked, the `created by` frame and the creating goroutine. pprof cannot read dumps; a
// dump's total is its number of goroutines. Parsing is plain string scanning, linear in the input.

const CRASH_PREFIXES = ['panic: ', 'fatal error: ', 'SIGQUIT', 'SIGABRT', 'SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGTRAP', 'unexpected fault address', '[signal ', 'runtime: ', 'fatal: '];
const SNIFF_BYTES = 64 * 1024;

/** isGoroutineDump tells whether text is a goroutine dump: it starts with a goroutine header, or with a crash report's first line and has one within 64 KiB. */
export function isGoroutineDump(data: Uint8Array): boolean {
  const text = new TextDecoder('utf-8').decode(data.subarray(0, SNIFF_BYTES));
  let start = 0;
  while (start < text.length && (text[start] === '\n' || text[start] === '\r' || text[start] === ' ')) start++;
  const firstEnd = text.indexOf('\n', start);
  const first = text.slice(start, firstEnd < 0 ? text.length : firstEnd);
  if (parseHeader(first)) return true;
  if (!CRASH_PREFIXES.some((p) => first.startsWith(p))) return false;
  for (const line of text.split('\n')) if (parseHeader(line.trimEnd())) return true;
  return false;
}

/** GoroutineHeader is what `goroutine N [status, M minutes, locked to thread]:` says. */
export interface GoroutineHeader {
  id: number;
  waitReason: string;
  minutes: number;
}

/** parseHeader reads one `goroutine N [...]:` line (also Go 1.23's `goroutine N gp=… m=… [...]:`). */
export function parseHeader(line: string): GoroutineHeader | undefined {
  if (!line.startsWith('goroutine ') || !line.endsWith(']:')) return undefined;
  const open = line.indexOf(' [');
  if (open < 0) return undefined;
  const words = line.slice('goroutine '.length, open).split(' ');
  if (!isDigits(words[0])) return undefined;
  const items = line.slice(open + 2, line.length - 2).split(', ');
  let waitReason = items[0];
  if (waitReason.endsWith(' (scan)')) waitReason = waitReason.slice(0, -' (scan)'.length);
  let minutes = 0;
  for (const item of items.slice(1)) {
    const space = item.indexOf(' ');
    if (space > 0 && item.slice(space) === ' minutes' && isDigits(item.slice(0, space))) minutes = Number(item.slice(0, space));
  }
  return { id: Number(words[0]), waitReason, minutes };
}

/** decodeGoroutineDump parses a goroutine dump into the resolved model, one sample per goroutine. */
export function decodeGoroutineDump(data: Uint8Array): Profile {
  const lines = new TextDecoder('utf-8').decode(data).split('\n');
  const table = new FrameTable();
  const reasons = new Map<string, number>();
  const dump = {
    id: float64Column(), waitReason: uint32Column(), waitMinutes: float64Column(), createdBy: float64Column(), creator: float64Column(),
  };
  const start: number[] = [0];
  const index: number[] = [];
  let current: GoroutineHeader | undefined;
  let stack: number[] = [];
  let createdBy = -1;
  let creator = -1;
  let ancestors = false;

  const finish = (): void => {
    if (!current) return;
    index.push(...stack);
    start.push(index.length);
    dump.id.push(current.id);
    let r = reasons.get(current.waitReason);
    if (r === undefined) { r = reasons.size; reasons.set(current.waitReason, r); }
    dump.waitReason.push(r);
    dump.waitMinutes.push(current.minutes);
    dump.createdBy.push(createdBy);
    dump.creator.push(creator);
    current = undefined;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trimEnd();
    const header = parseHeader(line);
    if (header) {
      finish();
      current = header;
      stack = [];
      createdBy = -1;
      creator = -1;
      ancestors = false;
      continue;
    }
    if (!current || ancestors || line === '' || line.startsWith('\t') || line.startsWith(' ')) continue;
    // [originating from goroutine N]: starts the ancestors' stacks (GODEBUG=tracebackancestors).
    if (line.startsWith('[originating from goroutine ')) { ancestors = true; continue; }
    if (line.startsWith('...') || line.startsWith('goroutine running on other thread')) continue;
    const where = fileLine(lines[i + 1]);
    if (line.startsWith('created by ')) {
      let name = line.slice('created by '.length);
      const inG = name.lastIndexOf(' in goroutine ');
      if (inG > 0 && isDigits(name.slice(inG + ' in goroutine '.length))) {
        creator = Number(name.slice(inG + ' in goroutine '.length));
        name = name.slice(0, inG);
      }
      createdBy = table.frame({ function: name, file: where?.file ?? '', line: where?.line ?? 0 });
      if (where) i++;
      continue;
    }
    if (!where) continue; // a line of a crash report between goroutines, not a frame
    stack.push(table.frame({ function: functionName(line), file: where.file, line: where.line }));
    i++;
  }
  finish();
  if (dump.id.length === 0) throw new ProfileError('not-a-profile', l10n.t('no "goroutine N [status]:" header found'));
  return buildProfile(table, start, index, dump, [...reasons.keys()]);
}

function buildProfile(
  table: FrameTable, start: number[], index: number[],
  dump: { id: { finish(): Float64Array }; waitReason: { finish(): Uint32Array }; waitMinutes: { finish(): Float64Array }; createdBy: { finish(): Float64Array }; creator: { finish(): Float64Array } },
  waitReasons: string[],
): Profile {
  const count = start.length - 1;
  const { locations, functions } = table.tables();
  const goroutineDump: GoroutineDump = {
    id: dump.id.finish(),
    waitReason: dump.waitReason.finish(),
    waitReasons,
    waitMinutes: dump.waitMinutes.finish(),
    createdBy: Int32Array.from(dump.createdBy.finish()),
    creator: dump.creator.finish(),
  };
  return {
    format: 'goroutine-dump',
    gzipped: false,
    sampleTypes: [{ type: 'goroutine', unit: 'count' }],
    defaultSampleType: '',
    periodType: { type: 'goroutine', unit: 'count' },
    period: 1,
    timeNanos: 0,
    durationNanos: 0,
    comments: [],
    samples: { count, locationStart: Uint32Array.from(start), locationIndex: Uint32Array.from(index), values: new Float64Array(count).fill(1) },
    locations,
    functions,
    mappings: [],
    goroutineDump,
  };
}

/** functionName strips the argument list: `main.(*T).m(0xc0, {0x1, 0x2})` → `main.(*T).m`. */
function functionName(line: string): string {
  if (!line.endsWith(')')) return line;
  const open = line.lastIndexOf('(');
  return open > 0 ? line.slice(0, open) : line;
}

/** fileLine reads a frame's position line: `\t/path/file.go:32 +0x158` (maybe ` fp=… sp=… pc=…`). */
function fileLine(line: string | undefined): TextFrame | undefined {
  if (line === undefined || !(line.startsWith('\t') || line.startsWith(' '))) return undefined;
  let text = line.trim();
  for (const tail of [' +0x', ' fp=']) {
    const cut = text.indexOf(tail);
    if (cut > 0) text = text.slice(0, cut);
  }
  const where = splitFileLine(text);
  return where ? { function: '', ...where } : undefined;
}
