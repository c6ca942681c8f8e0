// What a line of Go source does, read from its text by plain scanning (the line comes from a file
// the user owns, but it is still input: no backtracking). Used as evidence for patterns, never as
// the only evidence: a pattern that reads the line also needs its shape in the profile.

/** LineShape is one thing a source line can be seen doing. */
export type LineShape =
  /** `m[k] = v`: an assignment into an index expression (a map, when the line allocates by doubling). */
  | 'index-assign'
  /** `append(` appears: slice growth. */
  | 'append'
  /** A whole stream read: ReadFrom, ReadAll, or a framework's body accessor. */
  | 'read-whole'
  /** A request or response body is named (`r.Body`, `ctx.Request.Body()`, GetRawData, Bind…). */
  | 'body'
  /** A timer is created: time.After, NewTimer, Tick, NewTicker, AfterFunc. */
  | 'timer'
  /** A slice is cut from the front: `x = x[1:]`. */
  | 'front-reslice';

/** SourceLineReader returns the text of a 1-based line of a file, or undefined when it cannot be read. */
export type SourceLineReader = (file: string, line: number) => string | undefined;

/** lineShapes lists the shapes a line of Go shows (comments stripped). */
export function lineShapes(text: string): Set<LineShape> {
  const code = stripComment(text);
  const shapes = new Set<LineShape>();
  if (isIndexAssign(code)) shapes.add('index-assign');
  if (code.includes('append(')) shapes.add('append');
  if (code.includes('ReadFrom(') || code.includes('ReadAll(') || code.includes('.Body()') || code.includes('GetRawData(')) shapes.add('read-whole');
  if (code.includes('Body') || code.includes('GetRawData(') || code.includes('Bind')) shapes.add('body');
  if (['time.After(', 'time.NewTimer(', 'time.Tick(', 'time.NewTicker(', 'time.AfterFunc('].some((t) => code.includes(t))) shapes.add('timer');
  if (isFrontReslice(code)) shapes.add('front-reslice');
  return shapes;
}

/** stripComment drops a trailing `//` comment that is not inside a string literal. */
function stripComment(text: string): string {
  let quote = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === 92 /* \ */ && quote !== 96) i++;
      else if (c === quote) quote = 0;
    } else if (c === 34 || c === 39 || c === 96) quote = c;
    else if (c === 47 && text.charCodeAt(i + 1) === 47) return text.slice(0, i);
  }
  return text;
}

/** isIndexAssign finds `…[…] = ` (plain assignment, not `==`, `:=`, `<=` …) whose left side ends with an index. */
function isIndexAssign(code: string): boolean {
  for (let i = code.indexOf('='); i > 0; i = code.indexOf('=', i + 1)) {
    const before = code.charCodeAt(i - 1);
    if (code.charCodeAt(i + 1) === 61 || '=!<>:+-*/%&|^'.includes(String.fromCharCode(before))) continue;
    let j = i - 1;
    while (j >= 0 && code.charCodeAt(j) === 32) j--;
    return j > 0 && code[j] === ']' && code.lastIndexOf('[', j) > 0;
  }
  return false;
}

/** isFrontReslice finds `x = x[1:]`-like cuts: `[1:]` or `[n:]` with an empty high bound, assigned back. */
function isFrontReslice(code: string): boolean {
  const eq = code.indexOf('=');
  if (eq < 0) return false;
  const right = code.slice(eq + 1);
  const close = right.indexOf(':]');
  return close > 0 && right.lastIndexOf('[', close) >= 0;
}
