import * as l10n from '@vscode/l10n';
import { aggregate, aggregateDiff } from '../core/aggregate';
import { ProfileError, describeError } from '../core/errors';
import { formatPercent, formatValue } from '../core/format';
import type { Profile } from '../core/model';
import { GRANULARITIES, type Granularity } from '../core/nodes';
import { compileFilters } from '../core/filter';
import { type TopTable, topTable } from '../core/top';
import { terminalLines, terminalText } from '../core/text/terminal';
import { type ParsedArgs, UsageError, intFlag } from './args';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MAX_BYTES } from '../core/decode';
import { loadProfileFile } from '../node/loadProfile';
import { decodeInWorker } from '../node/workerDecode';

/** TOP_USAGE is the usage line of `heaplens top`. */
export const TOP_USAGE = 'heaplens top [--sample-index NAME] [--granularity functions|filefunctions|files|lines|addresses] [--diff-base BASE] [--focus RE] [--ignore RE] [--hide RE] [--show RE] [--nodecount N] [--nodefraction F] [--cum] [--json] PROFILE';
/** TOP_VALUED lists the flags of `top` that take a value. */
export const TOP_VALUED = ['sample-index', 'granularity', 'diff-base', 'focus', 'ignore', 'hide', 'show', 'nodecount', 'nodefraction', 'max-size-mb'] as const;
/** TOP_BOOLEANS lists the boolean flags of `top`. */
export const TOP_BOOLEANS = ['json', 'cum'] as const;

/** Decoder reads and decodes one profile file, capped at maxBytes (inflated). */
type Decoder = (path: string, maxBytes: number | undefined) => Promise<Profile>;

/** load reads a profile, turning any failure into one line that names the file. */
export async function load(path: string, args: ParsedArgs, decode: Decoder = loadProfileFile): Promise<Profile> {
  const mb = intFlag(args, 'max-size-mb');
  if (mb === 0) throw new UsageError(l10n.t('--max-size-mb must be at least 1'));
  try {
    return await decode(path, mb !== undefined ? mb * 1048576 : undefined);
  } catch (e) {
    if (e instanceof ProfileError && e.code === 'too-large') throw new CliError(`${describeError(path, e)}${l10n.t(' (--max-size-mb N raises it)')}`);
    throw new CliError(describeError(path, (e as NodeJS.ErrnoException).code === 'ENOENT' ? new Error(l10n.t('no such file')) : e));
  }
}

/** DECODE_WORKER is the decode worker bundled next to the CLI (dist/decodeWorker.js); absent when run from source. */
const DECODE_WORKER = join(__dirname, 'decodeWorker.js');

/**
 * loadBoth reads two profiles at once, the second in a decode worker when one is bundled, so the
 * two parse on two cores: `top --diff-base` on the 10 MB pair 1.55 → 1.3 s (quiet); the 61 MB pair,
 * whose decode already keeps both cores busy (zlib's inflate, the page toucher), gains nothing.
 * A failure names its file; the first path's first.
 */
export async function loadBoth(paths: [string, string], args: ParsedArgs, worker = DECODE_WORKER): Promise<[Profile, Profile]> {
  if (!existsSync(worker)) return [await load(paths[0], args), await load(paths[1], args)];
  const second = load(paths[1], args, (path, max) => decodeInWorker(worker, { path }, max ?? DEFAULT_MAX_BYTES));
  const first = load(paths[0], args);
  const [a, b] = await Promise.allSettled([first, second]);
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  return [a.value, b.value];
}

/** CliError is a failure already phrased for the user (one line, names the file). */
export class CliError extends Error {}

/** runTop implements `heaplens top`; returns the text to print. */
export async function runTop(args: ParsedArgs): Promise<string> {
  if (args.positionals.length !== 1) throw new UsageError(l10n.t('top takes exactly one PROFILE'));
  const path = args.positionals[0];
  const granularity = (args.flags.get('granularity') ?? 'functions') as Granularity;
  if (!GRANULARITIES.includes(granularity)) throw new UsageError(l10n.t('--granularity must be one of {0}', GRANULARITIES.join(', ')));
  const fraction = args.flags.has('nodefraction') ? Number(args.flags.get('nodefraction')) : 0;
  if (!(fraction >= 0 && fraction <= 1)) throw new UsageError(l10n.t('--nodefraction must be a number between 0 and 1'));
  const filters = { focus: args.flags.get('focus'), ignore: args.flags.get('ignore'), hide: args.flags.get('hide'), show: args.flags.get('show') };
  try { compileFilters(filters); } catch (e) { throw new UsageError((e as Error).message); }
  const basePath = args.flags.get('diff-base');
  const [profile, base] = basePath !== undefined ? await loadBoth([path, basePath], args) : [await load(path, args), undefined];
  const options = {
    granularity,
    sampleIndex: args.flags.get('sample-index'),
    filters,
  };
  const agg = wrap(path, () => (base ? aggregateDiff({ base, target: profile }, options) : aggregate(profile, options)));
  const table = topTable(agg, { nodeCount: intFlag(args, 'nodecount'), nodeFraction: fraction, sort: args.flags.has('cum') ? 'cum' : 'flat' });
  if (args.flags.has('json')) return `${JSON.stringify(topJson(agg.sampleType.type, agg.sampleType.unit, granularity, table, !!base))}\n`;
  return topText(path, basePath, agg.sampleType.type, agg.sampleType.unit, table, !!base);
}

function wrap<T>(path: string, f: () => T): T {
  try { return f(); } catch (e) { throw new CliError(describeError(path, e)); }
}

/** topJson is the --json shape: one object; file/line only at granularities that have them. */
export function topJson(sampleType: string, unit: string, g: Granularity, t: TopTable, diff: boolean) {
  const withFile = g !== 'functions';
  const withLine = g === 'lines' || g === 'addresses';
  return {
    sampleType,
    unit,
    total: t.total,
    rows: t.rows.map((r) => ({
      name: r.name || r.label,
      ...(withFile ? { file: r.file } : {}),
      ...(withLine ? { line: r.line } : {}),
      flat: r.flat,
      cum: r.cum,
      ...(diff ? { baseFlat: r.baseFlat, baseCum: r.baseCum } : {}),
    })),
  };
}

/** topText renders the table like `go tool pprof -top`, with base/new/Δ% columns when comparing; every name through terminalText. */
export function topText(path: string, basePath: string | undefined, type: string, unit: string, t: TopTable, diff: boolean): string {
  const out: string[] = [];
  // pprof's header lines and column names (flat, flat%, sum%, cum, cum%) in the display language's
  // words for the header; the column names stay as pprof writes them.
  out.push(basePath ? l10n.t('File: {0} (diff base: {1})', terminalText(path), terminalText(basePath)) : l10n.t('File: {0}', terminalText(path)));
  out.push(l10n.t('Type: {0}', terminalText(type)));
  const shown = [formatValue(t.shownFlat, unit), formatPercent(t.shownFlat, t.total).trim(), formatValue(t.total, unit)];
  out.push(diff ? l10n.t('Showing nodes accounting for {0}, {1} of {2} base total', ...shown) : l10n.t('Showing nodes accounting for {0}, {1} of {2} total', ...shown));
  if (t.dropped > 0) out.push(l10n.t('Dropped {0} nodes', t.dropped));
  const head = ['flat', 'flat%', 'sum%', 'cum', 'cum%'];
  if (diff) head.push(l10n.t('base'), l10n.t('new'), 'Δ%');
  // One pass builds the cells and their widths: 40,000-row tables are common (pprof prints every node).
  const columns = head.length;
  const cells: string[] = [];
  const names: string[] = [];
  const widths = head.map(columnWidth);
  const cellWidths: number[] = [];
  let sum = 0;
  for (const r of t.rows) {
    sum += r.flat;
    const row = [formatValue(r.flat, unit), formatPercent(r.flat, t.total).trim(), formatPercent(sum, t.total).trim(), formatValue(r.cum, unit), formatPercent(r.cum, t.total).trim()];
    if (diff) {
      const b = r.baseFlat ?? 0;
      row.push(formatValue(b, unit), formatValue(b + r.flat, unit), deltaPercent(r.flat, b));
    }
    for (let i = 0; i < columns; i++) {
      const w = columnWidth(row[i]);
      if (w > widths[i]) widths[i] = w;
      cells.push(row[i]);
      cellWidths.push(w);
    }
    names.push(terminalText(r.label));
  }
  out.push(`${head.map((h, i) => ' '.repeat(widths[i] - columnWidth(h)) + h).join(' ')}  ${l10n.t('name')}`);
  for (let r = 0; r < names.length; r++) {
    let line = '';
    for (let i = 0; i < columns; i++) {
      const k = r * columns + i;
      line += `${i > 0 ? ' ' : ''}${' '.repeat(widths[i] - cellWidths[k])}${cells[k]}`;
    }
    out.push(`${line}  ${names[r]}`);
  }
  // Units come from the profile too; the last pass catches any control left in composed parts.
  return terminalLines(`${out.join('\n')}\n`);
}

/** WIDE_CANDIDATE finds a character at or above U+1100, the first that can take two terminal columns. */
const WIDE_CANDIDATE = /[\u1100-\uffff]/;
/** WIDE finds one character that takes two columns (CJK and full-width forms). */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;

/** columnWidth is a cell's width in terminal columns: CJK characters take two. */
function columnWidth(s: string): number {
  // Numbers and units are ASCII: their width is their length (no surrogate pairs below U+1100).
  if (!WIDE_CANDIDATE.test(s)) return s.length;
  let w = 0;
  for (const c of s) w += WIDE.test(c) ? 2 : 1;
  return w;
}

function deltaPercent(delta: number, base: number): string {
  if (base === 0) return delta === 0 ? '0%' : l10n.t('new');
  const p = (delta / base) * 100;
  return `${p > 0 ? '+' : ''}${p.toFixed(Math.abs(p) >= 100 ? 0 : 1)}%`;
}
