import { type Diagnosis, type Finding as DiagnosisFinding, findingRows, type FindingRow, headline, type PreparedDiagnosis, prepareDiagnosis, type SourceLineReader } from '../../core/diagnose';
import { formatRatio, formatSigned, formatValue } from '../../core/format';
import type { Profile } from '../../core/model';
import { isolateName } from '../../core/text/nameDisplay';
import type { Finding as PanelFinding } from '../../protocol/messages';
import type { ProfileSession } from '../profiles/session';
import type { FrameOriginOptions } from '../../core/diagnose/userFrame';

// One growth diagnosis per comparison, shared by the panel's summary, the tree and the exported
// report, recomputed only when what it depends on changes (base/new order, sample type, the
// workspace's Go modules). User code is the workspace's modules when the profile shows them
// (a trimmed or module-qualified build of this workspace), else it is inferred from the profile.
// The user's source lines (evidence for patterns, quoted in every surface) are read asynchronously
// after the sites are ranked: the first answer has none, and listeners hear when the lines have
// made it better. No vscode import: the host wiring lives in report.ts, so this file is unit-tested
// under Node.

/** modulesShownIn keeps the modules whose code appears in the profile (by function name or file path). */
export function modulesShownIn(profile: Profile, modules: readonly string[]): string[] {
  const fns = profile.functions;
  return modules.filter((m) => {
    for (let i = 0; i < fns.count; i++) {
      const name = fns.name[i];
      const file = fns.filename[i].replace(/\\/g, '/');
      if (name.startsWith(`${m}.`) || name.startsWith(`${m}/`) || file.startsWith(`${m}/`) || file.includes(`/${m}/`)) return true;
    }
    return false;
  });
}

/** LoadFrameOrigin tells which code is the user's (the SourceResolver's frameOrigin: workspace modules, Go root). */
export type LoadFrameOrigin = () => Promise<FrameOriginOptions> | FrameOriginOptions;

/** ReadSourceText returns the text of a file named in a profile, resolved to a local file, or undefined. */
export type ReadSourceText = (profilePath: string) => Promise<string | undefined>;

interface Entry {
  key: string;
  diagnosis: Diagnosis | Error;
  prepared?: PreparedDiagnosis;
  /** Settles when the source lines are in (or could not be read). */
  lines?: Promise<void>;
}

/** DiagnosisCache computes each comparison's diagnosis once per (order, sample type, user modules). */
export class DiagnosisCache {
  private readonly cache = new WeakMap<ProfileSession, Entry>();
  private readonly listeners = new Set<(session: ProfileSession) => void>();
  private origin: FrameOriginOptions = {};

  constructor(private readonly loadOrigin?: LoadFrameOrigin, private readonly readSource?: ReadSourceText) {}

  /** onDidChange calls `listener` when a session's diagnosis got better (its source lines were read). */
  onDidChange(listener: (session: ProfileSession) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** ready returns the session's diagnosis once its source lines are read (for the exported report). */
  async ready(session: ProfileSession): Promise<Diagnosis> {
    this.get(session);
    await this.cache.get(session)?.lines;
    return this.get(session);
  }

  /** refresh re-reads the workspace's modules and Go root (call before an export; cheap when cached). */
  async refresh(): Promise<void> {
    if (this.loadOrigin) this.origin = await this.loadOrigin();
  }

  /** get returns the session's diagnosis; throws (a ProfileError) when the profiles cannot be diagnosed. */
  get(session: ProfileSession): Diagnosis {
    if (!session.base) throw new Error('growth diagnosis needs a comparison of two profiles');
    const modulePaths = modulesShownIn(session.target.profile, this.origin.modulePaths ?? []);
    const goroots = this.origin.goroots ?? [];
    const sampleIndex = session.sampleType;
    const key = JSON.stringify([session.base.uri.toString(), session.target.uri.toString(), sampleIndex, modulePaths, goroots]);
    let entry = this.cache.get(session);
    if (!entry || entry.key !== key) {
      entry = { key, diagnosis: new Error('not diagnosed') };
      try {
        entry.prepared = prepareDiagnosis({ base: session.base.profile, target: session.target.profile }, { sampleIndex, goroots, modulePaths: modulePaths.length > 0 ? modulePaths : undefined });
        entry.diagnosis = entry.prepared.explain();
        if (this.readSource) entry.lines = this.readLines(session, entry);
      } catch (e) {
        entry.diagnosis = e instanceof Error ? e : new Error(String(e));
      }
      this.cache.set(session, entry);
    }
    if (entry.diagnosis instanceof Error) throw entry.diagnosis;
    return entry.diagnosis;
  }

  /** readLines reads the files the explanation wants, then explains again with their lines and tells the listeners. */
  private async readLines(session: ProfileSession, entry: Entry): Promise<void> {
    const files = entry.prepared?.sourceFiles() ?? [];
    const texts = new Map<string, string[]>();
    await Promise.all(files.map(async (file) => {
      const text = await this.readSource?.(file).catch(() => undefined);
      if (text !== undefined) texts.set(file, text.split(/\r?\n/));
    }));
    if (texts.size === 0 || this.cache.get(session) !== entry || !entry.prepared) return;
    const readLine: SourceLineReader = (file, line) => texts.get(file)?.[line - 1];
    entry.diagnosis = entry.prepared.explain(readLine);
    for (const listener of this.listeners) listener(session);
  }

  /** rows returns the top findings as tree rows, or [] when the session is not a diagnosable comparison. */
  rows(session: ProfileSession, max = 10): FindingRow[] {
    try {
      return session.base ? findingRows(this.get(session), max) : [];
    } catch {
      return [];
    }
  }

  /** panelFindings returns the panel's summary section: the headline and the top significant findings. */
  panelFindings(session: ProfileSession, max = 5): PanelFinding[] {
    if (!session.base) return [];
    try {
      return panelFindingsOf(this.get(session), max);
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
  // Names are isolated (FSI…PDI): a U+202E in one must not reverse the file:line after it.
  const frame = (x: { function: string; file: string; line: number }) => `${isolateName(x.function)} (${isolateName(baseName(x.file))}:${x.line})`;
  const where = frame(f.userFrame ?? f.site);
  const sites = f.sites.length > 1 ? ` (${f.sites.length} sites)` : '';
  const site = f.userFrameIndex !== f.path.length - 1 ? ` Allocated in ${frame(f.site)}${sites}.` : '';
  const seen = f.pattern ? ` Seen: ${f.pattern.evidence}.` : '';
  const linked = f.attribution ? ` Charged to your code (${f.attribution.confidence}): ${f.attribution.note}.` : '';
  return {
    title: `${f.pattern?.title ?? capitalize(f.kind)}: ${delta} ${isolateName(type)} at ${where}`,
    detail: `${capitalize(f.reason)}.${site}${linked}${seen} ${f.advice}`,
    severity: f.kind === 'shrinking' ? 'info' : f.kind === 'churn' ? 'medium' : 'high',
    location: f.userFrame ?? f.site,
    ...(f.userFrame && f.userLine !== undefined ? { lineText: f.userLine } : {}),
  };
}

function baseName(file: string): string {
  return file.slice(file.replace(/\\/g, '/').lastIndexOf('/') + 1);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
