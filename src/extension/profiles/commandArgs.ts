import * as l10n from '@vscode/l10n';
import { GRANULARITIES, type Granularity } from '../../core/nodes';

// Arguments that let keybindings, tasks, other extensions and tests drive heaplens' commands without
// a quick pick: `heaplens.chooseSampleType` takes a sample type name, `heaplens.chooseGranularity`
// a granularity, `heaplens.compare` a base and a target (two arguments, or one { base, target }
// object — what a keybinding's "args" can hold). Pure: the command handlers turn the strings into
// URIs. Anything else means "ask", so the Explorer's (clicked, selected[]) call still works.

/** CommandArg is a parsed argument: absent (ask the user), a value, or why it was refused. */
export type CommandArg<T> = { kind: 'ask' } | { kind: 'value'; value: T } | { kind: 'invalid'; message: string };

/** sampleTypeArg reads heaplens.chooseSampleType's argument: one of the session's sample type names. */
export function sampleTypeArg(arg: unknown, available: readonly string[]): CommandArg<string> {
  if (arg === undefined || arg === null) return { kind: 'ask' };
  if (typeof arg === 'string' && available.includes(arg)) return { kind: 'value', value: arg };
  return { kind: 'invalid', message: l10n.t('heaplens: {0} is not a sample type of this session (it has {1})', describe(arg), available.join(', ')) };
}

/** granularityArg reads heaplens.chooseGranularity's argument: one of pprof's granularities. */
export function granularityArg(arg: unknown): CommandArg<Granularity> {
  if (arg === undefined || arg === null) return { kind: 'ask' };
  if (typeof arg === 'string' && (GRANULARITIES as readonly string[]).includes(arg)) return { kind: 'value', value: arg as Granularity };
  return { kind: 'invalid', message: l10n.t('heaplens: {0} is not a granularity (use one of {1})', describe(arg), GRANULARITIES.join(', ')) };
}

/**
 * comparisonArgs reads heaplens.compare's arguments as an explicit base and target: `(base, target)`
 * or `({ base, target })`, each a URI object (`isUri`) or a string. The Explorer's `(clicked,
 * selected[])` and no arguments mean "ask" (selection and file pickers).
 */
export function comparisonArgs<U>(first: unknown, second: unknown, isUri: (x: unknown) => x is U): CommandArg<{ base: U | string; target: U | string }> {
  const isFile = (x: unknown): x is U | string => isUri(x) || (typeof x === 'string' && x.trim() !== '');
  if (isFile(first) && isFile(second)) return { kind: 'value', value: { base: first, target: second } };
  if (isObject(first) && !isUri(first) && ('base' in first || 'target' in first)) {
    if (isFile(first.base) && isFile(first.target)) return { kind: 'value', value: { base: first.base, target: first.target } };
    return { kind: 'invalid', message: l10n.t('heaplens: compare needs both {0} as file paths or URIs', '{ "base": …, "target": … }') };
  }
  return { kind: 'ask' };
}

/**
 * FileArg is how a string argument names a file: a URI (`file:///…`, `vscode-remote://…`), or a
 * path, absolute or relative to the first workspace folder.
 */
export type FileArg = { kind: 'uri'; uri: string } | { kind: 'path'; path: string; relative: boolean };

/** fileArg classifies a string argument as a URI or a path (Windows drive paths are paths, not URIs). */
export function fileArg(s: string): FileArg {
  const text = s.trim();
  if (/^[a-zA-Z][a-zA-Z0-9+.-]+:\/\//.test(text)) return { kind: 'uri', uri: text };
  const absolute = text.startsWith('/') || text.startsWith('\\') || /^[a-zA-Z]:[\\/]/.test(text);
  return { kind: 'path', path: text, relative: !absolute };
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function describe(arg: unknown): string {
  const text = typeof arg === 'string' ? JSON.stringify(arg) : Array.isArray(arg) ? 'a list' : typeof arg;
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
