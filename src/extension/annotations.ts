import * as vscode from 'vscode';
import { describeError } from '../core/errors';
import { formatSigned, formatValue } from '../core/format';
import { type CallFrame, CallPathIndex, abridgePath } from './callPaths';
import { escapeMarkdown } from './hotspotRows';
import {
  type AnnotationScale, type FileLines, type LineAnnotation, type Magnitude, annotateLines, lineValuesTableMarkdown, linesByFile,
} from './lineAnnotations';
import { orderSampleTypes } from './sampleTypes';
import type { ProfileSession, SessionRegistry } from './session';
import { goToSourceLink } from './sourceNavigation';
import { type SourceResolver, toSlashes } from './sourceResolver';

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

/** SourceAnnotations paints the active session onto source editors. */
export class SourceAnnotations implements vscode.Disposable {
  private enabled: boolean;
  private readonly types = new Map<string, vscode.TextEditorDecorationType>();
  private byLocalFile = new Map<string, Map<number, AnnotatedLine>>();
  private generation = 0;
  private hoverCache: { key: string; lines: Map<string, FileLines>; paths?: CallPathIndex } | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly sessions: SessionRegistry, private readonly sources: SourceResolver) {
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

  /** recompute rebuilds the annotations of the active session and repaints the visible editors. */
  async recompute(): Promise<void> {
    const generation = ++this.generation;
    const s = this.sessions.active;
    let next = new Map<string, Map<number, AnnotatedLine>>();
    if (s && this.enabled) {
      try {
        next = await this.annotate(s, () => generation !== this.generation);
      } catch (e) {
        void vscode.window.showErrorMessage(describeError(s.title, e));
      }
    }
    if (generation !== this.generation) return; // a newer recompute started meanwhile
    this.byLocalFile = next;
    for (const editor of vscode.window.visibleTextEditors) this.paint(editor);
  }

  private async annotate(s: ProfileSession, stale: () => boolean): Promise<Map<string, Map<number, AnnotatedLine>>> {
    const agg = s.aggregate({ granularity: 'lines' });
    let changed = 0;
    for (let n = 0; n < agg.nodes.count; n++) changed += Math.abs(agg.flat[n]);
    const scale: AnnotationScale = {
      sampleType: s.sampleType, unit: agg.sampleType.unit, isDiff: agg.isDiff, denominator: agg.isDiff ? changed : agg.total, total: agg.total,
    };
    const out = new Map<string, Map<number, AnnotatedLine>>();
    const files = linesByFile(agg);
    const resolved = await Promise.all([...files.keys()].map(async (f) => [f, await this.sources.resolve(f)] as const));
    if (stale()) return out;
    for (const [profileFile, resolution] of resolved) {
      if (!resolution) continue;
      const local = out.get(resolution.path) ?? new Map<number, AnnotatedLine>();
      for (const annotation of annotateLines(files.get(profileFile)!.values(), scale)) {
        const prev = local.get(annotation.line);
        if (!prev || Math.abs(annotation.value.cum) > Math.abs(prev.annotation.value.cum)) local.set(annotation.line, { profileFile, annotation });
      }
      out.set(resolution.path, local);
    }
    return out;
  }

  private paint(editor: vscode.TextEditor): void {
    const lines = editor.document.uri.scheme === 'file' ? this.byLocalFile.get(toSlashes(editor.document.uri.fsPath)) : undefined;
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
    const s = this.sessions.active;
    const annotated = doc.uri.scheme === 'file' ? this.byLocalFile.get(toSlashes(doc.uri.fsPath))?.get(pos.line + 1) : undefined;
    if (!s || !annotated) return undefined;
    const cache = this.hoverData(s);
    const rows = orderSampleTypes(s.sampleTypes).map((t) => {
      let lines = cache.lines.get(t);
      if (!lines) { lines = linesByFile(s.aggregate({ granularity: 'lines', sampleIndex: t })); cache.lines.set(t, lines); }
      const unit = s.target.profile.sampleTypes.find((x) => x.type === t)?.unit ?? '';
      return { sampleType: t, unit, value: lines.get(annotated.profileFile)?.get(annotated.annotation.line) };
    });
    cache.paths ??= new CallPathIndex(s.target.profile, s.base?.profile, s.filters);
    const unit = s.target.profile.sampleTypes.find((x) => x.type === s.sampleType)?.unit ?? '';
    const paths = cache.paths.through(annotated.profileFile, annotated.annotation.line, s.sampleType, 3);
    const md = [
      `**heaplens** · ${escapeMarkdown(s.title)} · ${escapeMarkdown(annotated.annotation.value.functions.join(', '))}`,
      '',
      lineValuesTableMarkdown(rows, s.isComparison),
    ];
    if (paths.length > 0) {
      md.push('', `Top call paths through this line (${s.sampleType}):`, '');
      for (const p of paths) {
        const value = s.isComparison ? formatSigned(p.value, unit) : formatValue(p.value, unit);
        const frames = abridgePath(p).map((f) => (f ? frameLink(f, f === p.frames[p.at]) : '…'));
        md.push(`- \`${value}\` ${frames.join(' → ')}`);
      }
    }
    const content = new vscode.MarkdownString(md.join('\n'));
    content.isTrusted = { enabledCommands: ['heaplens.goToSource'] };
    return new vscode.Hover(content);
  }

  private hoverData(s: ProfileSession): NonNullable<SourceAnnotations['hoverCache']> {
    const key = JSON.stringify([s.id, s.filters, s.base?.uri.toString(), s.target.uri.toString()]);
    if (this.hoverCache?.key !== key) this.hoverCache = { key, lines: new Map() };
    return this.hoverCache;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    for (const t of this.types.values()) t.dispose();
  }
}

function frameLink(f: CallFrame, here: boolean): string {
  const short = f.name.slice(f.name.lastIndexOf('/') + 1);
  const text = escapeMarkdown(`${short}${f.line ? `:${f.line}` : ''}`);
  const link = f.file ? `[${text}](${goToSourceLink({ file: f.file, line: f.line, function: f.name })})` : text;
  return here ? `**${link}**` : link;
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
export function registerAnnotations(sessions: SessionRegistry, sources: SourceResolver): vscode.Disposable {
  const annotations = new SourceAnnotations(sessions, sources);
  return vscode.Disposable.from(
    annotations,
    vscode.commands.registerCommand('heaplens.toggleAnnotations', () => {
      const on = annotations.toggle();
      vscode.window.setStatusBarMessage(on ? 'heaplens: source annotations on' : 'heaplens: source annotations off', 3000);
    }),
  );
}
