import * as vscode from 'vscode';
import type { TrendAnnotation } from '../../core/trend';
import { normalizeProfilePath } from '../../core/sourceResolution';
import { type SourceResolver, toSlashes } from '../source/sourceResolver';
import type { TrendController } from './trend';

// While a trend across several profiles is shown, each line of your code that the trend charges
// growth to carries its slope — `↗ +300MB/min inuse_space ▁▂▄▆█ leak suspect` — next to the
// comparison's own annotation. Cleared with the trend; off when heaplens.annotations.enabled is.

/** TrendAnnotations paints trend slopes onto the visible editors. */
export class TrendAnnotations implements vscode.Disposable {
  private readonly suspect = vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor('heaplens.growthForeground'), fontStyle: 'italic', margin: '0 0 0 1.5em' },
    overviewRulerColor: new vscode.ThemeColor('heaplens.growthForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  private readonly other = vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor('heaplens.neutralForeground'), fontStyle: 'italic', margin: '0 0 0 1.5em' },
  });
  /** Local file → line → annotation, for the current trend. */
  private byFile = new Map<string, Map<number, TrendAnnotation>>();
  private generation = 0;
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly trend: TrendController, private readonly sources: SourceResolver) {
    this.disposables = [
      this.suspect,
      this.other,
      trend.onDidChange(() => void this.recompute()),
      sources.onDidChange(() => void this.recompute()),
      vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.paint(e))),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('heaplens.annotations.enabled')) void this.recompute(); }),
    ];
    void this.recompute();
  }

  /** recompute resolves every annotated profile file to a local file, then repaints. */
  async recompute(): Promise<void> {
    const generation = ++this.generation;
    const enabled = vscode.workspace.getConfiguration('heaplens').get<boolean>('annotations.enabled', true);
    const next = new Map<string, Map<number, TrendAnnotation>>();
    if (enabled) {
      await Promise.all(this.trend.annotations().map(async (a) => {
        const r = await this.sources.resolve(normalizeProfilePath(a.file));
        if (!r) return;
        const lines = next.get(r.path) ?? new Map<number, TrendAnnotation>();
        lines.set(a.line, a);
        next.set(r.path, lines);
      }));
    }
    if (generation !== this.generation) return;
    this.byFile = next;
    for (const editor of vscode.window.visibleTextEditors) this.paint(editor);
  }

  private paint(editor: vscode.TextEditor): void {
    const lines = editor.document.uri.scheme === 'file' ? this.byFile.get(toSlashes(editor.document.uri.fsPath)) : undefined;
    const suspects: vscode.DecorationOptions[] = [];
    const others: vscode.DecorationOptions[] = [];
    for (const a of lines?.values() ?? []) {
      if (a.line < 1 || a.line > editor.document.lineCount) continue;
      const end = editor.document.lineAt(a.line - 1).range.end;
      const option = { range: new vscode.Range(end, end), renderOptions: { after: { contentText: `${a.slopePerMinute > 0 ? '\u2197' : '\u2198'} ${a.label}` } } };
      (a.suspect ? suspects : others).push(option);
    }
    editor.setDecorations(this.suspect, suspects);
    editor.setDecorations(this.other, others);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
