import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type Diagnosis, blockedAtMarkdown, findingRows } from '../../../../src/core/diagnose';
import { panelFindingsOf } from '../../../../src/extension/report/reportDiagnosis';
import { AnalysisEngine } from '../../../../src/node/analysisEngine';
import { loadProfileFileSync } from '../../../../src/node/loadProfile';

// A heap comparison in VS Code with goroutine profiles taken alongside (a capture bundle's dumps, or
// Link Goroutine Profiles…): the finding held by goroutines says where they wait — count, wait
// reason and line — in the tree's tooltip and child row, the panel's Diagnosis and the exported
// report, the same blockedAt as `heaplens report --goroutines`. Fixture: goroutineleak (Go 1.19),
// sessions that each keep a buffer while parked in a select nobody ends.

const FIX = join(__dirname, '../../../fixtures/goroutineleak/profiles/default');
const load = (f: string) => loadProfileFileSync(join(FIX, f));

function engineWith(files: string[]): { engine: AnalysisEngine; handles: number[] } {
  const engine = new AnalysisEngine();
  return { engine, handles: files.map((f) => engine.add(f, load(f)).handle) };
}

function diagnosisOf(goroutineFiles: string[]): Diagnosis {
  const { engine, handles } = engineWith(['t1.heap.txt', 't3.heap.txt', ...goroutineFiles]);
  const [base, target, ...goroutines] = handles;
  return engine.answer({ kind: 'diagnosis', pair: { base, target }, sampleType: 'inuse_space', origin: {}, goroutines: goroutines.length > 0 ? goroutines : undefined }).diagnosis;
}

const SESSIONS = { function: 'main.(*session).run', line: 22, count: 120, waitReason: 'select' };

describe('blockedAt in a heap comparison with goroutine profiles taken alongside', () => {
  it('the worker links the goroutine finding to where its goroutines wait (dumps of base and new), as the CLI does', () => {
    const d = diagnosisOf(['t1.goroutine-dump.txt', 't3.goroutine-dump.txt']);
    const linked = d.findings.filter((f) => f.blockedAt);
    assert.equal(linked.length, 1);
    assert.equal(linked[0].kind, 'goroutines');
    const { function: fn, line, count, waitReason, file } = linked[0].blockedAt!;
    assert.deepEqual({ function: fn, line, count, waitReason }, SESSIONS);
    assert.match(file, /goroutineleak\/sessions\.go$/);
  });

  it('one goroutine profile (taken with the new heap profile), in any form, is enough', () => {
    const dump = diagnosisOf(['t3.goroutine-dump.txt']).findings.find((f) => f.blockedAt)!.blockedAt!;
    assert.deepEqual([dump.function, dump.line, dump.count, dump.waitReason], [SESSIONS.function, SESSIONS.line, SESSIONS.count, SESSIONS.waitReason]);
    const proto = diagnosisOf(['t3.goroutine.pb.gz']).findings.find((f) => f.blockedAt)!.blockedAt!;
    assert.deepEqual([proto.function, proto.line, proto.count, proto.waitReason], [SESSIONS.function, SESSIONS.line, SESSIONS.count, SESSIONS.waitReason]);
  });

  it('without goroutine profiles there is no blockedAt, and linking never leaks into the cached diagnosis', () => {
    const { engine, handles } = engineWith(['t1.heap.txt', 't3.heap.txt', 't1.goroutine-dump.txt', 't3.goroutine-dump.txt']);
    const [base, target, gb, gn] = handles;
    const ask = (goroutines?: number[]) => engine.answer({ kind: 'diagnosis', pair: { base, target }, sampleType: 'inuse_space', origin: {}, goroutines }).diagnosis;
    const before = ask();
    assert.ok(before.findings.every((f) => f.blockedAt === undefined));
    assert.ok(ask([gb, gn]).findings.some((f) => f.blockedAt));
    assert.deepEqual(ask().findings.map((f) => [f.kind, f.reason]), before.findings.map((f) => [f.kind, f.reason]));
  });

  it('tree tooltip, panel Diagnosis and exported report say it with the line; the panel links it', () => {
    const d = diagnosisOf(['t1.goroutine-dump.txt', 't3.goroutine-dump.txt']);
    const text = '120 goroutines wait at main.(*session).run goroutineleak/sessions.go:22 (select)';
    const row = findingRows(d).find((r) => r.finding.blockedAt)!;
    assert.ok(row.tooltip.split('\n').includes(text), row.tooltip);
    const panel = panelFindingsOf(d, 5).find((f) => f.blockedAt)!;
    assert.equal(panel.blockedAt!.text, text);
    assert.deepEqual([panel.blockedAt!.function, panel.blockedAt!.line], [SESSIONS.function, SESSIONS.line]);
    const md = blockedAtMarkdown(d, ['goroutine-1.txt', 'goroutine-3.txt'], { linkFor: (file, line) => `file://${file}#L${line}` });
    assert.match(md, /^## Where the goroutines holding this memory wait\n\nFrom `goroutine-1\.txt` → `goroutine-3\.txt`:\n\n- `main\.\(\*session\)\.run` \(\[`goroutineleak\/sessions\.go:19`\]\(file:\/\/\S+sessions\.go#L19 "[^"]+"\)\): 120 goroutines wait at `main\.\(\*session\)\.run` \[`goroutineleak\/sessions\.go:22`\]\(file:\/\/\S+sessions\.go#L22 "[^"]+"\) \(select\)$/);
    assert.equal(blockedAtMarkdown(diagnosisOf([]), ['x']), '');
  });

  it('hostile names and wait reasons stay text in the report (no forged link, no raw markup)', () => {
    const d = diagnosisOf(['t3.goroutine-dump.txt']);
    const f = d.findings.find((x) => x.blockedAt)!;
    f.blockedAt = { ...f.blockedAt!, function: 'evil`](http://x.test) <img src=x>', waitReason: '[click](http://x.test) <b>' };
    const md = blockedAtMarkdown(d, ['g`](http://x.test).txt']);
    // Outside code spans (any run of backticks), nothing is a link or a tag.
    const prose = md.replace(/(`+)[\s\S]*?\1/g, '');
    assert.ok(!/\]\(http/.test(prose) && !/<img|<b>/.test(prose), md);
    assert.match(md, /``evil`\]\(http:\/\/x\.test\) <img src=x>``/);
  });
});
