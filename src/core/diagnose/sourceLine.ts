// What a line of Go source does, read from its text by plain scanning (the line comes from a file
// the user owns, but it is still input: no backtracking). Used as evidence for patterns, never as
// the only evidence: a pattern that reads the line also needs its shape in the profile.

/** LineShape is one thing a source line can be seen doing. */
export type LineShape =
  /** `m[k] = v`: an assignment into an index expression (a map, when the line allocates by doubling). */
  | 'index-assign'
  /** An index assignment whose index is not integer-like (`m[key] = v`, not `s[i] = v`): a map, as far as text can tell. */
  | 'map-assign'
  /** `x = append(x, …)` (or an append whose result is not assigned back): a slice growing in place. */
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
  if (isIndexAssign(code)) {
    shapes.add('index-assign');
    if (!integerIndex(code)) shapes.add('map-assign');
  }
  if (isSelfAppend(code)) shapes.add('append');
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

/** isSelfAppend finds `x = append(x, …)`: the appended-to slice is the one assigned. `m[k] = append([]byte(nil), v...)` copies instead. */
function isSelfAppend(code: string): boolean {
  const at = code.indexOf('append(');
  if (at < 0) return false;
  const eq = assignmentAt(code);
  if (eq < 0 || eq > at) return true; // `return append(s, x)`, `f(append(s, x))`: growth of some slice
  let end = at + 7;
  let depth = 0;
  for (; end < code.length; end++) {
    const c = code[end];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') { if (depth === 0) break; depth--; } else if (c === ',' && depth === 0) break;
  }
  const left = code.slice(0, eq).trim();
  const first = code.slice(at + 7, end).trim();
  return left === first || left.endsWith(` ${first}`);
}

/** assignmentAt returns the index of a plain `=` or `:=` assignment's `=`, or -1. */
function assignmentAt(code: string): number {
  for (let i = code.indexOf('='); i > 0; i = code.indexOf('=', i + 1)) {
    if (code.charCodeAt(i + 1) === 61 || '=!<>+-*/%&|^'.includes(code[i - 1])) continue;
    return code[i - 1] === ':' ? i - 1 : i;
  }
  return -1;
}

/** frontResliceOf returns the sliced expression of `x = x[1:]`-like lines (`q.items = q.items[n:]`), or undefined. */
export function frontResliceOf(text: string): string | undefined {
  const code = stripComment(text);
  const eq = assignmentAt(code);
  if (eq < 0 || code[eq] === ':') return undefined;
  const left = code.slice(0, eq).trim();
  const right = code.slice(eq + 1).trim();
  if (!right.startsWith(`${left}[`) || !right.endsWith(':]')) return undefined;
  return left;
}

/** appendTargetOf returns `x` of `x = append(x, …)`, or undefined. */
export function appendTargetOf(text: string): string | undefined {
  const code = stripComment(text);
  const eq = assignmentAt(code);
  if (eq < 0 || !isSelfAppend(code)) return undefined;
  return code.slice(0, eq).trim();
}

const INTEGER_NAMES = new Set(['i', 'j', 'k', 'n', 'idx', 'index', 'pos', 'off', 'len', 'head', 'tail']);

/** integerIndex tells whether the assigned index expression looks like a position (a number, i, len(x)-1…). */
function integerIndex(code: string): boolean {
  const eq = assignmentAt(code);
  const left = code.slice(0, eq < 0 ? code.length : eq).trim();
  const close = left.lastIndexOf(']');
  const open = left.lastIndexOf('[', close);
  if (open < 0 || close < 0) return false;
  const index = left.slice(open + 1, close).trim();
  if (index === '' || (index.charCodeAt(0) >= 48 && index.charCodeAt(0) <= 57) || index.startsWith('len(')) return true;
  const word = index.replace(/[^A-Za-z0-9_]/g, ' ').trim().split(' ')[0];
  return INTEGER_NAMES.has(word) || INTEGER_NAMES.has(index);
}
