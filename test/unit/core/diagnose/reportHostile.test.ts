import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import MarkdownIt from 'markdown-it';
import { decodeProfile } from '../../../../src/core/decode';
import { diagnose, renderMarkdown } from '../../../../src/core/diagnose';
import { HEAP_TYPES, type ProfileSpec, encodeProfile } from '../../../support/profileWriter';

// The growth report's Markdown fed hostile profiles: names that try to end their code span and
// start a link, raw HTML in sample-type names and goroutine roots, bidi overrides; and a stack
// deep enough to break any recursion or argument spread over frames.

const md = new MarkdownIt({ html: true, linkify: true });

const INJECT = 'main.x`\n\n[Download the fix](https://evil.example/fix) <img src=x onerror=alert(1)>';
const ROOT_INJECT = 'main.<img src=x onerror=alert(2)>.[go](command:workbench.action.terminal.new)';

function profile(scale: number, names: string[], types: Array<[string, string]> = HEAP_TYPES): ProfileSpec {
  // One stack: root (a goroutine entry) → … → leaf site; values grow with scale.
  return {
    sampleTypes: types,
    period: 524288,
    periodType: ['space', 'bytes'],
    functions: names.map((name, i) => ({ id: i + 1, name, file: `/home/u/app/${i}\u202e.go` })),
    locations: names.map((_, i) => ({ id: i + 1, lines: [{ functionId: i + 1, line: 10 + i }] })),
    samples: [{ locations: names.map((_, i) => names.length - i), values: types.map((_, k) => (k % 2 ? 1 << 20 : 100) * scale) }],
  };
}

function report(names: string[], types?: Array<[string, string]>) {
  const base = decodeProfile(encodeProfile(profile(1, names, types)));
  const target = decodeProfile(encodeProfile(profile(60, names, types)));
  return renderMarkdown(diagnose({ base, target }), { baseName: 'a`b.prof', newName: 'new\n# h.prof', linkFor: (f, l) => `https://src.example${f}#L${l}` });
}

function elements(html: string): string[] {
  return [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1]);
}

describe('growth report Markdown with hostile strings', () => {
  const text = report([ROOT_INJECT, 'main.mid', INJECT]);
  const html = md.render(text);

  it('starts no link but the source links, no image and no raw HTML', () => {
    const tags = new Set(elements(html));
    for (const bad of ['img', 'script', 'iframe', 'h4', 'h5', 'h6']) assert.ok(!tags.has(bad), `<${bad}> in ${html}`);
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    assert.ok(hrefs.length > 0, 'source links are kept');
    for (const h of hrefs) assert.match(h, /^https:\/\/src\.example\/home\/u\/app\//);
    assert.doesNotMatch(html, /href="(https:\/\/evil|command:)/);
  });

  it('keeps each name inside its one code span', () => {
    // The injected name shows as text (escaped), never as a heading or a paragraph break.
    const headings = [...html.matchAll(/<h([1-6])>/g)].map((m) => Number(m[1]));
    assert.deepEqual(headings.filter((h) => h <= 2), [1, 2, 2]);
    assert.match(html, /\[Download the fix\]\(https:\/\/evil\.example\/fix\) &lt;img src=x onerror=alert\(1\)&gt;/);
    assert.doesNotMatch(text, /\u202e/);
    assert.match(text, /\\u202e/);
  });

  it('escapes hostile sample-type names and the goroutine root in the reason', () => {
    const types: Array<[string, string]> = [['alloc_objects', 'count'], ['alloc_space', 'bytes'], ['inuse_objects', 'count'], ['inuse_space<img src=x onerror=alert(3)>', 'bytes']];
    const out = md.render(report(['runtime.goexit', ROOT_INJECT, 'main.mid', 'main.leaf'], types));
    assert.ok(!elements(out).includes('img'), out);
    assert.match(out, /inuse_space&lt;img/);
  });
});

describe('growth report on a 200,000-frame stack', () => {
  it('renders Markdown (no recursion or spread over frames)', () => {
    const n = 200000;
    const names = Array.from({ length: n }, (_, i) => `main.f${i}`);
    const text = report(names);
    assert.match(text, /^# Heap growth report/);
    assert.match(text, new RegExp(`\\n  ${n}\\. \`main\\.f${n - 1}\``));
  });
});
