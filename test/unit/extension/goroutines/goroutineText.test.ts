import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decodeProfile } from '../../../../src/core/decode';
import { goroutineView } from '../../../../src/core/goroutines/view';
import { normalizeProfilePath } from '../../../../src/core/sourceResolution';
import { findingDescription, goroutineHoverMarkdown, goroutinePaints, goroutinePanelFindings } from '../../../../src/extension/goroutines/goroutineText';
import { loadProfileFileSync } from '../../../../src/node/loadProfile';

// What the editor shows of a goroutine comparison, on the goroutineleak fixture (a real Go program:
// subscribers parked on a channel nobody closes, sessions in a select, a lock, connections read
// without a deadline): the ranked sites, the lines painted — where goroutines wait and the `go`
// statement that started them — and the hovers' sentences.

const FIX = join(__dirname, '../../../fixtures/goroutineleak/profiles');
const load = (build: string, file: string) => loadProfileFileSync(join(FIX, build, file));
const link = (l: { file: string; line: number }) => `command:heaplens.goToSource?${encodeURIComponent(JSON.stringify([l]))}`;
/** plain drops Markdown's backslash escapes, to read a hover as a user does. */
const plain = (md: string) => md.replace(/\\([\\`*_{}[\]()#+\-.!:|<>~])/g, '$1');
const fileEnding = (files: Record<string, unknown>, name: string) => Object.keys(files).find((f) => f.endsWith(`/${name}`) || f === name)!;

describe('goroutine comparison surfaces (t1 → t3)', () => {
  for (const build of ['default', 'trimpath']) {
    it(`${build}: dumps rank the subscribers first, paint feed.go:32 (waiting) and feed.go:19 (go statement), and explain both`, () => {
      const view = goroutineView({ base: load(build, 't1.goroutine-dump.txt'), target: load(build, 't3.goroutine-dump.txt') });
      assert.deepEqual(view.totals, { base: 338, new: 998, delta: 660 });
      assert.deepEqual(view.findings.map((f) => `${f.site.line}:${f.delta.goroutines}`), ['32:500', '22:80', '40:40', '26:40']);
      assert.equal(findingDescription(view.findings[0], true), '+500 goroutines · chan receive · started at feed.go:19');
      const feed = fileEnding(view.files, 'feed.go');
      const paints = goroutinePaints(view, [feed]);
      assert.deepEqual(paints.map((p) => [p.line, p.text, p.direction, p.magnitude]), [
        [19, '+500 goroutines started here', 'growth', 4],
        [32, '+500 goroutines waiting (chan receive)', 'growth', 4],
      ]);
      const waiting = plain(goroutineHoverMarkdown('t3 vs t1', paints[1].lines, true, link));
      assert.match(waiting, /750 goroutines parked in `chan receive` here, \+500 since base, started by the go statement at \[feed\.go:19\]\(command:heaplens\.goToSource\?/);
      assert.match(waiting, /Shape: receiving from a channel nobody sends on or closes\./);
      assert.match(waiting, /250 of 750 have waited a minute or more/);
      const started = plain(goroutineHoverMarkdown('t3 vs t1', paints[0].lines, true, link));
      assert.match(started, /750 goroutines started by the go statement on this line, \+500 since base, parked in `chan receive` at \[feed\.go:32\]/);
      const conns = plain(goroutineHoverMarkdown('t3 vs t1', goroutinePaints(view, [fileEnding(view.files, 'conns.go')]).find((p) => p.lines[0].role === 'waiting')!.lines, true, link));
      assert.match(conns, /a goroutine per connection/);
      assert.match(conns, /reading from the network with no deadline/);
      const panel = goroutinePanelFindings(view);
      assert.equal(panel[0].title, 'Goroutines went from 338 to 998 (+660)');
      assert.match(panel[1].title, /^\+500 goroutines · /);
      assert.match(panel[1].detail, /Started by the go statement at .*feed\.go.*:19/);
    });
  }

  it('proto and debug=1 text know no go statement: only the waiting line is painted, and the hover says so without guessing', () => {
    const view = goroutineView({ base: load('default', 't1.goroutine.txt'), target: load('default', 't3.goroutine.txt') });
    assert.equal(view.hasCreatedBy, false);
    const feed = fileEnding(view.files, 'feed.go');
    const paints = goroutinePaints(view, [feed]);
    assert.deepEqual(paints.map((p) => p.line), [32]);
    const hover = plain(goroutineHoverMarkdown('x', paints[0].lines, true, link));
    assert.match(hover, /Cause unknown: the profile does not say what these goroutines wait on/);
    assert.doesNotMatch(hover, /started by/);
  });

  it('one profile: counts, not changes, and neutral marks', () => {
    const view = goroutineView({ target: load('default', 't3.goroutine-dump.txt') });
    assert.equal(view.isDiff, false);
    assert.equal(view.totals.new, 998);
    const paints = goroutinePaints(view, [fileEnding(view.files, 'feed.go')]);
    assert.deepEqual(paints.map((p) => [p.line, p.text, p.direction]), [[19, '750 goroutines started here', 'neutral'], [32, '750 goroutines waiting (chan receive)', 'neutral']]);
  });

  it('hostile names in a dump reach the hover escaped: no forged link, no raw markup', () => {
    const evil = 'main.x](command:workbench.action.terminal.new)<img src=x>';
    const dump = (n: number) => decodeProfile(new TextEncoder().encode([
      'goroutine 1 [running]:', 'main.main()', '\t/app/main.go:9 +0x25', '',
      ...Array.from({ length: n }, (_, i) => [`goroutine ${i + 2} [chan receive]:`, `${evil}()`, '\t/app/w.go:20 +0x45', `created by ${evil}`, '\t/app/w.go:7 +0x85', ''].join('\n')),
    ].join('\n')));
    const view = goroutineView({ base: dump(1), target: dump(3) });
    const file = normalizeProfilePath('/app/w.go');
    const paints = goroutinePaints(view, [file]);
    const hover = goroutineHoverMarkdown('t', paints.flatMap((p) => p.lines), true, link);
    // Inside a code span the name is text; outside code spans nothing of it may remain unescaped.
    const outsideCode = hover.replace(/(`+)[\s\S]*?\1/g, '');
    assert.ok(hover.includes('`main.x](command:workbench.action.terminal.new)<img src=x>`'), 'shown as code');
    assert.ok(!outsideCode.includes('](command:workbench'), outsideCode);
    assert.ok(!outsideCode.includes('<img'), outsideCode);
    const links = [...outsideCode.matchAll(/\]\(([^)\s]*)\)/g)].map((m) => m[1]);
    assert.ok(links.length > 0 && links.every((l) => l.startsWith('command:heaplens.goToSource?')), links.join('\n'));
    assert.match(plain(hover), /\+2 since base/);
  });
});
