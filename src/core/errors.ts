/** ProfileErrorCode names each way a file can fail to be a usable profile. */
export type ProfileErrorCode =
  | 'empty'
  | 'not-a-profile'
  | 'truncated'
  | 'corrupt'
  | 'too-large'
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

/** describeError turns anything thrown while reading `file` into one line naming the file and the problem. */
export function describeError(file: string, err: unknown): string {
  if (err instanceof ProfileError) return `${file}: ${err.message}`;
  if (err instanceof RangeError) return `${file}: too large to load (${err.message})`;
  const message = err instanceof Error ? err.message : String(err);
  return `${file}: could not be read as a profile (${message.split('\n')[0]})`;
}
