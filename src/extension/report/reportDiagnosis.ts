import * as l10n from '@vscode/l10n';
import { type Diagnosis, type Finding as DiagnosisFinding, blockedAtText, findingRows, type FindingRow, headline } from '../../core/diagnose';
import { formatRatio, formatSigned, formatValue } from '../../core/format';
import { isolateName } from '../../core/text/nameDisplay';
import type { Finding as PanelFinding } from '../../protocol/messages';
import type { DiagnosisAnswer, SourceTexts } from '../../protocol/analysis';
import type { FrameOriginOptions } from '../../core/diagnose/userFrame';
import { patternText } from '../../core/diagnose/patterns';
import { kindAdvice } from '../../core/diagnose/explain';
import { kindName } from '../../core/diagnose/kind';

// One growth diagnosis per comparison, shared by the panel's summary, the tree and the exported
// report. It is computed in the analysis worker (which keeps the ranked sites per order, sample type
// and user modules); this cache keeps the answer per session and settings so the three surfaces ask
// once. User code is the workspace's modules when the profile shows them, else it is inferred from
// the profile. The user's source lines (evidence for patterns, quoted in every surface) are read
// here after the first answer names their files, then the worker explains again with them and
// listeners hear that the diagnosis got better. No vscode import: unit-tested under Node.

/** LoadFrameOrigin tells which code is the user's (the SourceResolver's frameOrigin: workspace modules, Go root). */
export type LoadFrameOrigin = () => Promise<FrameOriginOptions> | FrameOriginOptions;

/** ReadSourceText returns the text of a file named in a profile, resolved to a local file, or undefined. */
export type ReadSourceText = (profilePath: string) => Promise<string | undefined>;

/** Diagnosable is what the cache needs of a session: whether it compares, its settings and its diagnosis query. */
export interface Diagnosable {
  readonly id: string;
  readonly isComparison: boolean;
  readonly sampleType: string;
  readonly target: { handle: number };
  readonly base?: { handle: number };
  /** Goroutine profiles taken alongside (their blockedAt changes the answer). */
  readonly alongside?: ReadonlyArray<{ handle: number }>;
  diagnosis(origin: FrameOriginOptions, sources?: SourceTexts): Promise<DiagnosisAnswer>;
}

interface Entry {
  key: string;
  /** The latest diagnosis: first without source lines, then with them. */
  diagnosis: Promise<Diagnosis>;
  /** Settles when the source lines are in (or could not be read). */
  lines: Promise<void>;
}

/** DiagnosisCache asks for each comparison's diagnosis once per (order, sample type, user modules). */
export class DiagnosisCache {
  private readonly cache = new WeakMap<Diagnosable, Entry>();
  private readonly listeners = new Set<(session: Diagnosable) => void>();
  private origin: FrameOriginOptions = {};

  constructor(private readonly loadOrigin?: LoadFrameOrigin, private readonly readSource?: ReadSourceText) {}

  /** onDidChange calls `listener` when a session's diagnosis got better (its source lines were read). */
  onDidChange(listener: (session: Diagnosable) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** refresh re-reads the workspace's modules and Go root (call before an export; cheap when cached). */
  async refresh(): Promise<void> {
    if (this.loadOrigin) this.origin = await this.loadOrigin();
  }

  /** get resolves to the session's diagnosis as far as it is known; rejects when the profiles cannot be diagnosed. */
  get(session: Diagnosable): Promise<Diagnosis> {
    return this.entry(session).diagnosis;
  }

  /** ready resolves to the session's diagnosis once its source lines are read (for the exported report). */
  async ready(session: Diagnosable): Promise<Diagnosis> {
    const entry = this.entry(session);
    await entry.lines;
    return entry.diagnosis;
  }

  private entry(session: Diagnosable): Entry {
    if (!session.isComparison) {
      const none = Promise.reject(new Error('growth diagnosis needs a comparison of two profiles'));
      none.catch(() => undefined);
      return { key: '', diagnosis: none, lines: Promise.resolve() };
    }
    const origin = this.origin;
    const key = JSON.stringify([session.base?.handle, session.target.handle, session.sampleType, origin, session.alongside?.map((p) => p.handle)]);
    let entry = this.cache.get(session);
    if (entry?.key === key) return entry;
    const first = session.diagnosis(origin);
    const created: Entry = { key, diagnosis: first.then((a) => a.diagnosis), lines: Promise.resolve() };
    created.lines = first.then((a) => this.readLines(session, created, a.sourceFiles), () => undefined);
    // A failed or cancelled query (the settings changed meanwhile) is not remembered.
    created.diagnosis.catch(() => { if (this.cache.get(session) === created) this.cache.delete(session); });
    this.cache.set(session, created);
    entry = created;
    return entry;
  }

  /** readLines reads the files the explanation wants, has the worker explain again with them, and tells the listeners. */
  private async readLines(session: Diagnosable, entry: Entry, files: readonly string[]): Promise<void> {
    if (!this.readSource || files.length === 0) return;
    const texts: SourceTexts = {};
    await Promise.all(files.map(async (file) => {
      const text = await this.readSource?.(file).catch(() => undefined);
      if (text !== undefined) texts[file] = text.split(/\r?\n/);
    }));
    if (Object.keys(texts).length === 0 || this.cache.get(session) !== entry) return;
    try {
      const better = await session.diagnosis(this.origin, texts);
      if (this.cache.get(session) !== entry) return;
      entry.diagnosis = Promise.resolve(better.diagnosis);
    } catch {
      return;
    }
    for (const listener of this.listeners) listener(session);
  }

  /** rows resolves to the top findings as tree rows, or [] when the session is not a diagnosable comparison. */
  async rows(session: Diagnosable, max = 10): Promise<FindingRow[]> {
    if (!session.isComparison) return [];
    try {
      return findingRows(await this.get(session), max);
    } catch {
      return [];
    }
  }

  /** panelFindings resolves to the panel's summary section: the headline and the top significant findings. */
  async panelFindings(session: Diagnosable, max = 5): Promise<PanelFinding[]> {
    if (!session.isComparison) return [];
    try {
      return panelFindingsOf(await this.get(session), max);
    } catch (e) {
      return [{ title: l10n.t('No growth diagnosis'), detail: e instanceof Error ? e.message : String(e), severity: 'info' }];
    }
  }
}

/** panelFindingsOf turns a diagnosis into the panel's findings: totals first, then findings by rank. */
export function panelFindingsOf(d: Diagnosis, max: number): PanelFinding[] {
  // The headline already gives the ranking type; the detail adds the others.
  const totals = d.totals.filter((t) => t.type !== d.sampleType.type).map((t) => `${t.type} ${formatValue(t.base, t.unit)} → ${formatValue(t.new, t.unit)} (${formatSigned(t.delta, t.unit)}, ${formatRatio(t.new, t.base)})`);
  const out: PanelFinding[] = [{ title: headline(d), detail: totals.join(' · '), severity: 'info' }];
  const significant = d.findings.filter((f) => f.significant);
  for (const f of significant.slice(0, max)) out.push(panelFinding(f, d));
  if (significant.length === 0) out.push({ title: l10n.t('No change stands out from sampling noise'), detail: d.notes.join(' '), severity: 'info' });
  return out;
}

function panelFinding(f: DiagnosisFinding, d: Diagnosis): PanelFinding {
  const type = d.sampleType.type;
  const delta = formatSigned(f.delta[type] ?? 0, d.sampleType.unit);
  // Names are isolated (FSI…PDI): a U+202E in one must not reverse the file:line after it.
  const frame = (x: { function: string; file: string; line: number }) => `${isolateName(x.function)} (${isolateName(baseName(x.file))}:${x.line})`;
  const where = frame(f.userFrame ?? f.site);
  const allocated = f.userFrameIndex === f.path.length - 1 ? ''
    : f.sites.length > 1 ? l10n.t(' Allocated in {0} ({1} sites).', frame(f.site), f.sites.length) : l10n.t(' Allocated in {0}.', frame(f.site));
  const seen = f.pattern ? l10n.t(' Seen: {0}.', f.pattern.evidence) : '';
  const linked = f.attribution ? l10n.t(' Charged to your code ({0}): {1}.', f.attribution.confidence, f.attribution.note) : '';
  return {
    title: l10n.t('{0}: {1} {2} at {3}', f.pattern ? patternText(f.pattern).title : capitalize(kindName(f.kind)), delta, isolateName(type), where),
    detail: `${l10n.t('{0}.', capitalize(f.reason))}${allocated}${linked}${seen} ${f.pattern ? patternText(f.pattern).advice : kindAdvice(f.kind)}`,
    severity: f.kind === 'shrinking' ? 'info' : f.kind === 'churn' ? 'medium' : 'high',
    location: f.userFrame ?? f.site,
    ...(f.userFrame && f.userLine !== undefined ? { lineText: f.userLine } : {}),
    ...(f.blockedAt ? { blockedAt: { function: f.blockedAt.function, file: f.blockedAt.file, line: f.blockedAt.line, text: blockedAtText(f.blockedAt) } } : {}),
  };
}

function baseName(file: string): string {
  return file.slice(file.replace(/\\/g, '/').lastIndexOf('/') + 1);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
