import { rmSync } from 'node:fs';
import { type PprofTop, pprofTopTotal } from '../pprofRaw';
import type { FuzzMessage } from './fuzzWorker';

// The differential half of the fuzzer: a sampled input goes through `go tool pprof -raw` too.
// Where both accept, the totals `top` shows must be equal (a failure otherwise); where only
// one accepts, the case is counted under its reason, so the README can say how the two differ.

/** DiffTally counts the comparisons by how they came out. */
export interface DiffTally {
  checked: number;
  agree: number;
  bothRefuse: number;
  /** Both accepted, but pprof printed the total scaled (a unit it has no exact -unit for). */
  notComparable: number;
  /** heaplens accepted, pprof refused: pprof's reason → count. */
  onlyPprofRefuses: Record<string, number>;
  /** pprof accepted, heaplens refused: heaplens' error code → count. */
  onlyHeaplensRefuses: Record<string, number>;
  totalsDiffer: string[];
  examples: string[];
}

/** newTally starts an empty tally. */
export function newTally(): DiffTally {
  return { checked: 0, agree: 0, bothRefuse: 0, notComparable: 0, onlyPprofRefuses: {}, onlyHeaplensRefuses: {}, totalsDiffer: [], examples: [] };
}

/** reasonOf shortens pprof's error to a category: its words without numbers, paths or quoted text. */
function reasonOf(error: string): string {
  const text = error.replace(/^.*?\.bin:\s*/, '').replace(/"[^"]*"/g, '"…"').replace(/0x[0-9a-f]+|\d+/g, 'N');
  return text.split(/\s+/).slice(0, 7).join(' ').slice(0, 80);
}

/**
 * compareWithPprof runs pprof's `top` on one sampled input and records the outcome: for an accepted
 * input, the default sample type's name and total and the first type's total must equal heaplens'
 * (Σ|value|, pprof's total). The file is removed unless they disagree.
 */
export async function compareWithPprof(binary: string, m: Extract<FuzzMessage, { type: 'diff' }>, tally: DiffTally): Promise<void> {
  const first: PprofTop = await pprofTopTotal(binary, m.file, undefined, m.units[m.defaultIndex] ?? '');
  tally.checked++;
  let keep = false;
  if (m.accepted && first.ok) {
    const differences: string[] = [];
    const plain = (s: string) => !/[\s\u0000-\u001f\u007f-\u009f]/.test(s);
    const ours = m.types[m.defaultIndex] ?? '';
    if (plain(ours) && plain(first.type) && first.type !== ours) differences.push(`default type: heaplens ${ours}, pprof ${first.type}`);
    if (first.total !== undefined && first.total !== BigInt(m.abs[m.defaultIndex] ?? 0)) differences.push(`${ours} total: heaplens ${m.abs[m.defaultIndex]}, pprof ${first.printed}`);
    if (m.defaultIndex > 0 && first.total !== undefined) {
      const zero = await pprofTopTotal(binary, m.file, 0, m.units[0]);
      if (!zero.ok) differences.push(`pprof refused -sample_index=0: ${zero.error}`);
      else if (zero.total !== undefined && zero.total !== BigInt(m.abs[0])) differences.push(`${m.types[0]} total: heaplens ${m.abs[0]}, pprof ${zero.printed}`);
    }
    if (differences.length > 0) {
      keep = true;
      tally.totalsDiffer.push(`case ${m.index} (${m.label}): ${differences.join('; ')}; input ${m.file}`);
    } else if (first.total === undefined) tally.notComparable++;
    else tally.agree++;
  } else if (m.accepted && !first.ok) {
    const reason = reasonOf(first.error);
    tally.onlyPprofRefuses[reason] = (tally.onlyPprofRefuses[reason] ?? 0) + 1;
    if (tally.examples.length < 12) tally.examples.push(`  pprof refuses, heaplens accepts: case ${m.index} (${m.label}): ${first.error.slice(0, 160)}`);
  } else if (!m.accepted && first.ok) {
    const reason = m.code ?? 'unknown';
    tally.onlyHeaplensRefuses[reason] = (tally.onlyHeaplensRefuses[reason] ?? 0) + 1;
    if (tally.examples.length < 12) tally.examples.push(`  heaplens refuses (${reason}), pprof accepts: case ${m.index} (${m.label})`);
  } else {
    tally.bothRefuse++;
  }
  if (!keep) rmSync(m.file, { force: true });
}

/** tallyLine is the one-line summary of the differential. */
export function tallyLine(t: DiffTally): string {
  const count = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  return `pprof differential: ${t.checked} checked, ${t.agree} agree on totals, ${t.notComparable} accepted by both (total printed scaled), ${t.bothRefuse} both refuse, `
    + `${count(t.onlyPprofRefuses)} only pprof refuses ${JSON.stringify(t.onlyPprofRefuses)}, `
    + `${count(t.onlyHeaplensRefuses)} only heaplens refuses ${JSON.stringify(t.onlyHeaplensRefuses)}, ${t.totalsDiffer.length} disagree on totals`;
}
