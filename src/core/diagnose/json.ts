import type { Diagnosis, SourceFrame } from './diagnose';
import type { GrowthKind } from './kind';

// The machine-readable report (`heaplens report --json`): exactly one object, totals keyed by
// sample type and the ranked findings, significant ones first. Nothing else, so scripts can rely
// on the shape.

/** ReportJson is the `--json` object. */
export interface ReportJson {
  totals: Record<string, { base: number; new: number; delta: number }>;
  findings: Array<{
    kind: GrowthKind;
    significant: boolean;
    site: SourceFrame;
    userFrame: SourceFrame | null;
    delta: Record<string, number>;
    /** Function names of the dominant call path, root first. */
    path: string[];
    pattern: string | null;
    advice: string;
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
    })),
  };
}
