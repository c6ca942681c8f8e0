import { type Diagnosis, type Finding as DiagnosisFinding, findingRows, type FindingRow, headline } from '../../core/diagnose';
import { formatRatio, formatSigned, formatValue } from '../../core/format';
import type { Finding as PanelFinding } from '../../protocol/messages';
import type { FrameOriginOptions } from '../../core/diagnose/userFrame';

// One growth diagnosis per comparison, shared by the panel's summary, the tree and the exported
// report. It is computed in the analysis worker (which caches it per order, sample type and user
// modules); this cache keeps the promise per session and settings so the three surfaces ask once.
// User code is the workspace's modules when the profile shows them, else inferred from the profile.
// No vscode import: the host wiring lives in report.ts, so this file is unit-tested under Node.

/** LoadFrameOrigin tells which code is the user's (the SourceResolver's frameOrigin: workspace modules, Go root). */
export type LoadFrameOrigin = () => Promise<FrameOriginOptions> | FrameOriginOptions;

/** Diagnosable is what the cache needs of a session: whether it compares, its settings and its diagnosis query. */
export interface Diagnosable {
  readonly id: string;
  readonly isComparison: boolean;
  readonly sampleType: string;
  readonly target: { handle: number };
  readonly base?: { handle: number };
  diagnosis(origin: FrameOriginOptions): Promise<Diagnosis>;
}

/** DiagnosisCache asks for each comparison's diagnosis once per (order, sample type, user modules). */
export class DiagnosisCache {
  private readonly cache = new WeakMap<Diagnosable, { key: string; diagnosis: Promise<Diagnosis> }>();
  private origin: FrameOriginOptions = {};

  constructor(private readonly loadOrigin?: LoadFrameOrigin) {}

  /** refresh re-reads the workspace's modules and Go root (call before an export; cheap when cached). */
  async refresh(): Promise<void> {
    if (this.loadOrigin) this.origin = await this.loadOrigin();
  }

  /** get resolves to the session's diagnosis; rejects (a ProfileError) when the profiles cannot be diagnosed. */
  get(session: Diagnosable): Promise<Diagnosis> {
    if (!session.isComparison) return Promise.reject(new Error('growth diagnosis needs a comparison of two profiles'));
    const key = JSON.stringify([session.base?.handle, session.target.handle, session.sampleType, this.origin]);
    let entry = this.cache.get(session);
    if (!entry || entry.key !== key) {
      entry = { key, diagnosis: session.diagnosis(this.origin) };
      // A cancelled query (the settings changed meanwhile) is not remembered.
      entry.diagnosis.catch(() => { if (this.cache.get(session) === entry) this.cache.delete(session); });
      this.cache.set(session, entry);
    }
    return entry.diagnosis;
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
      return [{ title: 'No growth diagnosis', detail: e instanceof Error ? e.message : String(e), severity: 'info' }];
    }
  }
}

/** panelFindingsOf turns a diagnosis into the panel's findings: totals first, then findings by rank. */
export function panelFindingsOf(d: Diagnosis, max: number): PanelFinding[] {
  // The headline already gives the ranking type; the detail adds the others.
  const totals = d.totals.filter((t) => t.type !== d.sampleType.type).map((t) => `${t.type} ${formatValue(t.base, t.unit)} → ${formatValue(t.new, t.unit)} (${formatSigned(t.delta, t.unit)}, ${formatRatio(t.new, t.base)})`);
  const out: PanelFinding[] = [{ title: headline(d).replace(/\*\*/g, ''), detail: totals.join(' · '), severity: 'info' }];
  const significant = d.findings.filter((f) => f.significant);
  for (const f of significant.slice(0, max)) out.push(panelFinding(f, d));
  if (significant.length === 0) out.push({ title: 'No change stands out from sampling noise', detail: d.notes.join(' '), severity: 'info' });
  return out;
}

function panelFinding(f: DiagnosisFinding, d: Diagnosis): PanelFinding {
  const type = d.sampleType.type;
  const delta = formatSigned(f.delta[type] ?? 0, d.sampleType.unit);
  const where = f.userFrame ? `${f.userFrame.function} (${baseName(f.userFrame.file)}:${f.userFrame.line})` : `${f.site.function} (${baseName(f.site.file)}:${f.site.line})`;
  const site = f.userFrameIndex !== f.path.length - 1
    ? ` Allocated in ${f.site.function} (${baseName(f.site.file)}:${f.site.line}).` : '';
  return {
    title: `${f.pattern?.title ?? capitalize(f.kind)}: ${delta} ${type} at ${where}`,
    detail: `${capitalize(f.reason)}.${site} ${f.advice}`,
    severity: f.kind === 'shrinking' ? 'info' : f.kind === 'churn' ? 'medium' : 'high',
    location: f.userFrame ?? f.site,
  };
}

function baseName(file: string): string {
  return file.slice(file.replace(/\\/g, '/').lastIndexOf('/') + 1);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
