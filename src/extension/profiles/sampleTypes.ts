import * as l10n from '@vscode/l10n';

// Plain-language names for Go heap sample types, shared by the sample type picker, the status bar,
// the tree's tooltips and the source annotations. Pure: no vscode import, unit-tested. The short
// words stay pprof's (inuse, alloc) in every language: they abbreviate the sample type names.

interface SampleTypeWords {
  /** What the number means, for someone who has not memorised pprof's vocabulary. */
  description: () => string;
  /** The short word written after a number on a source line: "+81.50MB inuse". */
  short: string;
}

// inuse_* is a level (what is live at the last GC); alloc_* only ever grows since the process started
// (pprof-semantics.md §7). Legacy two-column text profiles name their types objects/space.
const WORDS: Record<string, SampleTypeWords> = {
  inuse_space: { description: () => l10n.t('live memory now (bytes)'), short: 'inuse' },
  inuse_objects: { description: () => l10n.t('live objects now'), short: 'inuse objects' },
  alloc_space: { description: () => l10n.t('everything allocated since the program started (bytes)'), short: 'alloc' },
  alloc_objects: { description: () => l10n.t('objects allocated since start'), short: 'alloc objects' },
  space: { description: () => l10n.t('live memory now (bytes; old two-column heap profile)'), short: 'inuse' },
  objects: { description: () => l10n.t('live objects now (old two-column heap profile)'), short: 'objects' },
};

/** SAMPLE_TYPE_ORDER is the order the picker lists heap sample types in: live memory first. */
export const SAMPLE_TYPE_ORDER = ['inuse_space', 'inuse_objects', 'alloc_space', 'alloc_objects', 'space', 'objects'];

/** sampleTypeDescription explains a sample type in plain language ("live memory now (bytes)"). */
export function sampleTypeDescription(type: string): string {
  return WORDS[type]?.description() ?? l10n.t('{0} (not a Go heap sample type)', type);
}

/** sampleTypeShortName is the word written after a value on a source line ("inuse", "alloc objects"). */
export function sampleTypeShortName(type: string): string {
  return WORDS[type]?.short ?? type;
}

/** orderSampleTypes sorts sample type names for display: the heap types in SAMPLE_TYPE_ORDER, then the rest as given. */
export function orderSampleTypes(types: readonly string[]): string[] {
  const rank = (t: string): number => {
    const i = SAMPLE_TYPE_ORDER.indexOf(t);
    return i < 0 ? SAMPLE_TYPE_ORDER.length : i;
  };
  return [...types].sort((a, b) => rank(a) - rank(b));
}

/**
 * preferredSampleType picks the sample type a comparison starts with: the new profile's default if
 * the base has it too, else the first common type in display order (inuse_space when present).
 */
export function preferredSampleType(targetDefault: string, common: readonly string[]): string | undefined {
  if (common.includes(targetDefault)) return targetDefault;
  return orderSampleTypes(common)[0];
}
