import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { inflateSeed } from './gzipMutations';

// The fuzzer's seeds: the repo's real profiles (written by real Go programs) and, when it sits
// beside the repo, ../shared/corpus (profiles from public projects' test data; never committed).

/** Seed is one real profile: its bytes as stored and inflated, and what kind of data it holds. */
export interface Seed {
  name: string;
  stored: Uint8Array;
  data: Uint8Array;
  kind: 'proto' | 'legacy-text' | 'goroutine-text' | 'other';
}

/** SeedSet is every seed loaded, plus what was left out and why (printed by the fuzz test). */
export interface SeedSet {
  seeds: Seed[];
  corpusPresent: boolean;
  corpusUsed: number;
  skippedLarge: number;
}

const ROOT = join(__dirname, '../../..');
const FIXTURES = join(ROOT, 'test/fixtures');
/** CORPUS is ../shared/corpus beside the repository (a worktree's ../shared links to it). */
export const CORPUS = join(ROOT, '../shared/corpus');

function files(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

function kindOf(data: Uint8Array): Seed['kind'] {
  const head = new TextDecoder().decode(data.subarray(0, 40));
  if (head.startsWith('heap profile:')) return 'legacy-text';
  if (head.startsWith('goroutine profile:') || head.startsWith('goroutine ')) return 'goroutine-text';
  const tag = data[0];
  return tag >>> 3 >= 1 && tag >>> 3 <= 15 && ((tag & 7) === 0 || (tag & 7) === 2) ? 'proto' : 'other';
}

/** loadSeeds reads every fixture profile (and corpus file) whose inflated size is at most `maxBytes`. */
export function loadSeeds(maxBytes: number): SeedSet {
  const fixtureFiles = files(join(FIXTURES, 'profiles')).concat(files(join(FIXTURES, 'goroutineleak/profiles')))
    .filter((f) => /\.(pb\.gz|txt)$/.test(f));
  const corpusPresent = existsSync(CORPUS);
  const corpusFiles = corpusPresent ? files(CORPUS).filter((f) => !/\.(md|string)$/.test(f)) : [];
  const seeds: Seed[] = [];
  let skippedLarge = 0;
  let corpusUsed = 0;
  for (const f of [...fixtureFiles, ...corpusFiles]) {
    const stored = new Uint8Array(readFileSync(f));
    let data: Uint8Array;
    try {
      data = inflateSeed(stored);
    } catch {
      continue; // a stored gzip file that does not inflate is no seed
    }
    if (data.length > maxBytes || stored.length > maxBytes) { skippedLarge++; continue; }
    if (f.startsWith(CORPUS)) corpusUsed++;
    seeds.push({ name: relative(join(ROOT, '..'), f), stored, data, kind: kindOf(data) });
  }
  return { seeds, corpusPresent, corpusUsed, skippedLarge };
}
