import { showControls, showControlsKeepLines } from './controls';

// The one escaping function for text written to a terminal. Names and sample types come from
// profiles (files from anywhere, bodies from any server): an ESC in them would move the cursor,
// clear the screen or plant an OSC-8 hyperlink; a newline would forge a second `heaplens:` line; a
// bidi override would reverse the numbers printed after the name. Backslashes are kept as they are
// so Windows paths read naturally. JSON output does not pass through here: JSON.stringify already
// escapes C0 controls, and a JSON consumer must see the string as it is.

/** terminalText shows every control, ESC, C1 and bidi character of one string as an escape (`\x1b`, `\u202e`, `\n`). */
export function terminalText(s: string): string {
  return showControls(s);
}

/** terminalLines is terminalText for composed multi-line output: line breaks and tabs stay, all else is shown escaped. */
export function terminalLines(s: string): string {
  return showControlsKeepLines(s);
}
