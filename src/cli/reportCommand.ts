import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeError } from '../core/errors';
import { terminalLines } from '../core/text/terminal';
import { diagnose, diagnosisJson, renderMarkdown } from '../core/diagnose';
import { type ParsedArgs, UsageError, intFlag, parseArgs } from './args';
import { CliError, load } from './topCommand';

/** REPORT_USAGE is the usage line of `heaplens report`. */
export const REPORT_USAGE = 'heaplens report [--json] [--module PATH[,PATH…]] [--sample-index NAME] [--max-findings N] BASE NEW';
const VALUED = ['module', 'sample-index', 'max-findings', 'max-size-mb'] as const;
const BOOLEANS = ['json'] as const;

/** reportCommand is the `report` subcommand as main.ts registers it. */
export const reportCommand = {
  usage: REPORT_USAGE,
  run: (argv: string[]): string => runReport(parseArgs(argv, VALUED, BOOLEANS)),
};

/** runReport implements `heaplens report`: the growth diagnosis as Markdown, or one JSON object. */
export function runReport(args: ParsedArgs): string {
  if (args.positionals.length !== 2) throw new UsageError('report takes exactly two profiles: BASE NEW');
  const [basePath, newPath] = args.positionals;
  const maxFindings = intFlag(args, 'max-findings');
  if (maxFindings === 0) throw new UsageError('--max-findings must be at least 1');
  const modulePaths = args.flags.get('module')?.split(',').map((m) => m.trim()).filter((m) => m !== '');
  if (args.flags.has('module') && !modulePaths?.length) throw new UsageError('--module needs a module path or directory');
  const base = load(basePath, args);
  const target = load(newPath, args);
  let diagnosis;
  try {
    diagnosis = diagnose({ base, target }, { sampleIndex: args.flags.get('sample-index'), modulePaths, maxFindings });
  } catch (e) {
    throw new CliError(describeError(`${basePath} vs ${newPath}`, e));
  }
  if (args.flags.has('json')) return `${JSON.stringify(diagnosisJson(diagnosis))}\n`;
  // renderMarkdown escapes every profile string (controls shown as `\x1b`); terminalLines is the last guard.
  return terminalLines(renderMarkdown(diagnosis, { baseName: basePath, newName: newPath, linkFor: localSourceLink }));
}

/** localSourceLink links a source line when the profile's path exists on this machine (a file: URL with #L). */
function localSourceLink(file: string, line: number): string | undefined {
  if (!isAbsolute(file) || !existsSync(file)) return undefined;
  return `${pathToFileURL(file).href}${line > 0 ? `#L${line}` : ''}`;
}
