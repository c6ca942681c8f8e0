// How a name from a profile is shown in plain text (tree rows, quick picks, title attributes,
// graph labels): bidi-isolated, so a U+202E inside it cannot reverse the numbers printed after it,
// and abbreviated where space is short, so a 3,000-character name cannot push everything else out.
// This is not escaping — the name's characters stay as they are; the Markdown and terminal
// escapers (markdown.ts, terminal.ts) are the ones for those media.

const FSI = '\u2068';
const PDI = '\u2069';

// Characters that can make text right-to-left: Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan,
// Mandaic (U+0590–U+08FF), their presentation forms, the right-to-left scripts of the
// supplementary planes (high surrogates D802–D803, D83A–D83B) and the bidi controls. A name with
// none of them cannot reorder anything, so it is left exactly as it is (copying it stays clean).
const BIDI_RELEVANT = /[\u0590-\u08ff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufb1d-\ufdff\ufe70-\ufefe\ud802\ud803\ud83a\ud83b]/;

/**
 * isolateName wraps a name in FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE (Unicode bidi
 * algorithm, rules X5c and X6a), which ends every embedding and override the name opened. A PDI
 * in the name that matches nothing inside it would close our isolate early, so it is dropped; an
 * isolate the name leaves open is closed before ours. Names without right-to-left characters or
 * bidi controls come back unchanged: isolating them would change nothing on screen.
 */
export function isolateName(name: string): string {
  if (!BIDI_RELEVANT.test(name)) return name;
  let depth = 0;
  let out = '';
  let from = 0;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x2066 && c <= 0x2068) depth++;
    else if (c === 0x2069) {
      if (depth > 0) depth--;
      else {
        out += name.slice(from, i);
        from = i + 1;
      }
    }
  }
  out += name.slice(from);
  return FSI + out + PDI.repeat(depth) + PDI;
}

/**
 * abbreviateName keeps at most `max` characters (UTF-16 code units, never splitting a surrogate
 * pair) of a name: its start and end around a "…", the end being where Go names say the most
 * (the method after the package path).
 */
export function abbreviateName(name: string, max: number): string {
  if (name.length <= max) return name;
  const keep = Math.max(1, max - 1);
  let head = Math.ceil(keep * 0.4);
  let tail = keep - head;
  if (isHighSurrogate(name.charCodeAt(head - 1))) head--;
  if (tail > 0 && isLowSurrogate(name.charCodeAt(name.length - tail))) tail--;
  return `${name.slice(0, head)}…${tail > 0 ? name.slice(name.length - tail) : ''}`;
}

/** displayName is a name ready for a plain-text label: abbreviated to `max`, then isolated. */
export function displayName(name: string, max: number): string {
  return isolateName(abbreviateName(name, max));
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
