import type { Attribution } from './attribution';
import type { Diagnosis, SourceFrame } from './diagnose';
import type { GrowthKind } from './kind';

// The machine-readable report (`heaplens report --json`): exactly one object, totals keyed by
// sample type and the ranked findings, significant ones first. Nothing else, so scripts can rely
// on the shape. Keys are only ever added (new ones after the old), never renamed.

/** ReportJson is the `--json` object. */
export interface ReportJson {
  totals: Record<string, { base: number; new: number; delta: number }>;
  findings: Array<{
    kind: GrowthKind;
    significant: boolean;
    /** The allocation site with the largest change. */
    site: SourceFrame;
    userFrame: SourceFrame | null;
    /** Summed over `sites`. */
    delta: Record<string, number>;
    /** Function names of the site's dominant call path, root first. */
    path: string[];
    pattern: string | null;
    advice: string;
    /** Every allocation site of this cause with its own deltas, largest first. */
    sites: Array<SourceFrame & { delta: Record<string, number> }>;
    /** What the profile showed for the pattern: in words, and the frames matched. Only with a pattern. */
    evidence?: { text: string; frames: SourceFrame[]; confidence: 'confirmed' | 'shape' };
    /** The text of the user's line, when the source was readable. */
    userLine?: string;
    /** How userFrame was linked when it is not on the path. */
    attribution?: Attribution;
  }>;
}

/** diagnosisJson projects a diagnosis onto the `--json` shape. */
export function diagnosisJson(d: Diagnosis): ReportJson {
  return {
    totals: Object.fromEntries(d.totals.map((t) => [t.type, { base: t.base, new: t.new, delta: t.delta }])),
    findings: d.findings.map((f) => ({
      kind: f.kind,
      significant: f.significant,
      site: { ...f.site },
      userFrame: f.userFrame ? { ...f.userFrame } : null,
      delta: { ...f.delta },
      path: f.path.map((p) => p.function),
      pattern: f.pattern?.id ?? null,
      advice: f.advice,
      sites: f.sites.map((s) => ({ ...s.site, delta: { ...s.delta } })),
      ...(f.pattern ? { evidence: { text: f.pattern.evidence, frames: f.pattern.frames.map((x) => ({ ...x })), confidence: f.pattern.confidence } } : {}),
      ...(f.userLine !== undefined ? { userLine: f.userLine } : {}),
      ...(f.attribution ? { attribution: { ...f.attribution } } : {}),
    })),
  };
}
