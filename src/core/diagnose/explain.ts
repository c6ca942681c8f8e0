import * as l10n from '@vscode/l10n';
import { formatSigned, formatValue } from '../format';
import { attribute, type CallSite, type LibraryGoroutine, libraryOf, userCallSites } from './attribution';
import type { Finding, SiteShare, SourceFrame } from './diagnose';
import type { GrowthKind } from './kind';
import { type GrowthPattern, matchPattern, type PatternSubject } from './patterns';
import type { Candidate, SiteRanking } from './ranking';
import { SIGNIFICANCE_Z, zScore } from './sampling';
import { appendTargetOf, frontResliceOf, type SourceLineReader } from './sourceLine';
import type { FrameClassifier } from './userFrame';

// The second half of a diagnosis: each ranked site becomes a finding — whose code it is (the
// nearest user frame, or the user's call into a library whose goroutine holds it), the pattern its
// path shows with the evidence, the words — and sites reached through the same user frame with
// the same kind and pattern become one finding listing its sites and their sum.

/** KIND_ADVICE is the advice for a finding no known pattern explains. */
export const KIND_ADVICE: Record<GrowthKind, string> = {
  retained: 'Cause unknown: no known pattern shows on this path. Memory allocated here stays reachable: find what holds it along the call path (a global, a cache, a slice or map appended to and never trimmed) and bound or release it.',
  churn: 'Allocated and freed again: this costs GC time and raises the heap high-water mark but does not grow the live heap. Reuse buffers (sync.Pool, preallocated slices) or allocate less per call.',
  shrinking: 'Memory here was released between the two profiles; nothing to fix unless the release was not intended.',
  goroutines: 'Cause unknown: goroutines grew, and no known pattern shows on this path. Make sure every goroutine can exit (ctx.Done(), closed channels, I/O deadlines) and check /debug/pprof/goroutine?debug=1.',
};

/**
 * kindAdvice is KIND_ADVICE in the display language (what text output shows; --json keeps
 * KIND_ADVICE's English). The same English texts: a unit test keeps the two equal.
 */
export function kindAdvice(kind: GrowthKind): string {
  switch (kind) {
    case 'retained': return l10n.t('Cause unknown: no known pattern shows on this path. Memory allocated here stays reachable: find what holds it along the call path (a global, a cache, a slice or map appended to and never trimmed) and bound or release it.');
    case 'churn': return l10n.t('Allocated and freed again: this costs GC time and raises the heap high-water mark but does not grow the live heap. Reuse buffers (sync.Pool, preallocated slices) or allocate less per call.');
    case 'shrinking': return l10n.t('Memory here was released between the two profiles; nothing to fix unless the release was not intended.');
    case 'goroutines': return l10n.t('Cause unknown: goroutines grew, and no known pattern shows on this path. Make sure every goroutine can exit (ctx.Done(), closed channels, I/O deadlines) and check /debug/pprof/goroutine?debug=1.');
  }
}

/** ExplainOptions are what the explanation reads besides the ranking. */
export interface ExplainOptions {
  isUser: (fn: string, file: string) => boolean;
  classifier: FrameClassifier;
  patterns: readonly GrowthPattern[];
  readLine?: SourceLineReader;
}

interface Draft {
  c: Candidate;
  finding: Finding;
  /** Node of the frame that calls the user frame (for same-call evidence), or -1. */
  caller: number;
  subject: PatternSubject;
}

/** explainFindings turns ranked candidates into merged, ranked findings. */
export function explainFindings(r: SiteRanking, kept: readonly Candidate[], o: ExplainOptions): Finding[] {
  const e = new Explainer(r, o);
  const drafts = kept.map((c) => e.draft(c));
  e.sameCall(drafts);
  return e.merge(drafts.map((d) => d.finding));
}

class Explainer {
  private readonly callSites = new Map<LibraryGoroutine, CallSite[]>();
  private readonly files = new Map<string, string[]>();

  constructor(private readonly r: SiteRanking, private readonly o: ExplainOptions) {}

  private frame(node: number): SourceFrame {
    const nodes = this.r.t.nodes;
    return { function: nodes.name[node], file: nodes.file[node], line: nodes.line[node] };
  }

  private describe(node: number): string {
    const f = this.frame(node);
    return `${f.function} (${basename(f.file)}:${f.line})`;
  }

  private line(f: SourceFrame | null): string | undefined {
    if (!f || !this.o.readLine || f.line <= 0 || f.file === '') return undefined;
    const text = this.o.readLine(f.file, f.line);
    return text === undefined ? undefined : text.trim();
  }

  /** fileLines reads a whole file through the line reader (bounded), for evidence elsewhere in it. */
  private fileLines(file: string): string[] {
    let lines = this.files.get(file);
    if (!lines) {
      lines = [];
      for (let i = 1; i <= 20000 && this.o.readLine; i++) {
        const text = this.o.readLine(file, i);
        if (text === undefined) break;
        lines.push(text);
      }
      this.files.set(file, lines);
    }
    return lines;
  }

  /** frontReslice finds, in the user's file, a line cutting from the front the slice the user's line appends to. */
  private frontReslice(frame: SourceFrame | null, text: string | undefined): PatternSubject['frontReslice'] {
    const target = text === undefined ? undefined : appendTargetOf(text);
    if (!frame || target === undefined) return undefined;
    const lines = this.fileLines(frame.file);
    for (let i = 0; i < lines.length; i++) {
      if (frontResliceOf(lines[i]) === target) return { function: frame.function, file: frame.file, line: i + 1, text: lines[i] };
    }
    return undefined;
  }

  draft(c: Candidate): Draft {
    const t = this.r.t;
    const n = t.types.length;
    const path = c.path.map((node) => this.frame(node));
    let userFrameIndex = -1;
    for (let i = path.length - 1; i >= 0; i--) {
      if (this.o.isUser(path[i].function, path[i].file)) { userFrameIndex = i; break; }
    }
    let userFrame = userFrameIndex >= 0 ? path[userFrameIndex] : null;
    let attribution: Finding['attribution'] = null;
    if (!userFrame && c.verdict.kind !== 'shrinking') {
      const lib = libraryOf(t, c.path);
      if (lib) {
        let sites = this.callSites.get(lib);
        if (!sites) this.callSites.set(lib, (sites = userCallSites(t, lib, this.o.isUser, this.r.alloc >= 0 ? this.r.alloc : this.r.rankType)));
        const a = attribute(lib, sites, (node) => this.describe(node));
        if (a) {
          userFrame = this.frame(a.site.node);
          attribution = a.attribution;
        }
      }
    }
    const record = (a: Float64Array) => Object.fromEntries(t.types.map((x, i) => [x.type, a[c.site * n + i]]));
    const site = path[path.length - 1];
    const userLine = this.line(userFrame);
    const subject: PatternSubject = {
      kind: c.verdict.kind,
      significant: c.verdict.significant,
      path,
      userFrameIndex,
      siteIsUser: userFrameIndex === path.length - 1,
      largeObjectSizes: t.largeObjectSizes.get(c.site) ?? [],
      liveBytes: this.r.inuse >= 0 ? this.r.d(c.site, this.r.inuse) : 0,
      liveObjects: this.r.inuseObjects >= 0 ? this.r.d(c.site, this.r.inuseObjects) : 0,
      userGoroutineRoot: c.userGoroutineRoot,
      userLine,
      frontReslice: userFrameIndex === path.length - 1 ? this.frontReslice(userFrame, userLine) : undefined,
    };
    // Memory in goroutines a library started for the user's call, while goroutines grew, is goroutine growth too.
    if (attribution && subject.kind === 'retained' && this.r.goroutines?.grew) subject.kind = 'goroutines';
    const pattern = matchPattern(subject, this.o.patterns) ?? null;
    const delta = record(t.delta);
    const finding: Finding = {
      kind: subject.kind,
      significant: c.verdict.significant,
      z: c.verdict.z,
      measure: c.verdict.measure,
      site,
      sites: [{ site, delta: { ...delta } }],
      userFrame,
      userLine,
      attribution,
      path,
      userFrameIndex,
      delta,
      base: record(t.base),
      new: record(t.target),
      variance: record(t.variance),
      pattern,
      advice: pattern?.advice ?? KIND_ADVICE[subject.kind],
      reason: '',
    };
    finding.reason = this.reason(finding, this.r.hasGoroutineFrame(c.path) ? undefined : path[0].function, c.verdict.minor);
    return { c, finding, caller: userFrameIndex >= 1 ? c.path[userFrameIndex - 1] : -1, subject };
  }

  /** sameCall offers every finding still without a pattern the direct matches of findings that leave the user's code through the same call. */
  sameCall(drafts: Draft[]): void {
    const direct = drafts.map((d) => d.finding.pattern);
    for (const d of drafts) {
      if (d.finding.pattern || d.caller < 0) continue;
      const siblings = drafts.flatMap((x, j) => (x !== d && x.caller === d.caller && direct[j]
        ? [{ patternId: direct[j]!.id, at: x.finding.site, via: this.frame(d.caller) }] : []));
      if (siblings.length === 0) continue;
      const m = matchPattern({ ...d.subject, sameCall: siblings }, this.o.patterns);
      if (m) {
        d.finding.pattern = m;
        d.finding.advice = m.advice;
      }
    }
  }

  /** merge makes one finding of the sites reached through the same user frame with the same kind, pattern and significance. */
  merge(findings: Finding[]): Finding[] {
    const out: Finding[] = [];
    const byKey = new Map<string, Finding>();
    for (const f of findings) {
      const u = f.userFrame;
      const key = u ? `${u.function}\u0000${u.file}\u0000${u.line}\u0000${f.kind}\u0000${f.pattern?.id ?? ''}\u0000${f.significant}` : undefined;
      const into = key === undefined ? undefined : byKey.get(key);
      if (!into) {
        out.push(f);
        if (key !== undefined) byKey.set(key, f);
        continue;
      }
      into.sites.push(...f.sites);
      for (const rec of ['delta', 'base', 'new', 'variance'] as const) {
        for (const [type, v] of Object.entries(f[rec])) into[rec][type] = (into[rec][type] ?? 0) + v;
      }
    }
    const rank = this.r.t.types[this.r.rankType].type;
    for (const f of out) {
      if (f.sites.length === 1) continue;
      f.sites.sort((a, b) => Math.abs(b.delta[rank] ?? 0) - Math.abs(a.delta[rank] ?? 0));
      const measure = this.r.t.types[f.measure === 'alloc' ? this.r.alloc : this.r.inuse]?.type ?? rank;
      f.z = zScore(f.delta[measure] ?? 0, f.variance[measure] ?? 0);
      f.reason = f.kind === 'goroutines' ? `${f.reason}${l10n.t(' ({0} allocation sites)', f.sites.length)}` : this.reason(f, undefined);
    }
    const alloc = this.r.alloc >= 0 ? this.r.t.types[this.r.alloc].type : undefined;
    return out.sort((a, b) => {
      if (a.significant !== b.significant) return a.significant ? -1 : 1;
      const byRank = Math.abs(b.delta[rank] ?? 0) - Math.abs(a.delta[rank] ?? 0);
      if (byRank !== 0) return byRank;
      return alloc ? Math.abs(b.delta[alloc] ?? 0) - Math.abs(a.delta[alloc] ?? 0) : 0;
    });
  }

  private reason(f: Finding, goroutineRoot: string | undefined, minor = false): string {
    const r = this.r;
    const typeOf = (i: number) => r.t.types[i];
    const di = r.inuse >= 0 ? f.delta[typeOf(r.inuse).type] ?? 0 : 0;
    const da = r.alloc >= 0 ? f.delta[typeOf(r.alloc).type] ?? 0 : 0;
    const unit = (i: number) => typeOf(i).unit;
    let text: string;
    switch (f.kind) {
      case 'retained':
        text = r.alloc >= 0 && da > 0
          ? l10n.t('kept {0}% of the {1} it allocated in between', Math.round(Math.min(1, di / da) * 100), formatValue(da, unit(r.alloc)))
          : l10n.t('live memory here grew by {0}', formatSigned(di, unit(r.inuse)));
        break;
      case 'churn':
        text = r.inuse >= 0
          ? l10n.t('allocated {0} in between, live memory changed by {1}', formatSigned(da, 'bytes'), formatSigned(di, unit(r.inuse)))
          : l10n.t('allocated {0} in between; these profiles do not say what was kept', formatSigned(da, 'bytes'));
        break;
      case 'shrinking':
        text = l10n.t('released {0} of live memory', formatValue(-di, unit(r.inuse)));
        break;
      case 'goroutines':
        text = goroutineRoot === undefined
          ? l10n.t('goroutine descriptors (runtime.malg): {0} goroutines, {1}', formatSigned(r.inuseObjects >= 0 ? f.delta[typeOf(r.inuseObjects).type] ?? 0 : 0, 'count'), formatSigned(di, 'bytes'))
          : r.goroutines?.grew
            ? l10n.t('held by goroutines started at {0} while goroutines grew (runtime.malg {1})', goroutineRoot, formatSigned(r.goroutines.inuseSpace, 'bytes'))
            : l10n.t('held by goroutines started at {0}, allocated in its entry function: one per live goroutine', goroutineRoot);
        break;
    }
    if (f.sites.length > 1) text += l10n.t(' ({0} allocation sites)', f.sites.length);
    if (minor) text += l10n.t('; less than the whole live heap, so under one GC cycle\'s worth of garbage: not a cause');
    if (!f.significant) text += l10n.t('; within sampling noise ({0}σ, below {1}σ)', f.z.toFixed(1), SIGNIFICANCE_Z);
    return text;
  }
}

function basename(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

export type { SiteShare };
