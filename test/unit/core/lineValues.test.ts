import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { aggregateDiff, aggregateProfiles } from '../../../src/core/aggregate';
import { decodeProfile } from '../../../src/core/decode';
import { fileLinesOf, linesByFile } from '../../../src/core/lineValues';
import { type Profile, isHeapProfile } from '../../../src/core/model';
import type { Profiles } from '../../../src/core/sampleSources';
import { normalizeProfilePath } from '../../../src/core/sourceResolution';
import { HEAP_TYPES, type ProfileSpec, encodeProfile } from '../../support/profileWriter';

// fileLinesOf answers the annotations for a few files without the whole lines aggregate: for every
// file, its lines must be exactly linesByFile's of the full aggregate (numbers, the function names
// of a shared line and their order), and the total and denominator the engine computed from it.

const FIXTURES = join(__dirname, '../../fixtures/profiles');
const CORPUS = join(__dirname, '../../../../shared/corpus');
const read = (path: string): Profile => decodeProfile(new Uint8Array(readFileSync(path)));

/** sameAsFull checks fileLinesOf against the full lines aggregate for every file, one file and all files at once. */
function sameAsFull(profiles: Profiles, sampleIndex: string, what: string): number {
  const full = profiles.base ? aggregateDiff({ target: profiles.target, base: profiles.base }, { sampleIndex, granularity: 'lines' }) : aggregateProfiles(profiles, { sampleIndex, granularity: 'lines' });
  const byFile = linesByFile(full);
  let changed = 0;
  for (let n = 0; n < full.nodes.count; n++) changed += Math.abs(full.flat[n]);
  const files = new Set<string>();
  for (const p of [profiles.target, profiles.base]) for (const f of p?.functions.filename ?? []) if (f) files.add(normalizeProfilePath(f));
  const all = fileLinesOf(profiles, sampleIndex, [...files]);
  assert.deepEqual([all.sampleType, all.isDiff, all.total, all.denominator], [full.sampleType, full.isDiff, full.total, full.isDiff ? changed : full.total], `${what}: totals`);
  assert.deepEqual(all.lines, byFile, `${what}: every file at once`);
  for (const f of [...files].slice(0, 12)) {
    const one = fileLinesOf(profiles, sampleIndex, [f]);
    assert.deepEqual(one.lines, byFile.has(f) ? new Map([[f, byFile.get(f)]]) : new Map(), `${what}: ${f}`);
    assert.equal(one.denominator, all.denominator, `${what}: ${f} denominator`);
  }
  return files.size;
}

describe('fileLinesOf', () => {
  it('equals the full lines aggregate on every fixture scenario and sample type, compared and alone', () => {
    const scenarios = readdirSync(join(FIXTURES, 'default')).filter((s) => existsSync(join(FIXTURES, 'default', s, 'new.pb.gz')));
    assert.ok(scenarios.length >= 5, `fixture scenarios: ${scenarios.join(', ')}`);
    let files = 0;
    for (const build of ['default', 'trimpath']) {
      for (const s of scenarios) {
        if (!existsSync(join(FIXTURES, build, s, 'new.pb.gz'))) continue;
        const base = read(join(FIXTURES, build, s, 'base.pb.gz'));
        const target = read(join(FIXTURES, build, s, 'new.pb.gz'));
        for (const t of target.sampleTypes.map((x) => x.type)) {
          files += sameAsFull({ target, base }, t, `${build}/${s} ${t} diff`);
          sameAsFull({ target }, t, `${build}/${s} ${t}`);
        }
      }
    }
    assert.ok(files > 50, `files checked: ${files}`);
  });

  it('equals it on hand-made stacks: recursion, inlined frames, two functions on one line, a line without a function', () => {
    const spec: ProfileSpec = {
      sampleTypes: HEAP_TYPES,
      functions: [
        { id: 1, name: 'main.main', file: '/app/main.go' },
        { id: 2, name: 'main.walk', file: '/app/walk.go' },
        { id: 3, name: 'main.alloc', file: '/app/alloc.go' },
        { id: 4, name: 'main.alloc.func1', file: '/app/alloc.go' }, // a closure on its parent's line
        { id: 5, name: 'main.other', file: '/app//alloc.go' }, // the same file, spelled unclean
      ],
      locations: [
        { id: 1, lines: [{ functionId: 4, line: 7 }, { functionId: 3, line: 7 }] },
        { id: 2, lines: [{ functionId: 2, line: 9 }] },
        { id: 3, lines: [{ functionId: 1, line: 2 }] },
        { id: 4, lines: [] },
        { id: 5, lines: [{ functionId: 5, line: 7 }] },
        { id: 6, lines: [{ functionId: 3, line: 0 }] },
      ],
      samples: [
        { locations: [1, 2, 2, 3], values: [1, 100, 1, 100] },
        { locations: [4, 2, 3], values: [2, 30, 2, 30] },
        { locations: [5, 2, 2, 2, 3], values: [3, 60, 3, 60] },
        { locations: [6, 1, 3], values: [1, 5, 1, 5] },
        { locations: [], values: [1, 8, 1, 8] },
        { locations: [2, 3], values: [0, 0, 0, 0] },
      ],
    };
    const target = decodeProfile(encodeProfile(spec));
    const base = decodeProfile(encodeProfile({ ...spec, samples: spec.samples.slice(1) }));
    for (const [t] of HEAP_TYPES) {
      sameAsFull({ target, base }, t, `hand-made ${t} diff`);
      sameAsFull({ target }, t, `hand-made ${t}`);
    }
    const line7 = fileLinesOf({ target }, 'inuse_space', ['/app/alloc.go']).lines.get('/app/alloc.go')?.get(7);
    assert.deepEqual(line7?.functions, ['main.alloc', 'main.alloc.func1', 'main.other']);
    assert.equal(line7?.cum, 105);
  });

  const heapCorpus = existsSync(CORPUS)
    ? readdirSync(CORPUS, { recursive: true }).map(String).map((f) => join(CORPUS, f)).filter((f) => statSync(f).isFile() && !/\.(md|string)$/.test(f))
    : [];
  it(`equals it on the shared corpus's heap profiles${heapCorpus.length ? '' : ' — SKIPPING: ../shared/corpus is absent'}`, { skip: heapCorpus.length === 0 ? '../shared/corpus is absent: 0 corpus profiles checked' : false }, () => {
    let checked = 0;
    const heaps: Profile[] = [];
    for (const f of heapCorpus) {
      let p: Profile;
      try { p = read(f); } catch { continue; }
      if (!isHeapProfile(p)) continue;
      heaps.push(p);
      sameAsFull({ target: p }, p.sampleTypes[p.sampleTypes.length - 1].type, f);
      checked++;
    }
    for (let i = 1; i < heaps.length; i += 4) {
      const t = heaps[i].sampleTypes.find((x) => heaps[i - 1].sampleTypes.some((y) => y.type === x.type));
      if (t) sameAsFull({ target: heaps[i], base: heaps[i - 1] }, t.type, `corpus pair ${i}`);
    }
    assert.ok(checked >= 10, `corpus heap profiles checked: ${checked}`);
  });
});
