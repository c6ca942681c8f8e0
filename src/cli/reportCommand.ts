import * as l10n from '@vscode/l10n';
import { existsSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeError } from '../core/errors';
import { type Diagnosis, blockedAtMarkdown, diagnose, diagnosisJson, renderMarkdown } from '../core/diagnose';
import { compareGoroutines, userFrameTest } from '../core/goroutines/compare';
import { goroutineReportJson, renderGoroutineMarkdown } from '../core/goroutines/report';
import { type BlockedAt, goroutineEvidence, linkHeapFindings } from '../core/goroutines/blockedAt';
import { alignHeapSampleTypes } from '../core/legacyTypes';
import { type MemoryBreakdown, profileMemory } from '../core/memory/breakdown';
import { memoryMarkdown } from '../core/memory/report';
import { type Profile, isGoroutineProfile } from '../core/model';
import { terminalLines } from '../core/text/terminal';
import { bundleSiblings } from '../node/captureBundle';
import { sourceLineReader } from '../node/sourceLines';
import { type ParsedArgs, UsageError, intFlag, parseArgs } from './args';
import { CliError, load, loadBoth } from './topCommand';

/** REPORT_USAGE is the usage line of `heaplens report`. */
export const REPORT_USAGE = 'heaplens report [--json] [--module PATH[,PATH…]] [--sample-index NAME] [--max-findings N] [--goroutines FILE[,FILE]] BASE NEW';
const VALUED = ['module', 'sample-index', 'max-findings', 'max-size-mb', 'goroutines'] as const;
const BOOLEANS = ['json'] as const;

/** reportCommand is the `report` subcommand as main.ts registers it. */
export const reportCommand = {
  usage: REPORT_USAGE,
  run: (argv: string[]): Promise<string> => runReport(parseArgs(argv, VALUED, BOOLEANS)),
};

/**
 * runReport implements `heaplens report`: the growth diagnosis of two heap profiles (with the
 * process memory when they carry MemStats, and where the goroutines behind goroutine findings
 * wait), or the comparison of two goroutine profiles; Markdown, or one JSON object.
 */
export async function runReport(args: ParsedArgs): Promise<string> {
  if (args.positionals.length !== 2) throw new UsageError(l10n.t('report takes exactly two profiles: BASE NEW'));
  const [basePath, newPath] = args.positionals;
  const maxFindings = intFlag(args, 'max-findings');
  if (maxFindings === 0) throw new UsageError(l10n.t('--max-findings must be at least 1'));
  const modulePaths = args.flags.get('module')?.split(',').map((m) => m.trim()).filter((m) => m !== '');
  if (args.flags.has('module') && !modulePaths?.length) throw new UsageError(l10n.t('--module needs a module path or directory'));
  const [base, target] = await loadBoth([basePath, newPath], args);
  const json = args.flags.has('json');
  if (isGoroutineProfile(base) || isGoroutineProfile(target)) {
    if (!isGoroutineProfile(base) || !isGoroutineProfile(target)) {
      throw new CliError(l10n.t('{0} vs {1}: one is a goroutine profile and the other is not; compare two goroutine profiles, or give goroutine profiles to a heap comparison with --goroutines', basePath, newPath));
    }
    const c = wrap(basePath, newPath, () => compareGoroutines(base, target, { modulePaths, maxFindings }));
    if (json) return `${JSON.stringify(goroutineReportJson(c))}\n`;
    return terminalLines(renderGoroutineMarkdown(c, { baseName: basePath, newName: newPath, linkFor: localSourceLink }));
  }
  const aligned = alignHeapSampleTypes(base, target, { base: basePath, new: newPath });
  // The user's lines are read when the profile's paths exist here, or resolve under the working
  // directory, a --module directory or $GOPATH/src (-trimpath paths, another machine's checkout).
  const gopath = (process.env.GOPATH ?? '').split(delimiter).filter((p) => p !== '').map((p) => join(p, 'src'));
  const roots = [process.cwd(), ...(modulePaths ?? []).filter((m) => isAbsolute(m) && existsSync(m)), ...gopath.filter((p) => existsSync(p))];
  const diagnosis = wrap(basePath, newPath, () => diagnose({ base: aligned.base, target: aligned.target }, { sampleIndex: args.flags.get('sample-index'), modulePaths, maxFindings, readLine: sourceLineReader(roots) }));
  if (aligned.note) diagnosis.notes.unshift(aligned.note);
  const memory = await memoryPair(base, target, basePath, newPath, args);
  const goroutines = await goroutineProfiles(args, basePath, newPath);
  const blocked = goroutines.length > 0 ? linkBlockedAt(diagnosis, goroutines.map((g) => g.profile), [base, target], modulePaths) : [];
  if (json) {
    const out = diagnosisJson(diagnosis);
    const findings = out.findings.map((f, i) => (blocked[i] ? { ...f, blockedAt: blocked[i] } : f));
    return `${JSON.stringify({ ...out, findings, ...(memory ? { memory } : {}), ...(diagnosis.notes.length > 0 ? { notes: diagnosis.notes } : {}) })}\n`;
  }
  let md = renderMarkdown(diagnosis, { baseName: basePath, newName: newPath, linkFor: localSourceLink });
  if (memory) md += `\n${memoryMarkdown(memory.base, memory.new, goroutineDelta(goroutines.map((g) => g.profile)))}\n`;
  blocked.forEach((b, i) => { if (b) diagnosis.findings[i].blockedAt = b; });
  const blockedMd = blockedAtMarkdown(diagnosis, goroutines.map((g) => g.path), { linkFor: localSourceLink });
  if (blockedMd) md += `\n${blockedMd}\n`;
  // Every profile string was escaped for Markdown (controls shown as `\x1b`); terminalLines is the last guard.
  return terminalLines(md);
}

function wrap<T>(basePath: string, newPath: string, f: () => T): T {
  try { return f(); } catch (e) { throw new CliError(describeError(l10n.t('{0} vs {1}', basePath, newPath), e)); }
}

/** memoryPair is the MemStats breakdown of both profiles: their own block, else the bundle's memstats file. */
async function memoryPair(base: Profile, target: Profile, basePath: string, newPath: string, args: ParsedArgs): Promise<{ base: MemoryBreakdown; new: MemoryBreakdown } | undefined> {
  const of = async (p: Profile, path: string): Promise<MemoryBreakdown | undefined> => {
    const own = profileMemory(p);
    if (own) return own;
    const sibling = bundleSiblings(path).memstats;
    return sibling ? profileMemory(await load(sibling, args)) : undefined;
  };
  const b = await of(base, basePath);
  const n = await of(target, newPath);
  return b && n ? { base: b, new: n } : undefined;
}

/** goroutineProfiles are --goroutines FILE[,FILE] (base, new or new alone), else the bundles' dumps. */
async function goroutineProfiles(args: ParsedArgs, basePath: string, newPath: string): Promise<Array<{ path: string; profile: Profile }>> {
  let paths: string[];
  if (args.flags.has('goroutines')) {
    paths = args.flags.get('goroutines')!.split(',').map((p) => p.trim()).filter((p) => p !== '');
    if (paths.length < 1 || paths.length > 2) throw new UsageError(l10n.t('--goroutines takes one goroutine profile (taken with NEW) or two (with BASE, with NEW)'));
  } else {
    const b = bundleSiblings(basePath).goroutine;
    const n = bundleSiblings(newPath).goroutine;
    paths = n ? (b ? [b, n] : [n]) : [];
  }
  const out: Array<{ path: string; profile: Profile }> = [];
  for (const path of paths) {
    const profile = await load(path, args);
    if (!isGoroutineProfile(profile)) throw new CliError(l10n.t('{0}: not a goroutine profile (--goroutines takes /debug/pprof/goroutine in any form)', path));
    out.push({ path, profile });
  }
  return out;
}

function linkBlockedAt(d: Diagnosis, goroutines: Profile[], heaps: Profile[], modulePaths: string[] | undefined): Array<BlockedAt | null> {
  const evidence = goroutineEvidence(goroutines, userFrameTest([...heaps, ...goroutines], { modulePaths }));
  return linkHeapFindings(d.findings, evidence);
}

function goroutineDelta(goroutines: Profile[]): number | undefined {
  if (goroutines.length !== 2) return undefined;
  const total = (p: Profile) => p.samples.values.reduce((s, v) => s + v, 0);
  return total(goroutines[1]) - total(goroutines[0]);
}

/** localSourceLink links a source line when the profile's path exists on this machine (a file: URL with #L). */
function localSourceLink(file: string, line: number): string | undefined {
  if (!isAbsolute(file) || !existsSync(file)) return undefined;
  return `${pathToFileURL(file).href}${line > 0 ? `#L${line}` : ''}`;
}
