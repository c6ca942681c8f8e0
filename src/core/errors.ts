import * as l10n from '@vscode/l10n';
/** ProfileErrorCode names each way a file can fail to be a usable profile. */
export type ProfileErrorCode =
  | 'empty'
  | 'not-a-profile'
  | 'truncated'
  | 'corrupt'
  | 'too-large'
  /** The machine ran out of memory decoding or analysing it (not the size cap: raising that would not help). */
  | 'out-of-memory'
  | 'invalid-reference'
  | 'no-sample-types'
  | 'value-count-mismatch'
  | 'unknown-sample-type'
  | 'incompatible-profiles'
  | 'bad-option';

/** ProfileError is the one error the engine throws for bad input: a code and a one-line message. */
export class ProfileError extends Error {
  /** code classifies the failure so callers can react (e.g. offer "Open as text" for not-a-profile). */
  readonly code: ProfileErrorCode;

  constructor(code: ProfileErrorCode, message: string) {
    super(message);
    this.name = 'ProfileError';
    this.code = code;
  }
}

/**
 * describeError turns anything thrown while reading `file` into one line naming the file and the
 * problem, in the display language: ProfileError messages are worded where they are thrown (a decode
 * worker gets the display language's bundle too); other errors get a translated lead and keep their
 * own detail (Node's and zlib's messages are English).
 */
export function describeError(file: string, err: unknown): string {
  if (err instanceof ProfileError) return l10n.t('{0}: {1}', file, err.message);
  if (err instanceof RangeError) return l10n.t('{0}: too large to load ({1})', file, err.message);
  const message = err instanceof Error ? err.message : String(err);
  return l10n.t('{0}: could not be read as a profile ({1})', file, message.split('\n')[0]);
}

/** sampleTypeList names a profile's sample types for an error message: `inuse_space/bytes, …`, or that it has none. */
export function sampleTypeList(p: { sampleTypes: ReadonlyArray<{ type: string; unit: string }> }): string {
  return p.sampleTypes.map((t) => `${t.type}/${t.unit}`).join(', ') || l10n.t('no sample types');
}
