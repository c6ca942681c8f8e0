import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { aggregateDiff } from '../../../../src/core/aggregate';
import { loadProfileFileSync } from '../../../../src/node/loadProfile';
import { type Diagnosis, type SourceFrame, diagnose, GROWTH_PATTERNS } from '../../../../src/core/diagnose';
import { SiteCollection, collectSites } from '../../../../src/core/diagnose/sites';
import { decodeProfile } from '../../../../src/core/decode';
import { compileFilters } from '../../../../src/core/filter';
import { NodeTable } from '../../../../src/core/nodes';
import { expandView } from '../../../../src/core/sampleSources';
import { generateHeapProfile } from '../../../bench/generate';
import { givingWay } from '../../../support/givingWay';
import { fixtureSourceReader } from '../../../support/fixtureSource';

// The growth diagnosis on the Go fixture program (test/fixtures/go/heapscenarios): every scenario
// injects one kind of growth at a known line, and scenarios.json says where and what it is. Each
// scenario is checked for both builds (absolute paths and -trimpath) and both formats (protobuf
// and the legacy text of /debug/pprof/heap?debug=1).

const FIX = join(__dirname, '../../../fixtures');

interface Scenario {
  name: string;
  /** Build folders under profiles/ (absent: default and trimpath); text goldens exist without -trimpath. */
  builds?: string[];
  /** null for a control: an unchanged workload, where nothing may be significant. */
  expectedKind: string | null;
  site: SourceFrame;
  userFrame: SourceFrame;
  pattern: string | null;
  alsoPatterns: string[];
  /** The text of the user's line, as the report quotes it. */
  userLine?: string;
  /** Must be absent: "pending" once marked scenarios the engine did not meet yet (issue 10). */
  engine?: string;
}

const allScenarios: Scenario[] = JSON.parse(readFileSync(join(FIX, 'scenarios.json'), 'utf8'));
// Every scenario runs: a scenario the engine does not meet fails, it is never skipped.
const scenarios = allScenarios;
const variantsOf = (s: Scenario) => (s.builds ?? ['default', 'trimpath']).flatMap((b) => [[b, 'pb.gz'], [b, 'heap.txt']] as const);
const variants = variantsOf({ name: 'stdlib' } as Scenario);

const cache = new Map<string, Diagnosis>();
const readLine = fixtureSourceReader();
/** diagnosisOf diagnoses a scenario as the CLI does in a checkout (sources readable), or with `source: false` from the profiles alone. */
function diagnosisOf(build: string, scenario: string, ext: string, source = true): Diagnosis {
  const key = `${build}/${scenario}/${ext}/${source}`;
  let d = cache.get(key);
  if (!d) {
    const dir = join(FIX, 'profiles', build, scenario);
    d = diagnose({ base: loadProfileFileSync(join(dir, `base.${ext}`)), target: loadProfileFileSync(join(dir, `new.${ext}`)) }, { readLine: source ? readLine : undefined });
    cache.set(key, d);
  }
  return d;
}

/** sameFrame compares a frame with the manifest's, whose file is relative (`handlers.go`, `bytes/buffer.go`). */
function assertFrame(actual: SourceFrame | null, expected: SourceFrame, what: string): void {
  assert.ok(actual, `${what}: missing`);
  assert.equal(actual.function, expected.function, `${what}: function`);
  assert.ok(actual.file === expected.file || actual.file.endsWith(`/${expected.file}`), `${what}: file ${actual.file} is not ${expected.file}`);
  assert.equal(actual.line, expected.line, `${what}: line`);
}

describe('diagnosis of the fixture scenarios', () => {
  it('no scenario is marked as one the engine does not meet', () => {
    assert.deepEqual(scenarios.filter((s) => s.engine !== undefined).map((s) => `${s.name}: ${s.engine}`), []);
  });

  for (const s of scenarios) {
    for (const [build, ext] of variantsOf(s)) {
      if (s.expectedKind === null) {
        it(`${s.name} (${build}, ${ext}): an unchanged workload has no significant finding`, () => {
          const d = diagnosisOf(build, s.name, ext);
          assert.deepEqual(d.findings.filter((f) => f.significant).map((f) => `${f.site.function}:${f.site.line}`), []);
        });
      } else it(`${s.name} (${build}, ${ext}): the first finding is the injected line, with the right kind and pattern`, () => {
        const d = diagnosisOf(build, s.name, ext);
        const first = d.findings[0];
        assert.ok(first, 'no findings');
        assert.equal(first.significant, true);
        assert.equal(first.kind, s.expectedKind);
        assertFrame(first.site, s.site, 'site');
        assertFrame(first.userFrame, s.userFrame, 'user frame');
        assert.equal(first.pattern?.id ?? null, s.pattern);
        if (s.userLine !== undefined) assert.equal(first.userLine, s.userLine, 'the user\'s line quoted');
        // The user frame is on the dominant path, which runs from a root to the site (or charged to a call elsewhere, saying how).
        assert.deepEqual(first.path[first.path.length - 1], first.site);
        if (first.attribution) assert.equal(first.userFrameIndex, -1);
        else assert.deepEqual(first.path[first.userFrameIndex], first.userFrame);
      });

      if (s.expectedKind !== null) it(`${s.name} (${build}, ${ext}): without the source, the first finding names the scenario's pattern or none, never another`, () => {
        const first = diagnosisOf(build, s.name, ext, false).findings[0];
        assert.equal(first.kind, s.expectedKind);
        assertFrame(first.userFrame, s.userFrame, 'user frame');
        if (first.pattern) assert.equal(first.pattern.id, s.pattern);
        assert.equal(first.userLine, undefined);
      });

      it(`${s.name} (${build}, ${ext}): names the scenario's patterns and no other`, () => {
        const d = diagnosisOf(build, s.name, ext);
        const named = new Set(d.findings.flatMap((f) => (f.pattern ? [f.pattern.id] : [])));
        const allowed = new Set([s.pattern, ...s.alsoPatterns].filter((p): p is string => p !== null));
        assert.deepEqual([...named].filter((p) => !allowed.has(p)), [], 'a pattern the stacks do not show');
        for (const p of s.alsoPatterns) assert.ok(named.has(p), `${p} not found`);
        for (const f of d.findings) if (f.pattern) assert.equal(f.significant, true, `${f.pattern.id} named on noise`);
      });
    }
  }

  it('churn: nothing significant is retained, and the churn site is not mistaken for growth', () => {
    for (const [build, ext] of variants) {
      const d = diagnosisOf(build, 'churn', ext);
      assert.deepEqual(d.findings.filter((f) => f.significant && f.kind === 'retained').map((f) => f.site.function), [], `${build} ${ext}`);
      assert.equal(d.findings[0].delta.inuse_space, 0);
      assert.ok(d.findings[0].delta.alloc_space > 900 * 1048576);
    }
  });

  it('every pattern of the table fires on some scenario (each has a fixture proving it)', () => {
    const fired = new Set<string>();
    for (const s of scenarios) for (const f of diagnosisOf(variantsOf(s)[0][0], s.name, 'pb.gz').findings) if (f.pattern) fired.add(f.pattern.id);
    assert.deepEqual(GROWTH_PATTERNS.map((p) => p.id).filter((id) => !fired.has(id)), []);
  });

  it('significant findings come first, each group ranked by |Δinuse_space|', () => {
    for (const s of scenarios) {
      const f = diagnosisOf(variantsOf(s)[0][0], s.name, 'pb.gz').findings;
      const firstNoise = f.findIndex((x) => !x.significant);
      if (firstNoise >= 0) assert.ok(f.slice(firstNoise).every((x) => !x.significant), s.name);
      for (let i = 1; i < f.length; i++) {
        if (f[i].significant !== f[i - 1].significant) continue;
        assert.ok(Math.abs(f[i].delta.inuse_space) <= Math.abs(f[i - 1].delta.inuse_space), `${s.name}: rank ${i}`);
      }
    }
  });

  it('per-site deltas are pprof\'s: each equals the flat diff at line granularity, for all four sample types', () => {
    const dir = join(FIX, 'profiles/default/compressors');
    const base = loadProfileFileSync(join(dir, 'base.pb.gz'));
    const target = loadProfileFileSync(join(dir, 'new.pb.gz'));
    const d = diagnose({ base, target }, { maxFindings: 100 });
    for (const type of ['inuse_space', 'inuse_objects', 'alloc_space', 'alloc_objects']) {
      const agg = aggregateDiff({ base, target }, { granularity: 'lines', sampleIndex: type });
      const flat = new Map<string, number>();
      for (let n = 0; n < agg.nodes.count; n++) flat.set(`${agg.nodes.name[n]} ${agg.nodes.file[n]}:${agg.nodes.line[n]}`, agg.flat[n]);
      for (const f of d.findings) {
        for (const x of f.sites) assert.equal(x.delta[type], flat.get(`${x.site.function} ${x.site.file}:${x.site.line}`) ?? 0, `${type} at ${x.site.function}`);
        assert.equal(f.delta[type], f.sites.reduce((sum, x) => sum + x.delta[type], 0), `${type}: a finding is the sum of its sites`);
      }
    }
  });

  it('totals per sample type equal the sums over all sites, and the sums of the profiles', () => {
    const dir = join(FIX, 'profiles/trimpath/cache');
    const base = loadProfileFileSync(join(dir, 'base.heap.txt'));
    const target = loadProfileFileSync(join(dir, 'new.heap.txt'));
    const sites = collectSites({ base, target });
    const d = diagnose({ base, target });
    sites.types.forEach((t, i) => {
      let sum = 0;
      for (let s = 0; s < sites.count; s++) sum += sites.delta[s * sites.types.length + i];
      const total = d.totals.find((x) => x.type === t.type)!;
      assert.equal(total.delta, sum, t.type);
      const col = target.sampleTypes.findIndex((x) => x.type === t.type);
      let direct = 0;
      for (let s = 0; s < target.samples.count; s++) direct += target.samples.values[s * target.sampleTypes.length + col];
      assert.equal(total.new, direct, t.type);
    });
    assert.deepEqual(d.totals.map((t) => t.type), ['inuse_space', 'inuse_objects', 'alloc_space', 'alloc_objects']);
  });

  it('sites collected from a view cache\'s lines expansion are the ones collected alone (and growing past the first 1,024 sites); another granularity is refused', () => {
    for (const [scenario, ext] of [['cache', 'heap.txt'], ['compressors', 'pb.gz']] as const) {
      const dir = join(FIX, `profiles/trimpath/${scenario}`);
      const comparison = { base: loadProfileFileSync(join(dir, `base.${ext}`)), target: loadProfileFileSync(join(dir, `new.${ext}`)) };
      const alone = collectSites(comparison);
      const shared = collectSites(comparison, { lines: expandView(comparison, new NodeTable('lines'), compileFilters({})) });
      assert.deepEqual({ ...shared, nodes: undefined, inputs: undefined }, { ...alone, nodes: undefined, inputs: undefined }, scenario);
      assert.throws(() => collectSites(comparison, { lines: expandView(comparison, new NodeTable('functions'), compileFilters({})) }), /lines expansion/);
    }
    const big = { base: decodeProfile(generateHeapProfile(6_000, 0, 5).gz), target: decodeProfile(generateHeapProfile(6_000, 1, 5).gz) };
    const sites = collectSites(big);
    assert.ok(sites.count > 1024, `${sites.count} sites`);
    const nt = sites.types.length;
    assert.equal(sites.delta.length, sites.count * nt);
    sites.types.forEach((t, i) => {
      let sum = 0;
      for (let s = 0; s < sites.count; s++) sum += sites.target[s * nt + i];
      assert.equal(sum, sites.totals[i][1], t.type);
    });
  });

  it('a site walk stopped at its checkpoints goes on from where it stopped, to the table of one never stopped', () => {
    // More than 65,536 samples in a profile, so that it stops inside one as well as between the two.
    const comparison = { base: decodeProfile(generateHeapProfile(3_000, 0, 4).gz), target: decodeProfile(generateHeapProfile(70_000, 1, 4).gz) };
    const expected = collectSites(comparison);
    const collection = new SiteCollection(comparison);
    const { value, stops, calls } = givingWay((checkpoint) => collection.run(checkpoint));
    assert.deepEqual({ ...value, nodes: undefined }, { ...expected, nodes: undefined });
    assert.equal(stops, 3, 'at samples 0 and 65,536 of the target and 0 of the base');
    assert.equal(calls, 6, 'each checkpoint is reached once more after it stopped there, no earlier one');
    assert.equal(collection.run(), collection.run(), 'a finished walk keeps its table');
  });

  it('one finding per cause: sites reached through the same line of user code with the same kind and pattern are one finding with their sum', () => {
    for (const [build, ext] of variants) {
      const significant = diagnosisOf(build, 'compressors', ext).findings.filter((f) => f.significant);
      const label = (f: SourceFrame | null) => (f ? `${f.function}:${f.line}` : 'none');
      assert.deepEqual(significant.slice(0, 2).map((f) => label(f.userFrame)), ['main.newConnection:34', 'main.newConnection:33'], `${build} ${ext}`);
      const first = significant[0];
      const sites = first.sites.map((x) => `${x.site.function}:${x.site.line}`).sort();
      assert.deepEqual(sites, ['compress/flate.(*compressor).initDeflate:369', 'compress/flate.(*compressor).initDeflate:371', 'compress/flate.NewWriter:666']);
      assert.equal(first.delta.inuse_space, first.sites.reduce((sum, x) => sum + x.delta.inuse_space, 0));
      assert.deepEqual(first.site, first.sites[0].site, 'site is the largest of the sites');
      assert.ok(first.sites.every((x) => Math.abs(x.delta.inuse_space) <= Math.abs(first.sites[0].delta.inuse_space)));
      const labels = significant.map((f) => `${label(f.userFrame)} ${f.kind} ${f.pattern?.id}`);
      assert.equal(new Set(labels).size, labels.length, `no two findings share user frame, kind and pattern: ${labels.join('; ')}`);
    }
  });

  it('a profile compared with itself has nothing to report', () => {
    const p = loadProfileFileSync(join(FIX, 'profiles/default/bodies/new.pb.gz'));
    const d = diagnose({ base: p, target: p });
    assert.deepEqual(d.findings, []);
    assert.ok(d.totals.every((t) => t.delta === 0));
  });

  it('ranks by the chosen sample type: alloc_space puts the churn of the bodies first', () => {
    const dir = join(FIX, 'profiles/default/churn');
    const d = diagnose({ base: loadProfileFileSync(join(dir, 'base.pb.gz')), target: loadProfileFileSync(join(dir, 'new.pb.gz')) }, { sampleIndex: 'alloc_space' });
    assert.equal(d.sampleType.type, 'alloc_space');
    assert.equal(d.findings[0].site.function, 'main.renderReport');
    assert.equal(d.findings[0].kind, 'churn');
  });

  it('goroutine growth is measured from runtime.malg, and the malg site itself is a goroutines finding', () => {
    const d = diagnosisOf('trimpath', 'goroutines', 'pb.gz');
    assert.ok(d.goroutines && d.goroutines.grew && d.goroutines.inuseObjects > 1000);
    const malg = d.findings.find((f) => f.site.function === 'runtime.malg');
    assert.equal(malg?.kind, 'goroutines');
    assert.equal(malg?.userFrame, null); // the runtime allocates descriptors on the system stack
  });
});
