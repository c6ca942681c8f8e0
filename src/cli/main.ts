import * as l10n from '@vscode/l10n';
import { ProfileError, describeError } from '../core/errors';
import { terminalText } from '../core/text/terminal';
import { UsageError, parseArgs } from './args';
import { CliError, TOP_BOOLEANS, TOP_USAGE, TOP_VALUED, runTop } from './topCommand';
import { reportCommand } from './reportCommand';
import { CAPTURE_BOOLEANS, CAPTURE_USAGE, CAPTURE_VALUED, runCapture } from './captureCommand';
import { TREND_BOOLEANS, TREND_USAGE, TREND_VALUED, runTrend } from './trendCommand';
import { localeLanguage, takeLanguage, useLanguage } from './language';

// `heaplens` — the engine on the command line, for terminals and CI. Every failure is one line on
// stderr and exit code 1; usage mistakes also print the usage line (exit code 2). Messages quote
// file names and profile strings, so each goes through terminalText: one line, no live escapes.

/** Command is one subcommand: its usage line and its runner (returns what to print). */
interface Command {
  usage: string;
  run: (argv: string[]) => string | Promise<string>;
}

const COMMANDS: Record<string, Command> = {
  top: { usage: TOP_USAGE, run: (argv) => runTop(parseArgs(argv, TOP_VALUED, TOP_BOOLEANS)) },
};

/** registerCommand lets other modules (report, trend, capture) add subcommands. */
export function registerCommand(name: string, command: Command): void {
  COMMANDS[name] = command;
}

registerCommand('capture', { usage: CAPTURE_USAGE, run: (argv) => runCapture(parseArgs(argv, CAPTURE_VALUED, CAPTURE_BOOLEANS)) });
registerCommand('trend', { usage: TREND_USAGE, run: (argv) => runTrend(parseArgs(argv, TREND_VALUED, TREND_BOOLEANS)) });
registerCommand('report', reportCommand);

function usage(): string {
  const lang = l10n.t('--lang en|zh-cn (any command; default: LC_ALL / LC_MESSAGES / LANG, zh_CN.* → zh-cn)');
  return `${l10n.t('usage:')}\n${Object.values(COMMANDS).map((c) => `  ${c.usage}`).join('\n')}\n  ${lang}\n`;
}

/**
 * quietOnClosedPipe ends the process with exit 0 when the reader of stdout goes away
 * (`heaplens top big.prof | head -1`), as Go tools and coreutils do, instead of an unhandled
 * EPIPE stack trace; stderr losing its reader is ignored for the same reason.
 */
function quietOnClosedPipe(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  process.stderr.on('error', () => undefined);
}

/** jsonRequested tells whether the command line asks for --json (before a `--`). */
function jsonRequested(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--json');
}

async function main(args: string[]): Promise<number> {
  quietOnClosedPipe();
  let argv: string[];
  try {
    // Until --lang is read, speak the locale's language (a bad --lang is reported in it).
    useLanguage(localeLanguage(process.env));
    const { language, rest } = takeLanguage(args, process.env);
    // --json is for programs: every word in it (evidence, notes, advice) stays English, whatever the
    // language, so the output is byte-identical in every locale.
    useLanguage(jsonRequested(rest) ? 'en' : language);
    argv = rest;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`heaplens: ${terminalText(e.message)}\n${usage()}`);
    return 2;
  }
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`heaplens: ${terminalText(l10n.t('unknown command "{0}"', name))}\n${usage()}`);
    return 2;
  }
  try {
    process.stdout.write(await command.run(rest));
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`heaplens ${name}: ${terminalText(e.message)}\n${l10n.t('usage: {0}', command.usage)}\n`);
      return 2;
    }
    if (e instanceof CliError) process.stderr.write(`heaplens: ${terminalText(e.message)}\n`);
    else if (e instanceof ProfileError) process.stderr.write(`heaplens: ${terminalText(e.message)}\n`);
    else process.stderr.write(`heaplens: ${terminalText(describeError(name, e))}\n`);
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
