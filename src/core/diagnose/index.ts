// Growth diagnosis: why memory went from X to Y. One import for the CLI, the extension and the panel.

export { diagnose, groupFindings, prepareDiagnosis } from './diagnose';
export type { DiagnoseOptions, Diagnosis, Finding, FindingGroup, GoroutineGrowth, PreparedDiagnosis, SiteShare, SourceFrame, TypeTotals } from './diagnose';
export { KIND_ADVICE } from './explain';
export type { Attribution } from './attribution';
export { lineShapes } from './sourceLine';
export type { LineShape, SourceLineReader } from './sourceLine';
export { diagnosisJson } from './json';
export type { ReportJson } from './json';
export { CHURN_RATIO, classifyKind } from './kind';
export type { GrowthKind } from './kind';
export { blockedAtMarkdown, headline, renderMarkdown, shortPath } from './markdown';
export type { MarkdownOptions } from './markdown';
export { GROWTH_PATTERNS, matchPattern } from './patterns';
export type { GrowthPattern, PatternMatch } from './patterns';
export { blockedAtText, findingRows } from './rows';
export type { FindingRow } from './rows';
export { SIGNIFICANCE_Z } from './sampling';
export { FrameClassifier, inferGoRoots, nearestUserFrame } from './userFrame';
export type { FrameOrigin, FrameOriginOptions, UserFrameTest } from './userFrame';
