import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { formatSigned, formatValue } from '../../core/format';
import {
  type AnnotationScale, type LineAnnotation, type LineWindow, type Magnitude, annotateLines, lineHoverMarkdown, lineRuns, nearWindows, runsNear,
} from './lineAnnotations';
import type { FileLinesAnswer } from '../../protocol/analysis';
import { orderSampleTypes } from '../profiles/sampleTypes';
import { type ProfileSession, type SessionRegistry, isCancelled } from '../profiles/session';
import { goToSourceLink } from '../source/sourceNavigation';
import { type SourceResolver, toSlashes } from '../source/sourceResolver';
import { abridgePath } from '../../core/stackIndex';
import type { GoroutineLine } from '../../core/goroutines/view';
import { goroutineHoverMarkdown, goroutinePaints } from '../goroutines/goroutineText';
import { type GoroutineViews, isGoroutineSession } from '../goroutines/goroutineViews';

// Source annotations: after-text with the line's change, a gutter bar and an overview-ruler mark sized
// by how much of the change the line carries, and a hover with every sample type and the call paths
// through the line. Painted on every visible editor whose file a profile line resolves to.

type Direction = LineAnnotation['direction'];
const DIRECTIONS: Direction[] = ['growth', 'shrink', 'neutral'];
const MAGNITUDES: Magnitude[] = [1, 2, 3, 4];
const FOREGROUND: Record<Direction, string> = {
  growth: 'heaplens.growthForeground', shrink: 'heaplens.shrinkForeground', neutral: 'heaplens.neutralForeground',
};
// Gutter icons are images and cannot use theme colours: these repeat the contributed defaults.
const GUTTER_COLOR: Record<Direction, { dark: string; light: string }> = {
  growth: { dark: '#f48771', light: '#b0301c' },
  shrink: { dark: '#89d185', light: '#2a7d2a' },
  neutral: { dark: '#9cdcfe', light: '#2b5e8c' },
};

/** AnnotatedLine is a painted line and the profile file it came from (needed to answer hovers). */
interface AnnotatedLine {
  profileFile: string;
  annotation: LineAnnotation;
  /** Goroutine sessions: the goroutines that wait or were started on this line (the hover's text). */
  goroutines?: GoroutineLine[];
}

/** FileAnnotations are one local file's painted lines, sorted by line, and a lookup by line number. */
interface FileAnnotations {
  sorted: AnnotatedLine[];
  byLine: Map<number, AnnotatedLine>;
  /** The marks' ranges by decoration type for a document of `lineCount` lines, made on first paint and reused by every editor switch. */
  marks?: { lineCount: number; runs: Map<string, MarkRun[]>; count: number };
}

/** MarkRun is one whole-line mark: a run of consecutive lines painted alike, and its range. */
interface MarkRun { first: number; last: number; range: vscode.Range }

/**
 * Painting is what the active session paints and, as they are asked for, which profile file names
 * a local file stands for and its annotated lines. A big profile names thousands of files: only
 * those with the base name of a file actually shown are resolved (every rule keeps the base name),
 * so neither the host's thread nor the file system pays for the files nobody opens.
 */
interface Painting {
  session: ProfileSession;
  /** Lower-cased base name → the profile file names with it (built when an editor first asks). */
  namesByBase?: Map<string, string[]>;
  /** Local file → the profile file names that resolve to it. */
  files: Map<string, Promise<string[]>>;
  /** Local file → its annotated lines, computed in the analysis worker on first need. */
  lines: Map<string, Promise<FileAnnotations | undefined>>;
}

// An editor switch makes VS Code drop the hidden editor's decorations and every extension send them
// again; the window then takes in each after-text as a CSS rule of its own and each mark as a
// decoration. Measured in code-server on the 12,000-line file (the e2e suite, median of three
// switches): 176–301 ms from the click to the painted after-texts with 60 lines of after-text margin
// and all 2,769 marks in one message; 126–258 ms with the margin and first marks below — where one
// after-text set by a probe extension takes 123–196 ms.
/** TEXT_MARGIN_LINES: after-texts are set this far beyond the visible lines, so scrolling a little shows them at once. */
const TEXT_MARGIN_LINES = 10;
/** TEXT_SLACK_LINES: a scroll repaints the after-texts once fewer than this many painted lines are left beyond the visible ones. */
const TEXT_SLACK_LINES = 4;
/**
 * NEAR_FIRST_MIN_RUNS: a file with more marks than this gets those near the visible lines with the
 * after-texts, and the rest (the overview ruler's, the gutter's out of view) REST_DELAY_MS later in
 * a message of their own.
 */
const NEAR_FIRST_MIN_RUNS = 200;
/** REST_DELAY_MS: long enough for the window to paint the first message before the second arrives. */
const REST_DELAY_MS = 250;

/** fileAnnotations turns the worker's line values of a local file's profile names into painted lines. */
function fileAnnotations(answer: FileLinesAnswer, profileFiles: readonly string[]): FileAnnotations {
  const scale: AnnotationScale = {
    sampleType: answer.sampleType.type, unit: answer.sampleType.unit, isDiff: answer.isDiff, denominator: answer.denominator, total: answer.total,
  };
  const byLine = new Map<number, AnnotatedLine>();
  for (const profileFile of profileFiles) {
    for (const annotation of annotateLines(answer.files[profileFile] ?? [], scale)) {
      const prev = byLine.get(annotation.line);
      if (!prev || Math.abs(annotation.value.cum) > Math.abs(prev.annotation.value.cum)) byLine.set(annotation.line, { profileFile, annotation });
    }
  }
  return { byLine, sorted: [...byLine.values()].sort((a, b) => a.annotation.line - b.annotation.line) };
}

/**
 * SourceAnnotations paints the active session onto source editors. What the renderer pays is kept
 * independent of how many lines a file has annotated: the gutter bar, overview-ruler mark and
 * background come from a dozen fixed decoration types given plain ranges (no per-line options), one
 * whole-line range per run of consecutive lines painted alike, made once per file and re-sent as is
 * when an editor shows it again; the after-text — the one thing that needs per-line content — is set
 * only on the lines in view (plus a margin), refreshed as the editor scrolls.
 */
export class SourceAnnotations implements vscode.Disposable {
  private enabled: boolean;
  private readonly marks = new Map<string, vscode.TextEditorDecorationType>();
  private readonly texts = new Map<Direction, vscode.TextEditorDecorationType>();
  private painting: Painting | undefined;
  private readonly scrollTimers = new Map<vscode.TextEditor, ReturnType<typeof setTimeout>>();
  /** The marks still to send to an editor that was given those near its visible lines first. */
  private readonly restTimers = new Map<vscode.TextEditor, ReturnType<typeof setTimeout>>();
  /** The line windows each editor has after-texts for, and of which annotations: a scroll that stays inside them sends nothing. */
  private readonly textWindows = new WeakMap<vscode.TextEditor, { lines: FileAnnotations; windows: LineWindow[] }>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly sessions: SessionRegistry, private readonly sources: SourceResolver, private readonly goroutineViews?: GoroutineViews) {
    this.enabled = vscode.workspace.getConfiguration('heaplens').get<boolean>('annotations.enabled', true);
    for (const d of DIRECTIONS) {
      for (const m of MAGNITUDES) this.marks.set(typeKey(d, m), createMarkType(d, m));
      this.texts.set(d, createTextType(d));
    }
    this.disposables.push(
      sessions.onDidChangeActive(() => this.recompute()),
      sources.onDidChange(() => this.recompute()),
      vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => void this.paint(e))),
      vscode.window.onDidChangeTextEditorVisibleRanges((e) => this.scrolled(e.textEditor)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('heaplens.annotations.enabled')) return;
        this.enabled = vscode.workspace.getConfiguration('heaplens').get<boolean>('annotations.enabled', true);
        this.recompute();
      }),
      vscode.languages.registerHoverProvider({ scheme: 'file' }, { provideHover: (doc, pos, token) => this.hover(doc, pos, token) }),
    );
    this.recompute();
  }

  /** toggle switches annotations on or off for this window (the setting is left alone). */
  toggle(): boolean {
    this.enabled = !this.enabled;
    this.recompute();
    return this.enabled;
  }

  /**
   * recompute starts painting the active session and repaints the visible editors. Old marks go at
   * once (never old numbers under new settings); which profile files a local file stands for, and
   * its lines, are found when an editor showing it is visible.
   */
  recompute(): void {
    for (const editor of vscode.window.visibleTextEditors) this.clear(editor);
    const s = this.sessions.active;
    this.painting = s && this.enabled ? { session: s, files: new Map(), lines: new Map() } : undefined;
    for (const editor of vscode.window.visibleTextEditors) void this.paint(editor);
  }

  /** profileFilesOf resolves to the profile's names for a local file: those of its base name that resolve to it. */
  private profileFilesOf(p: Painting, local: string): Promise<string[]> {
    let files = p.files.get(local);
    if (!files) {
      p.namesByBase ??= namesByBase(p.session);
      const names = p.namesByBase.get(baseNameOf(local)) ?? [];
      files = Promise.all(names.map((name) => this.sources.resolve(name)))
        .then((resolved) => names.filter((_, i) => resolved[i]?.path === local));
      p.files.set(local, files);
    }
    return files;
  }

  /** annotatedLines resolves to a local file's painted lines (undefined when the session does not touch it). */
  private annotatedLines(local: string): Promise<FileAnnotations | undefined> | undefined {
    const p = this.painting;
    if (!p) return undefined;
    let lines = p.lines.get(local);
    if (!lines) {
      lines = this.profileFilesOf(p, local).then((profileFiles) => {
        if (profileFiles.length === 0) return undefined;
        return this.goroutineViews && isGoroutineSession(p.session)
          ? this.goroutineViews.get(p.session).then((view) => goroutineAnnotations(goroutinePaints(view, profileFiles), profileFiles[0]))
          : p.session.fileLines(profileFiles).then((answer) => fileAnnotations(answer, profileFiles));
      });
      lines.catch((e) => {
        if (p.lines.get(local) === lines) p.lines.delete(local);
        if (!isCancelled(e)) void vscode.window.showErrorMessage(describeError(p.session.title, e));
      });
      p.lines.set(local, lines);
    }
    return lines;
  }

  private localOf(doc: vscode.TextDocument): string | undefined {
    return doc.uri.scheme === 'file' ? toSlashes(doc.uri.fsPath) : undefined;
  }

  private async paint(editor: vscode.TextEditor): Promise<void> {
    const painting = this.painting;
    const local = this.localOf(editor.document);
    const pending = local ? this.annotatedLines(local) : undefined;
    if (!pending) { this.clear(editor); return; }
    let lines: FileAnnotations | undefined;
    try {
      lines = await pending;
    } catch {
      return;
    }
    if (this.painting !== painting) return;
    if (!lines) { this.clear(editor); return; }
    const marks = markRuns(lines, editor.document.lineCount);
    this.cancelRest(editor);
    if (marks.count <= NEAR_FIRST_MIN_RUNS) {
      this.setMarks(editor, marks.runs);
      this.paintTexts(editor, lines);
      return;
    }
    // The marks in view and the after-texts go alone, so the window paints them without first
    // taking in every mark of the file; the rest follow in a message of their own.
    const near = nearLines(editor);
    this.setMarks(editor, new Map([...marks.runs].map(([key, runs]) => [key, runsNear(runs, near)])));
    this.paintTexts(editor, lines);
    this.restTimers.set(editor, setTimeout(() => {
      this.restTimers.delete(editor);
      if (this.painting === painting && vscode.window.visibleTextEditors.includes(editor)) this.setMarks(editor, marks.runs);
    }, REST_DELAY_MS));
  }

  private setMarks(editor: vscode.TextEditor, runs: Map<string, MarkRun[]>): void {
    for (const [key, type] of this.marks) editor.setDecorations(type, (runs.get(key) ?? []).map((r) => r.range));
  }

  private cancelRest(editor: vscode.TextEditor): void {
    clearTimeout(this.restTimers.get(editor));
    this.restTimers.delete(editor);
  }

  /**
   * paintTexts sets the after-texts of the annotated lines in and near the editor's visible ranges.
   * With `unlessCovered`, nothing is sent while the visible lines still have TEXT_SLACK_LINES of the
   * last painted margin around them (a small scroll, or the visible-range event of an editor just shown).
   */
  private paintTexts(editor: vscode.TextEditor, lines: FileAnnotations, unlessCovered = false): void {
    const lineCount = editor.document.lineCount;
    const painted = this.textWindows.get(editor);
    if (unlessCovered && painted?.lines === lines && editor.visibleRanges.every((v) => painted.windows.some((w) =>
      w.from <= Math.max(1, v.start.line + 1 - TEXT_SLACK_LINES) && w.to >= Math.min(lineCount, v.end.line + 1 + TEXT_SLACK_LINES)))) return;
    const byDirection = new Map<Direction, vscode.DecorationOptions[]>();
    const windows = nearLines(editor);
    for (const { from, to } of windows) {
      for (let i = firstAtOrAfter(lines.sorted, from); i < lines.sorted.length && lines.sorted[i].annotation.line <= to; i++) {
        const a = lines.sorted[i].annotation;
        const end = editor.document.lineAt(a.line - 1).range.end;
        const list = byDirection.get(a.direction) ?? [];
        list.push({ range: new vscode.Range(end, end), renderOptions: { after: { contentText: a.text } } });
        byDirection.set(a.direction, list);
      }
    }
    for (const [d, type] of this.texts) editor.setDecorations(type, byDirection.get(d) ?? []);
    this.textWindows.set(editor, { lines, windows });
  }

  /** scrolled repaints the after-texts once scrolling pauses. */
  private scrolled(editor: vscode.TextEditor): void {
    clearTimeout(this.scrollTimers.get(editor));
    this.scrollTimers.set(editor, setTimeout(() => {
      this.scrollTimers.delete(editor);
      const local = this.localOf(editor.document);
      const pending = local ? this.annotatedLines(local) : undefined;
      const painting = this.painting;
      void pending?.then((lines) => { if (lines && this.painting === painting) this.paintTexts(editor, lines, true); }, () => undefined);
    }, 50));
  }

  private clear(editor: vscode.TextEditor): void {
    this.cancelRest(editor);
    this.textWindows.delete(editor);
    for (const type of this.marks.values()) editor.setDecorations(type, []);
    for (const type of this.texts.values()) editor.setDecorations(type, []);
  }

  /** hover explains an annotated line: all sample types, then the heaviest call paths through it. */
  private async hover(doc: vscode.TextDocument, pos: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const s = this.painting?.session;
    const local = this.localOf(doc);
    const pending = local ? this.annotatedLines(local) : undefined;
    if (!s || !pending) return undefined;
    const annotated = (await pending.catch(() => undefined))?.byLine.get(pos.line + 1);
    if (!annotated) return undefined;
    if (annotated.goroutines) {
      const content = new vscode.MarkdownString(goroutineHoverMarkdown(s.title, annotated.goroutines, s.isComparison, goToSourceLink));
      content.isTrusted = { enabledCommands: ['heaplens.goToSource'] };
      return new vscode.Hover(content);
    }
    const { profileFile, annotation } = annotated;
    const types = orderSampleTypes(s.sampleTypes);
    const abort = new AbortController();
    const linked = token.onCancellationRequested(() => abort.abort());
    let detail;
    try {
      detail = await s.lineDetail(profileFile, annotation.line, types, 3, abort.signal);
    } catch {
      return undefined;
    } finally {
      linked.dispose();
    }
    const { totals, paths } = detail;
    const unitOf = (t: string) => s.unitOf(t);
    const rows = types.map((t) => ({ sampleType: t, unit: unitOf(t), value: totals.get(t) }));
    const md = lineHoverMarkdown({
      title: s.title,
      functions: annotation.value.functions,
      rows,
      isDiff: s.isComparison,
      sampleType: s.sampleType,
      pathsHeading: (escapedType) => vscode.l10n.t('Top call paths through this line ({0}):', escapedType),
      paths: paths.map((p) => ({
        value: s.isComparison ? formatSigned(p.value, unitOf(s.sampleType)) : formatValue(p.value, unitOf(s.sampleType)),
        frames: abridgePath(p).map((f) => f && { ...f, here: f === p.frames[p.at] }),
      })),
    }, goToSourceLink);
    const content = new vscode.MarkdownString(md);
    content.isTrusted = { enabledCommands: ['heaplens.goToSource'] };
    return new vscode.Hover(content);
  }

  dispose(): void {
    for (const t of this.scrollTimers.values()) clearTimeout(t);
    for (const t of this.restTimers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
    for (const t of this.marks.values()) t.dispose();
    for (const t of this.texts.values()) t.dispose();
  }
}

/** goroutineAnnotations are a goroutine session's painted lines of one local file, in the shape the painter takes. */
function goroutineAnnotations(paints: ReturnType<typeof goroutinePaints>, profileFile: string): FileAnnotations {
  const sorted: AnnotatedLine[] = paints.map((p) => ({
    profileFile,
    goroutines: p.lines,
    annotation: {
      line: p.line, text: p.text, direction: p.direction, magnitude: p.magnitude,
      value: { line: p.line, functions: [...new Set(p.lines.map((l) => l.function))], flat: 0, cum: p.value, baseFlat: 0, baseCum: 0 },
    },
  }));
  return { sorted, byLine: new Map(sorted.map((a) => [a.annotation.line, a])) };
}

/** namesByBase indexes a session's profile file names by lower-cased base name (case-insensitive file systems match either case). */
function namesByBase(s: ProfileSession): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const name of new Set([...s.target.info.files, ...(s.base?.info.files ?? [])])) {
    const base = baseNameOf(name);
    const list = out.get(base);
    if (list) list.push(name); else out.set(base, [name]);
  }
  return out;
}

function baseNameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1).toLowerCase();
}

/** nearLines are the editor's visible lines widened by TEXT_MARGIN_LINES: what is painted first. */
function nearLines(editor: vscode.TextEditor): LineWindow[] {
  return nearWindows(editor.visibleRanges.map((r) => ({ start: r.start.line, end: r.end.line })), editor.document.lineCount, TEXT_MARGIN_LINES);
}

/** markRuns are a file's marks by decoration type: one whole-line range per run of consecutive lines alike. */
function markRuns(lines: FileAnnotations, lineCount: number): { runs: Map<string, MarkRun[]>; count: number } {
  if (lines.marks?.lineCount === lineCount) return lines.marks;
  const runs = new Map<string, MarkRun[]>();
  let count = 0;
  for (const run of lineRuns(lines.sorted.map((l) => l.annotation), lineCount)) {
    const key = typeKey(run.direction, run.magnitude);
    const list = runs.get(key) ?? [];
    list.push({ first: run.first, last: run.last, range: new vscode.Range(run.first - 1, 0, run.last - 1, 0) });
    runs.set(key, list);
    count++;
  }
  lines.marks = { lineCount, runs, count };
  return lines.marks;
}

/** firstAtOrAfter is the index of the first annotated line ≥ `line` (binary search). */
function firstAtOrAfter(sorted: readonly AnnotatedLine[], line: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].annotation.line < line) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function typeKey(d: Direction, m: Magnitude): string {
  return `${d}-${m}`;
}

/** createMarkType is the gutter bar, overview-ruler mark and (for the largest changes) background of one direction and size. */
function createMarkType(d: Direction, m: Magnitude): vscode.TextEditorDecorationType {
  const fg = new vscode.ThemeColor(FOREGROUND[d]);
  const background = m === 4 && d !== 'neutral' ? new vscode.ThemeColor(d === 'growth' ? 'heaplens.growthBackground' : 'heaplens.shrinkBackground') : undefined;
  return vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: background,
    overviewRulerColor: fg,
    overviewRulerLane: m >= 3 ? vscode.OverviewRulerLane.Full : m === 2 ? vscode.OverviewRulerLane.Center : vscode.OverviewRulerLane.Right,
    gutterIconSize: 'contain',
    dark: { gutterIconPath: gutterBar(GUTTER_COLOR[d].dark, m) },
    light: { gutterIconPath: gutterBar(GUTTER_COLOR[d].light, m) },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
}

/** createTextType is the after-text style of one direction; the text itself is per decoration. */
function createTextType(d: Direction): vscode.TextEditorDecorationType {
  return vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor(FOREGROUND[d]), margin: '0 0 0 2.5em', fontStyle: 'normal' },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
}

/** gutterBar draws a bar whose length grows with the magnitude (a quarter of the gutter per step). */
function gutterBar(color: string, m: Magnitude): vscode.Uri {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><rect x="1" y="5" width="${m * 3.5}" height="6" rx="1" fill="${color}"/></svg>`;
  return vscode.Uri.parse(`data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`);
}

/** registerAnnotations creates the annotations and the Toggle Source Annotations command. */
export function registerAnnotations(sessions: SessionRegistry, sources: SourceResolver, goroutineViews?: GoroutineViews): vscode.Disposable {
  const annotations = new SourceAnnotations(sessions, sources, goroutineViews);
  return vscode.Disposable.from(
    annotations,
    vscode.commands.registerCommand('heaplens.toggleAnnotations', () => {
      const on = annotations.toggle();
      vscode.window.setStatusBarMessage(on ? vscode.l10n.t('heaplens: source annotations on') : vscode.l10n.t('heaplens: source annotations off'), 3000);
    }),
  );
}
