import { showControls } from './controls';

// The one escaping function per Markdown construct. Everything interpolated from a profile —
// function names, file paths, sample-type names, pattern evidence — goes through one of these, so no
// data can start a link, an image, raw HTML, a heading, a list or a table cell, or end a code span
// (CommonMark 0.31 and GFM tables; VS Code's preview and hovers use markdown-it, which follows them).
// Control and bidi characters are shown as escapes (`\n`, `\u202e`) first: a newline would let the
// next line start a block, a U+202E would reverse the text after it.

// Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping all of them
// is simpler to trust than choosing. `<`, `>` and `&` become entities instead, which also stay
// inert if the text ever reaches an HTML context that ignores Markdown escapes.
const PUNCTUATION = /[!"#$%'()*+,\-./:;=?@[\\\]^_`{|}~]/g;

/** markdownText escapes a string for inline Markdown text: it renders literally, starting nothing. */
export function markdownText(s: string): string {
  return showControls(s)
    .replace(PUNCTUATION, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** MarkdownCodeOptions says where a code span will sit. */
export interface MarkdownCodeOptions {
  /** The span sits in a GFM table cell, where `|` ends the cell even inside code unless written `\|`. */
  inTable?: boolean;
}

/** markdownCode renders a string as one code span, whatever backticks or newlines it holds. */
export function markdownCode(s: string, options: MarkdownCodeOptions = {}): string {
  let body = showControls(s);
  if (options.inTable) body = body.replace(/\|/g, '\\|');
  if (body === '') return '` `';
  // A fence one backtick longer than the longest run inside cannot be closed by the content.
  let longest = 0;
  let run = 0;
  for (let i = 0; i < body.length; i++) {
    run = body.charCodeAt(i) === 96 ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  const fence = '`'.repeat(longest + 1);
  // CommonMark strips one space from each end when both ends have one, and a backtick at either
  // end would merge with the fence: pad with a space on both sides in those cases.
  const pad = body.startsWith('`') || body.endsWith('`') || (body.startsWith(' ') && body.endsWith(' ') && body.trim() !== '');
  return pad ? `${fence} ${body} ${fence}` : `${fence}${body}${fence}`;
}

// In a link destination these would end it, open a title or an autolink, or act as controls.
const LINK_UNSAFE = /[\u0000-\u0020\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069()<>\\`"'|]/g;

/** markdownLink builds `[label](target "title")`; label is Markdown already, target is percent-encoded where Markdown would misread it. */
export function markdownLink(label: string, target: string, title?: string): string {
  const destination = target.replace(LINK_UNSAFE, (c) => (c.charCodeAt(0) < 0x80 ? `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}` : encodeURIComponent(c)));
  if (title === undefined) return `[${label}](${destination})`;
  // `\|` reads as `|` both in a GFM table row and outside one.
  const quoted = showControls(title).replace(/[\\"|]/g, (c) => `\\${c}`).replace(/&/g, '&amp;');
  return `[${label}](${destination} "${quoted}")`;
}
