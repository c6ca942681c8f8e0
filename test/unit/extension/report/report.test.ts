import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadProfileFileSync } from '../../../../src/node/loadProfile';
import { diagnose, findingRows, renderMarkdown } from '../../../../src/core/diagnose';
import { type Diagnosable, DiagnosisCache } from '../../../../src/extension/report/reportDiagnosis';
import { AnalysisEngine } from '../../../../src/node/analysisEngine';
import { modulesShownIn } from '../../../../src/core/userModules';

// `heaplens report` as a user runs it (a real process), and the Markdown and tree rows the
// extension shows, on the Go fixtures; plus a real service's heap snapshots from the shared corpus.

const ROOT = join(__dirname, '../../../..');
const FIX = join(ROOT, 'test/fixtures/profiles');
const MANY = join(ROOT, '../shared/corpus/parca-dev+parca/pkg/query/testdata/many');

const HEAPSCENARIOS = join(ROOT, 'test/fixtures/go/heapscenarios');

/** heaplens runs the CLI; by default from the repository root, where the fixture programs' sources are not found. */
function heaplens(...args: string[]) {
  return heaplensIn(ROOT, ...args);
}

function heaplensIn(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { encoding: 'utf8', cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const pair = (build: string, scenario: string, ext = 'pb.gz') => [join(FIX, build, scenario, `base.${ext}`), join(FIX, build, scenario, `new.${ext}`)];

describe('heaplens report', () => {
  it('--json prints exactly one object of the documented shape', () => {
    // Run from the program's directory, as its developer would: the recorded paths resolve there.
    const r = heaplensIn(HEAPSCENARIOS, 'report', '--json', ...pair('default', 'bodies'));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const out = JSON.parse(r.stdout); // throws unless stdout is one JSON value
    assert.deepEqual(Object.keys(out), ['totals', 'findings']);
    assert.deepEqual(Object.keys(out.totals), ['inuse_space', 'inuse_objects', 'alloc_space', 'alloc_objects']);
    for (const t of Object.values(out.totals) as Array<Record<string, number>>) {
      assert.deepEqual(Object.keys(t), ['base', 'new', 'delta']);
      assert.equal(t.delta, t.new - t.base);
    }
    const [first] = out.findings;
    assert.deepEqual(Object.keys(first), ['kind', 'significant', 'site', 'userFrame', 'delta', 'path', 'pattern', 'advice', 'sites', 'evidence', 'userLine']);
    assert.deepEqual(first.sites, [{ ...first.site, delta: first.delta }]);
    assert.equal(first.userLine, 'if _, err := buf.ReadFrom(r.Body); err != nil {');
    assert.deepEqual(Object.keys(first.evidence), ['text', 'frames', 'confidence']);
    assert.deepEqual(first.evidence.frames.map((f: { function: string }) => f.function), ['bytes.(*Buffer).ReadFrom']);
    assert.match(first.evidence.text, /your line reads `if _, err := buf\.ReadFrom\(r\.Body\)/);
    assert.deepEqual(first.site, { function: 'bytes.growSlice', file: '/usr/lib/go-1.19/src/bytes/buffer.go', line: 240 });
    assert.deepEqual(first.userFrame, { function: 'main.readBody', file: '/tmp/heaplens-build/heapscenarios/handlers.go', line: 18 });
    assert.deepEqual(Object.keys(first.delta), ['inuse_space', 'inuse_objects', 'alloc_space', 'alloc_objects']);
    assert.deepEqual(first.path, ['runtime.main', 'main.main', 'main.runBodies', 'main.readAllBodies', 'main.ingest', 'main.readBody', 'bytes.(*Buffer).ReadFrom', 'bytes.(*Buffer).grow', 'bytes.growSlice']);
    assert.equal(first.pattern, 'request-body-kept');
    assert.equal(first.kind, 'retained');
    assert.equal(first.significant, true);
    assert.ok(first.advice.length > 20);
    const significant = out.findings.map((f: { significant: boolean }) => f.significant);
    assert.deepEqual(significant, [...significant].sort((a: boolean, b: boolean) => Number(b) - Number(a)), 'significant findings first');
  });

  it('prints Markdown with totals, the injected line, its call path and the fix', () => {
    const r = heaplens('report', ...pair('default', 'compressors'));
    assert.equal(r.code, 0, r.stderr);
    const md = r.stdout;
    assert.match(md, /^# Heap growth report\n/);
    assert.match(md, /\| `inuse_space` \| 5\.77MB \| 63\.88MB \| \+58\.11MB \| ×11\.1 \|/);
    assert.match(md, /### 1\. `main\.newConnection` · .*compress\.go:34.* — retained/);
    assert.match(md, /`compressor-per-connection`/);
    assert.match(md, /`bufio-per-connection`/);
    assert.match(md, /\*\*Fix:\*\* Reuse compressors through a sync\.Pool/);
    assert.match(md, /5\. `main\.newConnection` · .*compress\.go:34.* ← \*\*your code\*\*/);
  });

  it('-trimpath paths resolve under the working directory (its go.mod module path), and nowhere else', () => {
    const [base, target] = pair('trimpath', 'bodies');
    const here = JSON.parse(heaplensIn(HEAPSCENARIOS, 'report', '--json', base, target).stdout).findings[0];
    assert.equal(here.userLine, 'if _, err := buf.ReadFrom(r.Body); err != nil {');
    assert.equal(here.pattern, 'request-body-kept');
    const elsewhere = JSON.parse(heaplens('report', '--json', base, target).stdout).findings[0];
    assert.equal(elsewhere.userLine, undefined);
    assert.equal(elsewhere.pattern, null, 'without the line, a ReadFrom alone does not say "request body"');
    assert.match(elsewhere.advice, /^Cause unknown/);
    const md = heaplensIn(HEAPSCENARIOS, 'report', base, target).stdout;
    assert.match(md, /heapscenarios\/handlers\.go:18` {2}`if _, err := buf\.ReadFrom\(r\.Body\); err != nil \{`/);
  });

  it('--module overrides which code is the user\'s', () => {
    const [base, target] = pair('trimpath', 'bodies');
    const inferred = JSON.parse(heaplens('report', '--json', base, target).stdout);
    assert.equal(inferred.findings[0].userFrame.function, 'main.readBody');
    // Declaring the standard library's bytes package "mine" moves the user frame down to it.
    const mine = JSON.parse(heaplens('report', '--json', '--module', 'bytes', base, target).stdout);
    assert.equal(mine.findings[0].userFrame.function, 'bytes.growSlice');
  });

  it('bad input: one line naming the file, exit 1; wrong usage: exit 2 with the usage line', () => {
    const missing = heaplens('report', join(FIX, 'default/bodies/base.pb.gz'), '/nonexistent/new.pb.gz');
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'heaplens: /nonexistent/new.pb.gz: could not be read as a profile (no such file)\n');
    const notProfile = heaplens('report', join(FIX, 'default/bodies/base.pb.gz'), join(ROOT, 'package.json'));
    assert.equal(notProfile.code, 1);
    assert.match(notProfile.stderr, /^heaplens: .*package\.json: .+\n$/);
    const usage = heaplens('report', join(FIX, 'default/bodies/base.pb.gz'));
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /exactly two profiles[\s\S]*usage: heaplens report/);
    assert.equal(heaplens('report', '--max-findings', 'x', ...pair('default', 'bodies')).code, 2);
  });

  it('links source lines that exist on this machine, leaves the others plain', () => {
    const [base, target] = pair('default', 'bodies');
    const d = diagnose({ base: loadProfileFileSync(base), target: loadProfileFileSync(target) });
    const md = renderMarkdown(d, { linkFor: (file, line) => (file.endsWith('handlers.go') ? `file:///src/handlers.go#L${line}` : undefined) });
    assert.match(md, /\[`heapscenarios\/handlers\.go:18`\]\(file:\/\/\/src\/handlers\.go#L18 "\/tmp\/heaplens-build\/heapscenarios\/handlers\.go"\)/);
    assert.match(md, / `bytes\/buffer\.go:240`/, 'unresolved files stay unlinked');
  });
});

describe('diagnosis rows for the tree', () => {
  it('label the user frame, describe Δ, kind and pattern, and point a click at the user\'s line', () => {
    const [base, target] = pair('default', 'pools');
    const rows = findingRows(diagnose({ base: loadProfileFileSync(base), target: loadProfileFileSync(target) }), 3);
    assert.ok(rows.length <= 3);
    assert.equal(rows[0].label, 'main.(*bufferPool).newBuffer heapscenarios/pool.go:25');
    assert.equal(rows[0].description, '+55.95MB retained · reflect-pool-oversized');
    assert.deepEqual(rows[0].target, rows[0].userFrame);
    assert.equal(rows[0].site.function, 'reflect.unsafe_NewArray');
    assert.match(rows[0].tooltip, /Fix: /);
    assert.ok(rows.slice(1).every((r) => !r.significant ? r.description.endsWith('noise') : true));
  });
});

describe('diagnosis in the extension (panel section, shared cache)', () => {
  const [basePath, targetPath] = pair('trimpath', 'compressors');
  // The analysis worker's engine, in-process: the cache asks it through the session's diagnosis query.
  const engine = new AnalysisEngine();
  const held = (path: string) => engine.add(path.split('/').pop() ?? path, loadProfileFileSync(path)).handle;
  let asked = 0;
  const session = (sampleType = 'inuse_space'): Diagnosable & { sampleType: string } => {
    const base = { handle: held(basePath) };
    const target = { handle: held(targetPath) };
    const s = {
      id: `s${base.handle}`, isComparison: true, sampleType, base, target,
      diagnosis: (origin: { modulePaths?: string[] }, sources?: Record<string, string[]>) => {
        asked++;
        return Promise.resolve().then(() => engine.answer({ kind: 'diagnosis', pair: { base: base.handle, target: target.handle }, sampleType: s.sampleType, origin, sources }));
      },
    };
    return s;
  };

  it('the panel gets the headline with totals, then the significant findings with their source line', async () => {
    const cache = new DiagnosisCache();
    const findings = await cache.panelFindings(session(), 2);
    assert.equal(findings.length, 3);
    assert.match(findings[0].title, /^inuse_space went from .* \(\+[\d.]+MB, ×\d+\.\d\)\. \d+ significant findings account for/);
    assert.match(findings[0].detail, /^inuse_objects .* · alloc_space .* · alloc_objects /);
    assert.match(findings[1].title, /^A compressor per connection, kept alive: \+[\d.]+MB inuse_space at main\.newConnection \(compress\.go:34\)$/);
    assert.equal(findings[1].severity, 'high');
    assert.deepEqual(findings[1].location, { function: 'main.newConnection', file: 'example.com/heapscenarios/compress.go', line: 34 });
    assert.match(findings[1].detail, /Allocated in compress\/flate\.NewWriter \(deflate\.go:666\) \(3 sites\)\. Seen: compress\/flate\.NewWriter \(deflate\.go:666\) on the call path\. Reuse compressors/);
  });

  it('asks once per session and sample type; workspace modules count only when the profile shows them', async () => {
    let loads = 0;
    const cache = new DiagnosisCache(() => { loads++; return { modulePaths: ['example.com/heapscenarios', 'example.com/unrelated'] }; });
    await cache.refresh();
    assert.equal(loads, 1);
    const s = session();
    asked = 0;
    assert.equal(await cache.get(s), await cache.get(s));
    assert.equal(asked, 1);
    s.sampleType = 'alloc_space';
    assert.equal((await cache.get(s)).sampleType.type, 'alloc_space');
    assert.equal(asked, 2);
    assert.deepEqual(modulesShownIn(loadProfileFileSync(targetPath), ['example.com/heapscenarios', 'example.com/unrelated']), ['example.com/heapscenarios']);
    assert.equal((await cache.get(s)).findings[0].userFrame?.function, 'main.newConnection');
  });

  it('reads the user\'s source lines after ranking, then tells listeners; the panel and the tree quote the line', async () => {
    const read: string[] = [];
    const cache = new DiagnosisCache(undefined, async (file) => {
      read.push(file);
      return file === 'example.com/heapscenarios/compress.go' ? readFileSync(join(HEAPSCENARIOS, 'compress.go'), 'utf8') : undefined;
    });
    const s = session();
    const heard: Diagnosable[] = [];
    cache.onDidChange((x) => heard.push(x));
    assert.equal((await cache.panelFindings(s, 2))[1].lineText, undefined, 'the first answer comes before the lines');
    const d = await cache.ready(s);
    assert.deepEqual(heard, [s]);
    assert.ok(read.includes('example.com/heapscenarios/compress.go') && read.every((f) => !f.startsWith('compress/')), `reads user files only: ${read.join(', ')}`);
    assert.equal(d.findings[0].userLine, 'zw, err := flate.NewWriter(nc, flate.DefaultCompression)');
    assert.equal((await cache.panelFindings(s, 2))[1].lineText, 'zw, err := flate.NewWriter(nc, flate.DefaultCompression)');
    assert.match((await cache.rows(s))[0].tooltip, /^heapscenarios\/compress\.go:34  zw, err := flate\.NewWriter/);
    assert.match((await cache.rows(s))[0].tooltip, /3 sites: compress\/flate\.NewWriter/);
  });

  it('a single profile has no diagnosis; profiles that cannot be compared give one readable line', async () => {
    const cache = new DiagnosisCache();
    const single = { ...session(), isComparison: false, base: undefined };
    assert.deepEqual(await cache.panelFindings(single), []);
    assert.deepEqual(await cache.rows(single), []);
    const bad = session('no_such_type');
    const [only] = await cache.panelFindings(bad);
    assert.equal(only.title, 'No growth diagnosis');
    assert.match(only.detail, /no_such_type/);
  });
});

describe('report on a real service\'s heap snapshots (shared corpus)', { skip: existsSync(MANY) ? false : 'shared corpus not present' }, () => {
  it('first vs last of parca\'s ten snapshots: sensible findings, user frames in parca, not in dependencies', () => {
    const files = readdirSync(MANY).filter((f) => f.endsWith('.pb.gz')).sort();
    const r = heaplens('report', '--json', join(MANY, files[0]), join(MANY, files[files.length - 1]));
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.ok(out.totals.inuse_space.delta > 0);
    const significant = out.findings.filter((f: { significant: boolean }) => f.significant);
    assert.ok(significant.length >= 1 && significant.length < out.findings.length, 'some findings significant, some noise');
    const top = out.findings[0];
    assert.equal(top.kind, 'retained');
    assert.ok(top.delta.inuse_space > 0.5 * out.totals.inuse_space.delta, 'the top finding explains most of the growth');
    for (const f of out.findings) {
      assert.equal(f.path[f.path.length - 1], f.site.function);
      if (f.userFrame) {
        assert.ok(f.path.includes(f.userFrame.function));
        assert.ok(!/\/pkg\/mod\/|@v\d/.test(f.userFrame.file), `${f.userFrame.file} is a dependency`);
      }
    }
    assert.match(top.userFrame.function, /^github\.com\/parca-dev\/parca\//);
  });
});
