import * as l10n from '@vscode/l10n';
import { type Language, displayLanguage } from './language';
import type { Profile } from './model';

// Everything heaplens knows about the kinds of profile it reads, in one table: how a file name, the
// first bytes of a file and a decoded profile each say "this is one", and which actions take it.
// package.json's Explorer menus (`when` clauses) and custom-editor selectors are generated from it
// (`npm run manifest`, checked by test/unit/profileKinds.test.ts), the Node sniffer reads its text
// headers, and the open dialogs, the custom editor, capture and the commands ask it what they accept.
// Adding a kind is adding a row.

/** ProfileAction is something a user does with profile files: each kind lists the actions that take it. */
export type ProfileAction = 'open' | 'compare' | 'trend' | 'report' | 'capture';

/** ProfileKind is one kind of profile heaplens reads. */
export interface ProfileKind {
  /** Stable id ('heap'). */
  id: string;
  /** What messages call it ("heap profile"). */
  label: string;
  /** The label in Simplified Chinese (English when absent). */
  'zh-cn'?: { label: string };
  /** A decoded profile is of this kind when it has one of these sample types… */
  sampleTypes: readonly string[];
  /** …and some sample type in this unit. */
  unit: string;
  /** Lower-case file name endings that say "this kind" without looking inside. */
  extensions: readonly string[];
  /**
   * The subset of `extensions` heaplens opens by default (the custom editor's selector). `.pb` is
   * not claimed: other protobuf formats use it too (TensorFlow graphs); Open still offers it.
   */
  editorExtensions: readonly string[];
  /** Lower-case words that mark a file name with no extension or a text one (`heap`, `heap.txt`). */
  nameWords: readonly string[];
  /** Endings the text forms are commonly saved with; offered in open dialogs, recognised by content. */
  savedAs: readonly string[];
  /** First bytes of the text forms (after gunzip); profile.proto is recognised for every kind alike. */
  textHeaders: readonly string[];
  /** Actions that take this kind. */
  actions: readonly ProfileAction[];
}

/** PROFILE_KINDS is the table: one row per kind. */
export const PROFILE_KINDS: readonly ProfileKind[] = [
  {
    id: 'heap',
    label: 'heap profile',
    'zh-cn': { label: '堆 profile' },
    // Old two-column text profiles name their types space/objects.
    sampleTypes: ['inuse_space', 'alloc_space', 'space'],
    unit: 'bytes',
    extensions: ['.prof', '.pprof', '.pb.gz', '.heap', '.pb'],
    editorExtensions: ['.prof', '.pprof', '.pb.gz', '.heap'],
    nameWords: ['heap'],
    savedAs: ['.txt', '.out'],
    textHeaders: ['heap profile:'],
    actions: ['open', 'compare', 'trend', 'report', 'capture'],
  },
  {
    // /debug/pprof/goroutine in its three forms: profile.proto (?debug=0), `goroutine profile: total N`
    // text (?debug=1) and the panic-style dump (?debug=2), which has no fixed first line (a dump
    // starts `goroutine 1 [running]:`, a crash `panic: …`): the sniffer asks the dump decoder.
    id: 'goroutine',
    label: 'goroutine profile',
    'zh-cn': { label: 'goroutine profile' },
    sampleTypes: ['goroutine'],
    unit: 'count',
    extensions: ['.prof', '.pprof', '.pb.gz', '.pb'],
    editorExtensions: ['.prof', '.pprof', '.pb.gz'],
    nameWords: ['goroutine'],
    savedAs: ['.txt', '.out'],
    textHeaders: ['goroutine profile:'],
    // The extension's trend follows heap sites only (the CLI's trend takes goroutine profiles too).
    actions: ['open', 'compare', 'report'],
  },
];

/**
 * SNIFF_EXTENSIONS are the endings of files worth opening to look inside when the name says nothing
 * (`curl …/debug/pprof/heap > mem.out`); files without an extension are looked at too.
 */
export const SNIFF_EXTENSIONS: readonly string[] = ['.out', '.txt', '.gz', '.bin', '.dat', '.raw', '.mem', '.memprof', '.profile'];

/** profileKindOf returns the kind of a decoded profile, or undefined when heaplens reads no such kind. */
export function profileKindOf(p: Pick<Profile, 'sampleTypes'>, kinds: readonly ProfileKind[] = PROFILE_KINDS): ProfileKind | undefined {
  const names = new Set(p.sampleTypes.map((t) => t.type));
  return kinds.find((k) => k.sampleTypes.some((t) => names.has(t)) && p.sampleTypes.some((t) => t.unit === k.unit));
}

/** kindsFor lists the kinds an action takes. */
export function kindsFor(action: ProfileAction, kinds: readonly ProfileKind[] = PROFILE_KINDS): ProfileKind[] {
  return kinds.filter((k) => k.actions.includes(action));
}

/** accepts tells whether an action takes a decoded profile. */
export function accepts(action: ProfileAction, p: Pick<Profile, 'sampleTypes'>, kinds: readonly ProfileKind[] = PROFILE_KINDS): boolean {
  const kind = profileKindOf(p, kinds);
  return kind !== undefined && kind.actions.includes(action);
}

/** acceptedLabels names what an action takes, for messages: "heap profile" or "heap or goroutine profile" (堆或 goroutine profile). */
export function acceptedLabels(action: ProfileAction, kinds: readonly ProfileKind[] = PROFILE_KINDS, language: Language = displayLanguage()): string {
  const zh = language === 'zh-cn';
  const labels = kindsFor(action, kinds).map((k) => (zh ? k['zh-cn']?.label ?? k.label : k.label));
  if (labels.length <= 1) return labels[0] ?? 'profile';
  const or = zh ? '或' : ' or ';
  // "heap profile", "goroutine profile" → "heap or goroutine profile" when they share the last word.
  const last = labels.map((l) => l.split(' ').pop());
  const joined = last.every((w) => w === last[0]) ? `${labels.map((l) => l.slice(0, l.lastIndexOf(' '))).join(or)} ${last[0]}` : labels.join(or);
  // Chinese puts a space between Chinese and Latin words: 堆或 goroutine profile.
  return zh ? joined.replace(/([\u4e00-\u9fff])([A-Za-z])/g, '$1 $2').replace(/([A-Za-z])([\u4e00-\u9fff])/g, '$1 $2') : joined;
}

/** notAcceptedReason says why an action cannot take a decoded profile ("x.prof: a pprof profile of cpu, not a heap profile"), or undefined. */
export function notAcceptedReason(action: ProfileAction, name: string, p: Pick<Profile, 'sampleTypes'>, kinds: readonly ProfileKind[] = PROFILE_KINDS): string | undefined {
  if (accepts(action, p, kinds)) return undefined;
  const types = p.sampleTypes.map((t) => t.type).join(', ') || l10n.t('no sample types');
  return l10n.t('{0}: a pprof profile of {1}, not a {2}', name, types, acceptedLabels(action, kinds));
}

/** hasKindExtension tells whether a file name ends like a profile of some kind (case-insensitive). */
export function hasKindExtension(name: string, kinds: readonly ProfileKind[] = PROFILE_KINDS): boolean {
  const lower = name.toLowerCase();
  return kinds.some((k) => k.extensions.some((ext) => lower.endsWith(ext)));
}

/** textHeaders lists every kind's text header, for content sniffing. */
export function textHeaders(kinds: readonly ProfileKind[] = PROFILE_KINDS): string[] {
  return unique(kinds.flatMap((k) => k.textHeaders));
}

/**
 * fileNamePattern is the regular expression (source, matched case-insensitively) for file names an
 * action takes by name: a kind's extension, or one of its words with no extension or a saved-as one
 * (`heap`, `heap.txt`, `old-heap.out`, but not `heap.go`). Linear: alternations of literals only.
 */
export function fileNamePattern(action: ProfileAction, kinds: readonly ProfileKind[] = PROFILE_KINDS): string {
  const ks = kindsFor(action, kinds);
  const ext = unique(ks.flatMap((k) => k.extensions)).map((e) => escapeRegExp(e.slice(1)));
  const words = unique(ks.flatMap((k) => k.nameWords)).map(escapeRegExp);
  const saved = unique(ks.flatMap((k) => k.savedAs)).map((e) => escapeRegExp(e.slice(1)));
  const byExtension = `\\.(${ext.join('|')})$`;
  if (words.length === 0) return byExtension;
  const savedPart = saved.length > 0 ? `(\\.(${saved.join('|')}))?` : '';
  return `${byExtension}|(${words.join('|')})[^.]*${savedPart}$`;
}

/** ExplorerSelection is how many files an Explorer menu entry applies to. */
export type ExplorerSelection = 'single' | 'multiple';

/** PROFILE_RESOURCES_KEY is the context key listing files recognised by content (see src/extension/profiles/profileFiles.ts). */
export const PROFILE_RESOURCES_KEY = 'heaplens.profileResources';

/** EXPLORER_COMMANDS are the Explorer context-menu commands that take profile files: their action and selection. */
export const EXPLORER_COMMANDS: Readonly<Record<string, { action: ProfileAction; selection: ExplorerSelection }>> = {
  'heaplens.compare': { action: 'compare', selection: 'multiple' },
  'heaplens.trend': { action: 'trend', selection: 'multiple' },
  'heaplens.open': { action: 'open', selection: 'single' },
};

/** explorerWhen is the package.json `when` clause of an Explorer context-menu entry for an action. */
export function explorerWhen(action: ProfileAction, selection: ExplorerSelection, kinds: readonly ProfileKind[] = PROFILE_KINDS): string {
  const multi = selection === 'multiple' ? 'listMultiSelection' : '!listMultiSelection';
  return `${multi} && !explorerResourceIsFolder && (resourceFilename =~ /${fileNamePattern(action, kinds)}/i || resource in ${PROFILE_RESOURCES_KEY})`;
}

/** editorSelectors are the custom editor's package.json selectors: the kinds `open` takes, by default extension. */
export function editorSelectors(kinds: readonly ProfileKind[] = PROFILE_KINDS): Array<{ filenamePattern: string }> {
  return unique(kindsFor('open', kinds).flatMap((k) => k.editorExtensions)).map((e) => ({ filenamePattern: `*${e}` }));
}

/** openDialogFilters are the open dialog's filters for an action: the kinds' extensions (last part) and saved-as endings, then all files. */
export function openDialogFilters(action: ProfileAction, kinds: readonly ProfileKind[] = PROFILE_KINDS): Record<string, string[]> {
  const ks = kindsFor(action, kinds);
  const exts = unique(ks.flatMap((k) => [...k.extensions, ...k.savedAs]).map((e) => e.slice(e.lastIndexOf('.') + 1)));
  const title = displayLanguage() === 'zh-cn' ? acceptedLabels(action, kinds) : `${acceptedLabels(action, kinds).replace(/^./, (c) => c.toUpperCase())}s`;
  return { [title]: exts, [l10n.t('All files')]: ['*'] };
}

function unique(list: readonly string[]): string[] {
  return [...new Set(list)];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
