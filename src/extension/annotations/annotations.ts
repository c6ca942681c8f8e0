import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { formatSigned, formatValue } from '../../core/format';
import {
  type AnnotationScale, type LineAnnotation, type Magnitude, annotateLines, lineHoverMarkdown, linesByFile,
} from './lineAnnotations';
import { orderSampleTypes } from '../profiles/sampleTypes';
import type { ProfileSession, SessionRegistry } from '../profiles/session';
import type { SessionStacks } from '../profiles/sessionStacks';
import { goToSourceLink } from '../source/sourceNavigation';
import { normalizeProfilePath } from '../../core/sourceResolution';
import { type SourceResolver, toSlashes } from '../source/sourceResolver';
import { abridgePath } from '../../core/stackIndex';

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
}

/** Painting is what the active session paints: its local files and, once computed, their annotated lines. */
interface Painting {
  session: ProfileSession;
  /** Local file → the file names the profiles use for it. */
  files: Map<string, string[]>;
  lines?: Map<string, Map<number, AnnotatedLine>>;
}

/** annotate computes the painted lines of every local file of a painting from the session's lines aggregate. */
function annotate(p: Painting): Map<string, Map<number, AnnotatedLine>> {
  const agg = p.session.aggregate({ granularity: 'lines' });
  let changed = 0;
  for (let n = 0; n < agg.nodes.count; n++) changed += Math.abs(agg.flat[n]);
  const scale: AnnotationScale = {
    sampleType: agg.sampleType.type, unit: agg.sampleType.unit, isDiff: agg.isDiff, denominator: agg.isDiff ? changed : agg.total, total: agg.total,
  };
  const byProfileFile = linesByFile(agg);
  const out = new Map<string, Map<number, AnnotatedLine>>();
  for (const [local, profileFiles] of p.files) {
    const lines = new Map<number, AnnotatedLine>();
    for (const profileFile of profileFiles) {
      for (const annotation of annotateLines(byProfileFile.get(profileFile)?.values() ?? [], scale)) {
        const prev = lines.get(annotation.line);
        if (!prev || Math.abs(annotation.value.cum) > Math.abs(prev.annotation.value.cum)) lines.set(annotation.line, { profileFile, annotation });
      }
    }
    if (lines.size > 0) out.set(local, lines);
  }
  return out;
}

/** SourceAnnotations paints the active session onto source editors. */
export class SourceAnnotations implements vscode.Disposable {
  private enabled: boolean;
  private readonly types = new Map<string, vscode.TextEditorDecorationType>();
  private painting: Painting | undefined;
  private generation = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly sessions: SessionRegistry, private readonly sources: SourceResolver, private readonly stacks: SessionStacks) {
    this.enabled = vscode.workspace.getConfiguration('heaplens').get<boolean>('annotations.enabled', true);
    for (const d of DIRECTIONS) for (const m of MAGNITUDES) this.types.set(typeKey(d, m), createDecorationType(d, m));
    this.disposables.push(
      sessions.onDidChangeActive(() => void this.recompute()),
      sources.onDidChange(() => void this.recompute()),
      vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.paint(e))),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('heaplens.annotations.enabled')) return;
        this.enabled = vscode.workspace.getConfiguration('heaplens').get<boolean>('annotations.enabled', true);
        void this.recompute();
      }),
      vscode.languages.registerHoverProvider({ scheme: 'file' }, { provideHover: (doc, pos) => this.hover(doc, pos) }),
    );
    void this.recompute();
  }

  /** toggle switches annotations on or off for this window (the setting is left alone). */
  toggle(): boolean {
    this.enabled = !this.enabled;
    void this.recompute();
    return this.enabled;
  }

  /**
   * recompute finds which local files the active session's profile files resolve to and repaints the
   * visible editors. The lines aggregate itself waits until an editor showing one of them is visible:
   * on large profiles it costs seconds, and right after Compare usually no such editor is open.
   */
  async recompute(): Promise<void> {
    const generation = ++this.generation;
    const s = this.sessions.active;
    let next: Painting | undefined;
    if (s && this.enabled) next = { session: s, files: await this.localFiles(s) };
    if (generation !== this.generation) return; // a newer recompute started meanwhile
    this.painting = next;
    for (const editor of vscode.window.visibleTextEditors) this.paint(editor);
  }

  /** localFiles maps each local file a profile names (resolved) to the profile's names for it. */
  private async localFiles(s: ProfileSession): Promise<Map<string, string[]>> {
    const names = new Set<string>();
    for (const p of [s.target.profile, s.base?.profile]) {
      for (const f of p?.functions.filename ?? []) if (f) names.add(normalizeProfilePath(f));
    }
    const out = new Map<string, string[]>();
    await Promise.all([...names].map(async (name) => {
      const r = await this.sources.resolve(name);
      if (r) out.set(r.path, [...(out.get(r.path) ?? []), name]);
    }));
    return out;
  }

  /** annotatedLines returns a local file's painted lines, computing the session's lines aggregate on first need. */
  private annotatedLines(local: string): Map<number, AnnotatedLine> | undefined {
    const p = this.painting;
    if (!p?.files.has(local)) return undefined;
    if (!p.lines) {
      try {
        p.lines = annotate(p);
      } catch (e) {
        p.lines = new Map();
        void vscode.window.showErrorMessage(describeError(p.session.title, e));
      }
    }
    return p.lines.get(local);
  }

  private paint(editor: vscode.TextEditor): void {
    const lines = editor.document.uri.scheme === 'file' ? this.annotatedLines(toSlashes(editor.document.uri.fsPath)) : undefined;
    const ranges = new Map<string, vscode.DecorationOptions[]>();
    for (const { annotation: a } of lines?.values() ?? []) {
      if (a.line > editor.document.lineCount) continue;
      const end = editor.document.lineAt(a.line - 1).range.end;
      const key = typeKey(a.direction, a.magnitude);
      const list = ranges.get(key) ?? [];
      list.push({ range: new vscode.Range(end, end), renderOptions: { after: { contentText: a.text } } });
      ranges.set(key, list);
    }
    for (const [key, type] of this.types) editor.setDecorations(type, ranges.get(key) ?? []);
  }

  /** hover explains an annotated line: all sample types, then the heaviest call paths through it. */
  private hover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const s = this.painting?.session;
    const annotated = doc.uri.scheme === 'file' ? this.annotatedLines(toSlashes(doc.uri.fsPath))?.get(pos.line + 1) : undefined;
    if (!s || !annotated) return undefined;
    const { profileFile, annotation } = annotated;
    const stacks = this.stacks.of(s);
    const types = orderSampleTypes(s.sampleTypes);
    const { totals, paths } = stacks.lineDetail(profileFile, annotation.line, types, s.sampleType, 3);
    const unitOf = (t: string) => s.target.profile.sampleTypes.find((x) => x.type === t)?.unit ?? '';
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
    for (const d of this.disposables) d.dispose();
    for (const t of this.types.values()) t.dispose();
  }
}

function typeKey(d: Direction, m: Magnitude): string {
  return `${d}-${m}`;
}

function createDecorationType(d: Direction, m: Magnitude): vscode.TextEditorDecorationType {
  const fg = new vscode.ThemeColor(FOREGROUND[d]);
  const background = m === 4 && d !== 'neutral' ? new vscode.ThemeColor(d === 'growth' ? 'heaplens.growthBackground' : 'heaplens.shrinkBackground') : undefined;
  return vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: background,
    after: { color: fg, margin: '0 0 0 2.5em', fontStyle: 'normal' },
    overviewRulerColor: fg,
    overviewRulerLane: m >= 3 ? vscode.OverviewRulerLane.Full : m === 2 ? vscode.OverviewRulerLane.Center : vscode.OverviewRulerLane.Right,
    gutterIconSize: 'contain',
    dark: { gutterIconPath: gutterBar(GUTTER_COLOR[d].dark, m) },
    light: { gutterIconPath: gutterBar(GUTTER_COLOR[d].light, m) },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
}

/** gutterBar draws a bar whose length grows with the magnitude (a quarter of the gutter per step). */
function gutterBar(color: string, m: Magnitude): vscode.Uri {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><rect x="1" y="5" width="${m * 3.5}" height="6" rx="1" fill="${color}"/></svg>`;
  return vscode.Uri.parse(`data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`);
}

/** registerAnnotations creates the annotations and the Toggle Source Annotations command. */
export function registerAnnotations(sessions: SessionRegistry, sources: SourceResolver, stacks: SessionStacks): vscode.Disposable {
  const annotations = new SourceAnnotations(sessions, sources, stacks);
  return vscode.Disposable.from(
    annotations,
    vscode.commands.registerCommand('heaplens.toggleAnnotations', () => {
      const on = annotations.toggle();
      vscode.window.setStatusBarMessage(on ? vscode.l10n.t('heaplens: source annotations on') : vscode.l10n.t('heaplens: source annotations off'), 3000);
    }),
  );
}
