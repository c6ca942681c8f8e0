// Characters that change how the text around them is displayed rather than being shown: C0 and C1
// controls (ESC starts terminal sequences, CR and NL forge lines), DEL, and the Unicode bidi
// controls (U+202E reverses what follows it in terminals, editors and the report preview) and line
// separators. Profile strings are data from outside, so these are shown as escapes, never obeyed.

/** INVISIBLE_CONTROL matches one character that must be shown escaped in profile-derived text. */
const INVISIBLE_CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** INVISIBLE_CONTROL_KEEP_LINES is the same set without NL and TAB, for multi-line output. */
const INVISIBLE_CONTROL_KEEP_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(c: string): string {
  const short = SHORT[c];
  if (short) return short;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** showControls replaces every control, bidi and line-separator character by a visible escape (`\x1b`, `\u202e`, `\n`). */
export function showControls(s: string): string {
  return s.replace(INVISIBLE_CONTROL, escapeOne);
}

/** showControlsKeepLines is showControls for already-composed multi-line text: NL and TAB stay. */
export function showControlsKeepLines(s: string): string {
  return s.replace(INVISIBLE_CONTROL_KEEP_LINES, escapeOne);
}
