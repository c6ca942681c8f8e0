import * as l10n from '@vscode/l10n';
import { formatPercent, formatSigned, formatSignedPercent, formatValue } from '../../core/format';
import type { LineValue } from '../../core/lineValues';
import type { CallFrame } from '../../core/stackIndex';
import { markdownCode, markdownLink, markdownText } from '../../core/text/markdown';
import { isolateName } from '../../core/text/nameDisplay';
import { sampleTypeShortName } from '../profiles/sampleTypes';

// What is painted on source lines, computed from a lines aggregate without VS Code (unit-tested).
// A line shows its cum value: a user line such as `buf.ReadFrom(r.Body)` allocates nothing itself
// (flat 0) but everything allocated below it is what it costs — that is what `pprof list` calls cum.

/** Magnitude is how large a line's change is, 1 (small) to 4 (half of everything or more): the mark's size. */
export type Magnitude = 1 | 2 | 3 | 4;

/** LineAnnotation is a line's painted text, direction and size. */
export interface LineAnnotation {
  line: number;
  /** The after-text (formatted when first read). */
  readonly text: string;
  direction: 'growth' | 'shrink' | 'neutral';
  magnitude: Magnitude;
  value: LineValue;
}

/** AnnotationScale is what a line's size is measured against. */
export interface AnnotationScale {
  sampleType: string;
  unit: string;
  isDiff: boolean;
  /** Σ|Δ flat| (all change) when comparing, pprof's total otherwise. */
  denominator: number;
  /** pprof's total, for the single-profile percentage. */
  total: number;
}

/**
 * annotateLines turns a file's line values into painted annotations; unchanged lines get none. The
 * after-text is formatted when first read: only the lines in view (and a margin) are ever shown, and
 * formatting every line of a 12,000-line file was most of building its annotations on the host.
 */
export function annotateLines(lines: Iterable<LineValue>, scale: AnnotationScale): LineAnnotation[] {
  const out: LineAnnotation[] = [];
  const word = sampleTypeWord(scale);
  for (const v of lines) {
    if (v.cum === 0) continue;
    out.push(new PaintedLine(v, scale, word));
  }
  return out.sort((a, b) => a.line - b.line);
}

/** PaintedLine is a LineAnnotation whose text is formatted on first read. */
class PaintedLine implements LineAnnotation {
  readonly line: number;
  readonly direction: LineAnnotation['direction'];
  readonly magnitude: Magnitude;
  private formatted: string | undefined;

  constructor(readonly value: LineValue, private readonly scale: AnnotationScale, private readonly word: string) {
    this.line = value.line;
    this.direction = !scale.isDiff ? 'neutral' : value.cum > 0 ? 'growth' : 'shrink';
    this.magnitude = magnitudeOf(Math.abs(value.cum), scale.denominator);
  }

  get text(): string {
    this.formatted ??= textOf(this.value, this.scale, this.word);
    return this.formatted;
  }
}

/** annotationText is the after-text: "+49.73MB inuse (+2327%)" when comparing, "49.73MB inuse (12.00%)" otherwise. */
export function annotationText(v: LineValue, scale: AnnotationScale): string {
  return textOf(v, scale, sampleTypeWord(scale));
}

function sampleTypeWord(scale: AnnotationScale): string {
  return isolateName(sampleTypeShortName(scale.sampleType));
}

function textOf(v: LineValue, scale: AnnotationScale, word: string): string {
  if (scale.isDiff) return `${formatSigned(v.cum, scale.unit)} ${word} (${formatSignedPercent(v.cum, v.baseCum)})`;
  return `${formatValue(v.cum, scale.unit)} ${word} (${formatPercent(v.cum, scale.total).trim()})`;
}

/** magnitudeOf buckets |value| / denominator: ≥ 50 % → 4, ≥ 10 % → 3, ≥ 1 % → 2, else 1. */
export function magnitudeOf(abs: number, denominator: number): Magnitude {
  const f = denominator > 0 ? abs / denominator : 0;
  if (f >= 0.5) return 4;
  if (f >= 0.1) return 3;
  if (f >= 0.01) return 2;
  return 1;
}

/** LineRun is lines first..last (1-based, inclusive) painted with the same direction and magnitude. */
export interface LineRun {
  direction: LineAnnotation['direction'];
  magnitude: Magnitude;
  first: number;
  last: number;
}

/**
 * lineRuns merges consecutive annotated lines of the same direction and magnitude into runs, up to
 * `lineCount`. A whole-line mark given one multi-line range paints every line of it as a mark per
 * line would, but the renderer keeps one decoration instead of one per line: a file with thousands
 * of annotated lines costs the editor tens of decorations where its annotated lines are dense.
 */
export function lineRuns(sorted: readonly Pick<LineAnnotation, 'line' | 'direction' | 'magnitude'>[], lineCount: number): LineRun[] {
  const runs: LineRun[] = [];
  let run: LineRun | undefined;
  for (const a of sorted) {
    if (a.line > lineCount) break;
    if (run && a.line === run.last + 1 && a.direction === run.direction && a.magnitude === run.magnitude) {
      run.last = a.line;
      continue;
    }
    run = { direction: a.direction, magnitude: a.magnitude, first: a.line, last: a.line };
    runs.push(run);
  }
  return runs;
}

/** LineWindow is an inclusive range of 1-based lines. */
export interface LineWindow { from: number; to: number }

/**
 * nearWindows widens each visible range (0-based, inclusive, as an editor reports them) by `margin`
 * lines and clamps it to the file: the lines worth painting before any other.
 */
export function nearWindows(visible: ReadonlyArray<{ start: number; end: number }>, lineCount: number, margin: number): LineWindow[] {
  return visible.map((v) => ({ from: Math.max(1, v.start + 1 - margin), to: Math.min(lineCount, v.end + 1 + margin) }));
}

/** runsNear keeps the runs that touch a window, in their order. */
export function runsNear<R extends Pick<LineRun, 'first' | 'last'>>(runs: readonly R[], windows: readonly LineWindow[]): R[] {
  return runs.filter((r) => windows.some((w) => r.first <= w.to && r.last >= w.from));
}

/** TypedLineValue is a line's cum for one sample type, for the hover's table. */
export interface TypedLineValue {
  sampleType: string;
  unit: string;
  value: Pick<LineValue, 'cum' | 'baseCum'> | undefined;
}

/** lineValuesTableMarkdown renders base/new/Δ (or value) of a line for every sample type as a Markdown table. */
export function lineValuesTableMarkdown(rows: readonly TypedLineValue[], isDiff: boolean): string {
  const head = l10n.t('cum at this line');
  const out = isDiff ? [`| ${head} | ${l10n.t('base')} | ${l10n.t('new')} | Δ |`, '|---|---:|---:|---:|'] : [`| ${head} | ${l10n.t('value')} |`, '|---|---:|'];
  for (const { sampleType, unit, value } of rows) {
    const cum = value?.cum ?? 0;
    const base = value?.baseCum ?? 0;
    if (!isDiff) { out.push(`| ${markdownText(sampleType)} | ${formatValue(cum, unit)} |`); continue; }
    const change = cum === 0 ? '0' : `${formatSigned(cum, unit)} (${formatSignedPercent(cum, base)})`;
    out.push(`| ${markdownText(sampleType)} | ${formatValue(base, unit)} | ${formatValue(base + cum, unit)} | ${change} |`);
  }
  return out.join('\n');
}

/** HoverFrame is a frame of a call path in the hover; `here` marks the hovered line's frame. */
export type HoverFrame = CallFrame & { here: boolean };

/** LineHover is what the hover of an annotated line shows, already formatted except for escaping. */
export interface LineHover {
  title: string;
  functions: readonly string[];
  rows: readonly TypedLineValue[];
  isDiff: boolean;
  sampleType: string;
  /** The localised heading of the paths, given the sample type already escaped. */
  pathsHeading?: (escapedSampleType: string) => string;
  /** The heaviest paths through the line: formatted value, frames (undefined where abridged). */
  paths: ReadonlyArray<{ value: string; frames: ReadonlyArray<HoverFrame | undefined> }>;
}

/**
 * lineHoverMarkdown renders an annotated line's hover: every sample type, then the top call paths,
 * each frame a link to its source. The hover is trusted for heaplens.goToSource, so every string
 * from the profile goes through the Markdown escapers and every link through markdownLink.
 */
export function lineHoverMarkdown(h: LineHover, linkTo: (location: { file: string; line: number; function: string }) => string): string {
  const md = [
    `**heaplens** · ${markdownText(h.title)} · ${h.functions.map(markdownText).join(', ')}`,
    '',
    lineValuesTableMarkdown(h.rows, h.isDiff),
  ];
  if (h.paths.length > 0) {
    const type = markdownText(h.sampleType);
    md.push('', h.pathsHeading ? h.pathsHeading(type) : l10n.t('Top call paths through this line ({0}):', type), '');
    for (const p of h.paths) {
      const frames = p.frames.map((f) => (f ? frameLink(f, linkTo) : '…'));
      md.push(`- ${markdownCode(p.value)} ${frames.join(' → ')}`);
    }
  }
  return md.join('\n');
}

function frameLink(f: HoverFrame, linkTo: (location: { file: string; line: number; function: string }) => string): string {
  const short = f.name.slice(f.name.lastIndexOf('/') + 1);
  const text = markdownText(`${short}${f.line ? `:${f.line}` : ''}`);
  const link = f.file ? markdownLink(text, linkTo({ file: f.file, line: f.line, function: f.name })) : text;
  return f.here ? `**${link}**` : link;
}
