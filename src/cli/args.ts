import * as l10n from '@vscode/l10n';
// A small flag parser: `--name value`, `--name=value`, boolean `--flag`, positionals.

/** ParsedArgs are the flags (last one wins) and positional arguments of a command line. */
export interface ParsedArgs {
  flags: Map<string, string>;
  positionals: string[];
}

/** UsageError is a command-line mistake; main prints it with the usage line. */
export class UsageError extends Error {}

/** parseArgs splits argv by a spec of which flags take values and which are booleans. */
export function parseArgs(argv: string[], valued: readonly string[], booleans: readonly string[]): ParsedArgs {
  const flags = new Map<string, string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { positionals.push(...argv.slice(i + 1)); break; }
    if (!a.startsWith('-') || a === '-') { positionals.push(a); continue; }
    const eq = a.indexOf('=');
    const name = a.replace(/^--?/, '').slice(0, eq >= 0 ? eq - (a.startsWith('--') ? 2 : 1) : undefined);
    if (booleans.includes(name)) {
      if (eq >= 0) throw new UsageError(l10n.t('--{0} takes no value', name));
      flags.set(name, 'true');
    } else if (valued.includes(name)) {
      const v = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new UsageError(l10n.t('--{0} needs a value', name));
      flags.set(name, v);
    } else {
      throw new UsageError(l10n.t('unknown flag {0}', a));
    }
  }
  return { flags, positionals };
}

/** intFlag reads a non-negative integer flag. */
export function intFlag(args: ParsedArgs, name: string): number | undefined {
  const v = args.flags.get(name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(l10n.t('--{0} must be a non-negative integer, not {1}', name, JSON.stringify(v)));
  return Number(v);
}
