import * as l10n from '@vscode/l10n';
import { formatSigned } from '../format';
import type { BlockedAt } from '../goroutines/blockedAt';
import type { Diagnosis, Finding, SourceFrame } from './diagnose';
import type { GrowthKind } from './kind';
import { shortPath } from './markdown';
import { kindAdvice } from './explain';
import { kindName } from './kind';
import { patternText } from './patterns';

// The top findings as rows for a tree view or a summary list: what to show, and where a click
// should go (the user's own line when there is one, else the allocation site).

/** FindingRow is one finding ready for display. */
export interface FindingRow {
  /** "main.readBody handlers.go:18" — the user frame, or the site when no user frame exists. */
  label: string;
  /** "+49.73MB retained · request-body-kept" (adds "noise" when not significant). */
  description: string;
  /** Multi-line hover text: site, reason, pattern, fix. */
  tooltip: string;
  kind: GrowthKind;
  significant: boolean;
  /** Where a click goes. */
  target: SourceFrame;
  site: SourceFrame;
  userFrame: SourceFrame | null;
  patternId: string | null;
  finding: Finding;
}

/** findingRows returns up to `max` findings (ranked, significant first) as display rows. */
export function findingRows(d: Diagnosis, max = 10): FindingRow[] {
  const type = d.sampleType.type;
  return d.findings.slice(0, max).map((f) => {
    const target = f.userFrame ?? f.site;
    const delta = formatSigned(f.delta[type] ?? 0, d.sampleType.unit);
    const description = [`${delta} ${kindName(f.kind)}`, f.pattern?.id, f.significant ? undefined : l10n.t('noise')].filter(Boolean).join(' · ');
    const tooltip = [
      f.userFrame && f.userLine !== undefined ? `${shortPath(f.userFrame.file)}:${f.userFrame.line}  ${f.userLine}` : undefined,
      `${kindName(f.kind)}${f.significant ? '' : l10n.t(' (within sampling noise)')}: Δ${type} ${delta}`,
      f.sites.length > 1
        ? l10n.t('{0} sites: {1}', f.sites.length, f.sites.map((x) => `${x.site.function} ${shortPath(x.site.file)}:${x.site.line}`).join(', '))
        : l10n.t('site: {0}', `${f.site.function} ${shortPath(f.site.file)}:${f.site.line}`),
      f.reason,
      f.attribution ? l10n.t('Charged to your code ({0}, {1}): {2}', f.attribution.method, f.attribution.confidence, f.attribution.note) : undefined,
      f.pattern ? `${patternText(f.pattern).title}: ${patternText(f.pattern).explanation}` : undefined,
      f.pattern ? l10n.t('Seen in the profile: {0}', f.pattern.evidence) : undefined,
      f.blockedAt ? blockedAtText(f.blockedAt) : undefined,
      l10n.t('Fix: {0}', f.pattern ? patternText(f.pattern).advice : kindAdvice(f.kind)),
    ].filter(Boolean).join('\n');
    return {
      label: `${target.function} ${shortPath(target.file)}:${target.line}`,
      description,
      tooltip,
      kind: f.kind,
      significant: f.significant,
      target,
      site: f.site,
      userFrame: f.userFrame,
      patternId: f.pattern?.id ?? null,
      finding: f,
    };
  });
}

/** blockedAtText says where the goroutines holding a finding's memory wait: "120 goroutines wait at main.(*session).run sessions.go:22 (select)". */
export function blockedAtText(at: BlockedAt): string {
  return `${l10n.t('{0} goroutines wait at {1}', at.count, `${at.function} ${shortPath(at.file)}:${at.line}`)}${at.waitReason ? ` (${at.waitReason})` : ''}`;
}
