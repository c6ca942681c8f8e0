import type { Random } from './random';

// Mutations of legacy text profiles (`/debug/pprof/heap?debug=1`, goroutine debug=1): the header's
// numbers and sampler, record counts, `@` addresses, `#` frame lines, blank lines and sections.

/** TEXT_OPS names each legacy-text mutation. */
export const TEXT_OPS = ['header', 'sampler', 'count', 'address', 'frame', 'blank-lines', 'lines', 'memstats', 'line-endings'] as const;

const HUGE = ['0', '-1', '9007199254740993', '9223372036854775807', '99999999999999999999', '9'.repeat(400), '00000000000000000001', '+5', '1e3', ''];
const ADDRESSES = ['0x0', '0xffffffffffffffff', '0x10000000000000000', `0x${'f'.repeat(40)}`, '0xABCDEF', '0x', 'deadbeef', '0x-1', '0x1 0x1 0x1'];
const FRAMES = [
  '#\t0x4b06b5\tmain.f+0x95\t/a.go:12',
  '#\t0x4b06b5',
  '#\t0x4b06b5\tmain.f',
  '#\t0x4b06b5\tmain.f+0x95\t/a.go:',
  '#\t0x4b06b5\tmain.f+0x95 /a.go:99999999999999999999',
  `#\t0x4b06b5\t${'main.'.repeat(4000)}f+0x1\t${'/dir'.repeat(4000)}.go:1`,
  `#\t0x4b06b5\t${'+0x1'.repeat(5000)}\t/a.go:1`,
  '#\t0x4b06b5\tmain.\u202eevil\u001b[2J+0x1\t/a\u0000.go:3',
  '#',
  '# runtime.MemStats',
];
const SAMPLERS = ['heap_v2/0', 'heap_v2/524288', 'heap_v2/', 'heap/1', 'heap/0', 'heapz_v2/1', 'heapprofile', 'growthz', 'heap_v3/1', `heap_v2/${'5'.repeat(30)}`, 'heap_v2/-1', ''];

function numbersIn(line: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = -1;
  for (let i = 0; i <= line.length; i++) {
    const digit = i < line.length && line.charCodeAt(i) >= 48 && line.charCodeAt(i) <= 57;
    if (digit && start < 0) start = i;
    if (!digit && start >= 0) { out.push([start, i]); start = -1; }
  }
  return out;
}

function replaceNumber(line: string, r: Random): string {
  const nums = numbersIn(line);
  if (nums.length === 0) return line;
  const [a, b] = r.pick(nums);
  return line.slice(0, a) + r.pick(HUGE) + line.slice(b);
}

const isRecord = (l: string) => /^\s*-?\d/.test(l) && l.includes('@');
const isFrame = (l: string) => l.startsWith('#\t');

/** mutateText applies one line-level mutation to a legacy text profile. */
export function mutateText(data: Uint8Array, r: Random): { bytes: Uint8Array; op: string } {
  const lines = new TextDecoder('utf-8').decode(data).split('\n');
  const op = r.pick(TEXT_OPS);
  const pickLine = (test: (l: string) => boolean) => { const xs = lines.flatMap((l, i) => (test(l) ? [i] : [])); return xs.length > 0 ? r.pick(xs) : -1; };
  switch (op) {
    case 'header':
      lines[0] = replaceNumber(lines[0], r);
      break;
    case 'sampler': {
      const at = lines[0].indexOf('@');
      lines[0] = at >= 0 ? `${lines[0].slice(0, at + 1)} ${r.pick(SAMPLERS)}` : `${lines[0]} @ ${r.pick(SAMPLERS)}`;
      break;
    }
    case 'count': { // a record's counts: huge, negative, 400 digits, zero objects with bytes
      const i = pickLine(isRecord);
      if (i >= 0) lines[i] = r.chance(0.2) ? lines[i].replace(/^\s*\d+/, '0') : replaceNumber(lines[i], r);
      break;
    }
    case 'address': {
      const i = pickLine(isRecord);
      if (i < 0) break;
      const at = lines[i].indexOf('@');
      const words = lines[i].slice(at + 1).trim().split(' ');
      if (r.chance(0.2)) words.length = 0;
      else if (r.chance(0.2)) for (let k = 0; k < 2000; k++) words.push(words[0] ?? '0x1');
      else words[r.int(words.length + 1)] = r.pick(ADDRESSES);
      lines[i] = `${lines[i].slice(0, at + 1)} ${words.join(' ')}`;
      break;
    }
    case 'frame': { // a `#` line replaced, inserted, or its pc changed to one of another record
      const i = pickLine(isFrame);
      const frame = r.pick(FRAMES);
      if (i >= 0 && r.chance(0.6)) lines[i] = frame; else lines.splice(1 + r.int(lines.length), 0, frame);
      break;
    }
    case 'blank-lines': // the blank line between sections removed, or blank lines everywhere
      if (r.chance(0.5)) return { bytes: new TextEncoder().encode(lines.filter((l) => l.trim() !== '').join('\n')), op };
      return { bytes: new TextEncoder().encode(lines.join('\n\n\n')), op };
    case 'lines': { // a line dropped, duplicated or moved
      const i = 1 + r.int(Math.max(1, lines.length - 1));
      const k = r.int(3);
      if (k === 0) lines.splice(i, 1);
      else if (k === 1) lines.splice(i, 0, lines[i] ?? '');
      else lines.splice(r.int(lines.length), 0, ...lines.splice(i, 1));
      break;
    }
    case 'memstats': // the MemStats section early, or cut off, or a memory-map sentinel mid-file
      lines.splice(1 + r.int(lines.length), 0, r.pick(['# runtime.MemStats', '# Alloc = 99999999999999999999999', 'MAPPED_LIBRARIES:', '--- Memory map: ---', `# ${'x'.repeat(10000)} =`]));
      break;
    default: // CRLF, a missing final newline, or NUL padding
      return { bytes: new TextEncoder().encode(r.pick([() => lines.join('\r\n'), () => lines.join('\n').trimEnd(), () => `${lines.join('\n')}\u0000\u0000\u0000`])()), op };
  }
  return { bytes: new TextEncoder().encode(lines.join('\n')), op };
}
