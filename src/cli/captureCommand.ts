import * as l10n from '@vscode/l10n';
import { CaptureError, captureUrl } from '../core/capture';
import { formatValue } from '../core/format';
import { terminalText } from '../core/text/terminal';
import { captureSeries } from '../node/captureSeries';
import { type ParsedArgs, UsageError, intFlag } from './args';
import { CliError } from './topCommand';

/** CAPTURE_USAGE is the usage line of `heaplens capture`. */
export const CAPTURE_USAGE = 'heaplens capture [--count N] [--interval SECONDS] [--gc] [--debug] [--heap-only] [--out DIR] [--timeout SECONDS] [--max-size-mb N] URL';
/** CAPTURE_VALUED lists the flags of `capture` that take a value. */
export const CAPTURE_VALUED = ['count', 'interval', 'out', 'timeout', 'max-size-mb'] as const;
/** CAPTURE_BOOLEANS lists the boolean flags of `capture`. */
export const CAPTURE_BOOLEANS = ['gc', 'debug', 'heap-only'] as const;

const DEFAULTS = { out: '.heaplens', intervalSeconds: 10, timeoutSeconds: 60, maxSizeMB: 256 };

/**
 * runCapture implements `heaplens capture`: fetch URL (count times, interval seconds apart), save
 * each validated profile under --out, and print each path on stdout as soon as it is written, so
 * a script sees every saved file even if a later snapshot fails or the run is interrupted. Each
 * snapshot is a bundle unless --heap-only: the heap profile, then the goroutine dump and MemStats
 * fetched right after it, saved under one timestamp (heap-…, goroutine-…, memstats-…).
 */
export async function runCapture(
  args: ParsedArgs,
  out: (line: string) => void = (l) => process.stdout.write(l),
  progress: (line: string) => void = (l) => process.stderr.write(l),
): Promise<string> {
  if (args.positionals.length !== 1) throw new UsageError(l10n.t('capture takes exactly one URL'));
  const count = intFlag(args, 'count') ?? 1;
  if (count < 1) throw new UsageError(l10n.t('--count must be at least 1'));
  const intervalSeconds = secondsFlag(args, 'interval') ?? DEFAULTS.intervalSeconds;
  const timeoutSeconds = secondsFlag(args, 'timeout') ?? DEFAULTS.timeoutSeconds;
  const maxSizeMB = intFlag(args, 'max-size-mb') ?? DEFAULTS.maxSizeMB;
  if (timeoutSeconds <= 0 || maxSizeMB < 1) throw new UsageError(l10n.t('--timeout and --max-size-mb must be positive'));
  let url: string;
  try {
    url = captureUrl(args.positionals[0], { gc: args.flags.has('gc'), debug: args.flags.has('debug') });
  } catch (e) {
    throw e instanceof CaptureError ? new UsageError(e.message) : e;
  }
  const result = await captureSeries(url, {
    count,
    intervalMs: intervalSeconds * 1000,
    directory: args.flags.get('out') ?? DEFAULTS.out,
    timeoutMs: timeoutSeconds * 1000,
    maxBytes: maxSizeMB * 1048576,
    timeoutSetting: '--timeout',
    sizeSetting: '--max-size-mb',
    bundle: !args.flags.has('heap-only'),
    bundleSetting: '--heap-only',
    onSnapshot: (i, saved) => {
      for (const file of [saved.file, saved.goroutineFile, saved.memstatsFile]) if (file) out(`${terminalText(file)}\n`);
      if (saved.trimmedPadding > 0) {
        progress(`heaplens: ${l10n.t('{0} padded its gzip data with {1} zero bytes; removed them so go tool pprof can read {2}', terminalText(saved.url), saved.trimmedPadding, terminalText(saved.file))}\n`);
      }
      if (count > 1) progress(`heaplens: ${l10n.t('{0}/{1} {2} in {3} ms', i + 1, count, formatValue(saved.bytes, 'bytes'), saved.elapsedMs)}\n`);
    },
  });
  if (result.error) {
    const saved = result.saved.length > 0 ? l10n.t(' ({0} of {1} saved)', result.saved.length, count) : '';
    throw new CliError(`${result.error.message}${saved}`);
  }
  return '';
}

/** secondsFlag reads a positive number of seconds (decimals allowed: --interval 0.5). */
function secondsFlag(args: ParsedArgs, name: string): number | undefined {
  const v = args.flags.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(l10n.t('--{0} must be a number of seconds, not {1}', name, JSON.stringify(v)));
  return n;
}
