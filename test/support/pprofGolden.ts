import { readFileSync } from 'node:fs';

// Parses the text of `go tool pprof -top -unit=B` (the committed goldens and live runs) into rows,
// so tests can compare heaplens with pprof row by row.

/** GoldenRow is one row of pprof's -top output. */
export interface GoldenRow {
  flat: number;
  cum: number;
  name: string;
}

/** GoldenTop is a parsed -top report. */
export interface GoldenTop {
  type: string;
  total: number;
  rows: GoldenRow[];
}

/** parseValue reads pprof's -unit=B numbers: "52145955B", "-71442522B", "0", "8028B" (counts too). */
export function parseValue(s: string): number {
  const m = /^(-?\d+)B?$/.exec(s);
  if (!m) throw new Error(`not a pprof -unit=B value: ${s}`);
  return Number(m[1]);
}

/** parsePprofTop parses -top text; names lose pprof's "(inline)"/"(partial-inline)" suffixes. */
export function parsePprofTop(text: string): GoldenTop {
  const lines = text.split('\n');
  const type = /^Type: (\S+)/m.exec(text)?.[1] ?? '';
  const totalMatch = /of (-?\d+)B? total/.exec(text);
  if (!totalMatch) throw new Error('no "of N total" header');
  const header = lines.findIndex((l) => /^\s+flat\s+flat%\s+sum%\s+cum\s+cum%/.test(l));
  const rows: GoldenRow[] = [];
  for (const line of lines.slice(header + 1)) {
    if (line.trim() === '') continue;
    const m = /^\s*(\S+)\s+\S+%\s+\S+%\s+(\S+)\s+\S+%\s\s(.*)$/.exec(line);
    if (!m) throw new Error(`unparsed pprof row: ${line}`);
    rows.push({ flat: parseValue(m[1]), cum: parseValue(m[2]), name: m[3].replace(/ \((partial-)?inline\)$/, '') });
  }
  return { type, total: Number(totalMatch[1]), rows };
}

/** readGolden parses a golden file. */
export function readGolden(path: string): GoldenTop {
  return parsePprofTop(readFileSync(path, 'utf8'));
}
