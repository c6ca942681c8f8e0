import { aggregate, aggregateDiff } from '../core/aggregate';
import { ProfileError, describeError } from '../core/errors';
import { formatPercent, formatValue } from '../core/format';
import type { Profile } from '../core/model';
import { GRANULARITIES, type Granularity } from '../core/nodes';
import { compileFilters } from '../core/filter';
import { type TopTable, topTable } from '../core/top';
import { terminalLines, terminalText } from '../core/text/terminal';
import { type ParsedArgs, UsageError, intFlag } from './args';
import { loadProfileFile } from '../node/loadProfile';

/** TOP_USAGE is the usage line of `heaplens top`. */
export const TOP_USAGE = 'heaplens top [--sample-index NAME] [--granularity functions|filefunctions|files|lines|addresses] [--diff-base BASE] [--focus RE] [--ignore RE] [--hide RE] [--show RE] [--nodecount N] [--nodefraction F] [--cum] [--json] PROFILE';
/** TOP_VALUED lists the flags of `top` that take a value. */
export const TOP_VALUED = ['sample-index', 'granularity', 'diff-base', 'focus', 'ignore', 'hide', 'show', 'nodecount', 'nodefraction', 'max-size-mb'] as const;
/** TOP_BOOLEANS lists the boolean flags of `top`. */
export const TOP_BOOLEANS = ['json', 'cum'] as const;

/** load reads a profile, turning any failure into one line that names the file. */
export function load(path: string, args: ParsedArgs): Profile {
  const mb = intFlag(args, 'max-size-mb');
  if (mb === 0) throw new UsageError('--max-size-mb must be at least 1');
  try {
    return loadProfileFile(path, mb !== undefined ? mb * 1048576 : undefined);
  } catch (e) {
    if (e instanceof ProfileError && e.code === 'too-large') throw new CliError(`${describeError(path, e)} (--max-size-mb N raises it)`);
    throw new CliError(describeError(path, (e as NodeJS.ErrnoException).code === 'ENOENT' ? new Error('no such file') : e));
  }
}

/** CliError is a failure already phrased for the user (one line, names the file). */
export class CliError extends Error {}

/** runTop implements `heaplens top`; returns the text to print. */
export function runTop(args: ParsedArgs): string {
  if (args.positionals.length !== 1) throw new UsageError('top takes exactly one PROFILE');
  const path = args.positionals[0];
  const granularity = (args.flags.get('granularity') ?? 'functions') as Granularity;
  if (!GRANULARITIES.includes(granularity)) throw new UsageError(`--granularity must be one of ${GRANULARITIES.join(', ')}`);
  const fraction = args.flags.has('nodefraction') ? Number(args.flags.get('nodefraction')) : 0;
  if (!(fraction >= 0 && fraction <= 1)) throw new UsageError('--nodefraction must be a number between 0 and 1');
  const filters = { focus: args.flags.get('focus'), ignore: args.flags.get('ignore'), hide: args.flags.get('hide'), show: args.flags.get('show') };
  try { compileFilters(filters); } catch (e) { throw new UsageError((e as Error).message); }
  const profile = load(path, args);
  const basePath = args.flags.get('diff-base');
  const base = basePath !== undefined ? load(basePath, args) : undefined;
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
  out.push(`File: ${terminalText(path)}${basePath ? ` (diff base: ${terminalText(basePath)})` : ''}`);
  out.push(`Type: ${terminalText(type)}`);
  out.push(`Showing nodes accounting for ${formatValue(t.shownFlat, unit)}, ${formatPercent(t.shownFlat, t.total).trim()} of ${formatValue(t.total, unit)} ${diff ? 'base ' : ''}total`);
  if (t.dropped > 0) out.push(`Dropped ${t.dropped} nodes`);
  const head = ['flat', 'flat%', 'sum%', 'cum', 'cum%'];
  if (diff) head.push('base', 'new', 'Δ%');
  const cells: string[][] = [];
  let sum = 0;
  for (const r of t.rows) {
    sum += r.flat;
    const row = [formatValue(r.flat, unit), formatPercent(r.flat, t.total).trim(), formatPercent(sum, t.total).trim(), formatValue(r.cum, unit), formatPercent(r.cum, t.total).trim()];
    if (diff) {
      const b = r.baseFlat ?? 0;
      row.push(formatValue(b, unit), formatValue(b + r.flat, unit), deltaPercent(r.flat, b));
    }
    row.push(terminalText(r.label));
    cells.push(row);
  }
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  out.push(`${head.map((h, i) => h.padStart(widths[i])).join(' ')}  name`);
  for (const c of cells) out.push(`${c.slice(0, -1).map((v, i) => v.padStart(widths[i])).join(' ')}  ${c[c.length - 1]}`);
  // Units come from the profile too; the last pass catches any control left in composed parts.
  return terminalLines(`${out.join('\n')}\n`);
}

function deltaPercent(delta: number, base: number): string {
  if (base === 0) return delta === 0 ? '0%' : 'new';
  const p = (delta / base) * 100;
  return `${p > 0 ? '+' : ''}${p.toFixed(Math.abs(p) >= 100 ? 0 : 1)}%`;
}
