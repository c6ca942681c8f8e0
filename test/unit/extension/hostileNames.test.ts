import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import MarkdownIt from 'markdown-it';
import { lineHoverMarkdown } from '../../../src/extension/annotations/lineAnnotations';
import type { HotspotRow } from '../../../src/core/hotspots';
import { plainTooltipMarkdown, rowDescription, rowLabel, rowTooltipMarkdown } from '../../../src/extension/hotspots/hotspotRows';
import { commandUri } from '../../../src/extension/source/commandUri';

// Names from a hostile profile reaching VS Code's tree, tooltips and the trusted hover: nothing in
// them may become a link, an image, raw HTML or a command; a U+202E must stay inside the name; and
// the hover's go-to-source link must carry any name back intact through what VS Code does to a
// command link (modelled below step by step, as read in VS Code 1.100's workbench).

const HOSTILE = [
  'main.f)](command:workbench.action.terminal.new)',
  '<img src=x onerror=alert(1)>',
  'std::vector<int>::push_back',
  '[Download the fix](https://evil.example)',
  'main.\u202egnp.exe',
  'main.a"quote\'single`tick',
  'main.new\nline [x](command:evil)',
  'main.percent%41%zz%',
  'main.unbalanced((]]',
  'main.$(zap) **bold** _em_ | cell',
  'main.\u2069\u2066bidi',
];

// markdown-it with raw HTML on: stricter than VS Code's hover renderer, which sanitises afterwards.
const md = new MarkdownIt({ html: true, linkify: false });

/** hrefs lists the link targets markdown-it finds in rendered Markdown. */
function hrefs(markdown: string): string[] {
  return [...md.render(markdown).matchAll(/<a href="([^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
}

/** percentDecode is vscode's URI.parse decoding: each run of %XX decoded, invalid runs left alone. */
function percentDecode(s: string): string {
  return s.replace(/(%[0-9A-Za-z][0-9A-Za-z])+/g, (run) => {
    try { return decodeURIComponent(run); } catch { return run.length > 3 ? run.slice(0, 3) + percentDecode(run.slice(3)) : run; }
  });
}

const queryOf = (href: string) => href.slice(href.indexOf('?') + 1).split('#')[0];

/** openCommand is the workbench's command opener: URI.parse, then JSON.parse(decodeURIComponent(query)), else JSON.parse(query). */
function openCommand(href: string): { command: string; args: unknown } {
  const query = percentDecode(queryOf(href));
  let args: unknown;
  try { args = JSON.parse(decodeURIComponent(query)); } catch { args = JSON.parse(query); }
  return { command: href.slice('command:'.length, href.indexOf('?')), args };
}

/** transferMarkdown is the extension host's MarkdownString transfer: the query JSON re-encoded ("uri massage"). */
function transferMarkdown(href: string): string {
  const query = percentDecode(queryOf(href));
  let massaged = query;
  try { massaged = encodeURIComponent(JSON.stringify(JSON.parse(decodeURIComponent(query)))); } catch { /* left as it is */ }
  return `${href.slice(0, href.indexOf('?'))}?${encodeURIComponent(massaged)}`;
}

const row = (name: string, file = '/app/x.go'): HotspotRow => ({ kind: 'function', name, file, line: 7, value: 1024, baseValue: 0, share: 0.5, flat: 1024, cum: 2048, baseFlat: 0, baseCum: 0 });

describe('hostile names in the tree', () => {
  it('a row tooltip holds no link, image or raw HTML, and shows the name literally', () => {
    for (const name of HOSTILE) {
      const text = rowTooltipMarkdown(row(name, `/app/${name}.go`), { sampleType: `inuse_space<b>|${name}`, unit: 'bytes', isDiff: true, total: 4096, source: 'Source: `x.go`' });
      const html = md.render(text);
      assert.deepEqual(hrefs(text), [], `${JSON.stringify(name)} made a link: ${html}`);
      assert.ok(!/<(img|script|b|a)\b/i.test(html), `${JSON.stringify(name)} made HTML: ${html}`);
      assert.ok(!/\\</.test(text), 'no backslash before <, which HTML ignores');
      assert.ok(!/[\u202a-\u202e\u2066-\u2069]/.test(text), 'bidi controls are shown as escapes in Markdown');
    }
  });

  it('a finding or trend tooltip (plain lines) keeps its lines and starts nothing', () => {
    const plain = `retained: Δinuse_space +1MB\nsite: ${HOSTILE.join(' ')} x.go:3\n# heading\n- list`;
    const text = plainTooltipMarkdown(plain);
    const html = md.render(text);
    assert.deepEqual(hrefs(text), []);
    assert.ok(!/<(img|h1|ul|li)\b/.test(html), html);
    assert.equal((html.match(/<br>/g) ?? []).length, plain.split('\n').length - 1, 'one line break per line');
  });

  it('a row label isolates an RTL override so the numbers after it keep their order, and is abbreviated', () => {
    const label = rowLabel(row('main.\u202egnp.exe'));
    assert.equal(label, '\u2068main.\u202egnp.exe\u2069');
    assert.equal(rowDescription(row('main.\u202egnp.exe'), 'bytes', true), '+1kB (50%)');
    const long = rowLabel(row(`main.${'x'.repeat(3000)}.Handler`));
    assert.ok(long.length <= 100 && long.endsWith('.Handler'), long);
  });
});

describe('hostile names in the trusted hover', () => {
  const hover = (names: string[]) => lineHoverMarkdown({
    title: 'bad<img src=x>.prof vs good.prof',
    functions: names,
    rows: [{ sampleType: 'inuse_space](command:evil)\n<img>', unit: 'bytes', value: { cum: 10, baseCum: 5 } }],
    isDiff: true,
    sampleType: '<img src=x onerror=1>',
    paths: [{ value: '+10B', frames: [undefined, ...names.map((name, i) => ({ name, file: `/app/${name}.go`, line: i + 1, here: i === 0 }))] }],
  }, (location) => commandUri('heaplens.goToSource', [location]));

  it('has exactly one link per frame, each to heaplens.goToSource, and no HTML from data', () => {
    const text = hover(HOSTILE);
    const html = md.render(text);
    const links = hrefs(text);
    assert.equal(links.length, HOSTILE.length, html);
    for (const href of links) assert.match(href, /^command:heaplens\.goToSource\?[A-Za-z0-9%._~!*-]+$/);
    assert.ok(!/<img|<script|<b>/i.test(html), html);
  });

  it('every frame link opens its own frame, whatever the name holds (also after the Markdown transfer)', () => {
    const text = hover(HOSTILE);
    const links = hrefs(text);
    HOSTILE.forEach((name, i) => {
      const want = { command: 'heaplens.goToSource', args: [{ file: `/app/${name}.go`, line: i + 1, function: name }] };
      assert.deepEqual(openCommand(links[i]), want, `direct: ${JSON.stringify(name)}`);
      assert.deepEqual(openCommand(transferMarkdown(links[i])), want, `transferred: ${JSON.stringify(name)}`);
    });
  });

  it('a query encoded once (the old link) would lose a %41 in a name: the model can tell', () => {
    const once = `command:heaplens.goToSource?${encodeURIComponent(JSON.stringify([{ function: 'main.percent%41' }]))}`;
    assert.notDeepEqual(openCommand(transferMarkdown(once)).args, [{ function: 'main.percent%41' }]);
  });
});
