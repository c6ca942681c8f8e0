import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import MarkdownIt from 'markdown-it';
import { markdownCode, markdownLink, markdownText } from '../../../../src/core/text/markdown';
import { terminalLines, terminalText } from '../../../../src/core/text/terminal';

// The escaping functions are checked against a real CommonMark renderer (markdown-it, the one VS
// Code's preview and hovers use), with HTML enabled as in the most permissive VS Code surface.

const md = new MarkdownIt({ html: true, linkify: false });

const HOSTILE = [
  'main.(*T).handle',
  'std::vector<int>',
  '<img src=x onerror=alert(1)>',
  '[Download the fix](https://evil.example/x)',
  '![x](https://evil.example/x.png)',
  'a\n# Heading\n\n[x](command:workbench.action.terminal.new)',
  '`code` and ``two``',
  '```',
  '` leading backtick',
  'trailing backtick`',
  ' both spaces ',
  '*emph* _emph_ **strong** ~~del~~',
  '| cell | forge |',
  'a\\',
  '&lt;img&gt; &#60;b&#62;',
  'x\u202eevil\u202c y',
  'esc \u001b[2J \u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007',
  '<https://autolink.example>',
  'http://bare.example/x',
  '1. list',
  '- item',
  '    indented',
  '',
];

function decodeEntities(html: string): string {
  return html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

// What a visible escape of the control characters looks like (the renderer shows text, not controls).
function shown(s: string): string {
  return terminalText(s);
}

describe('markdownText', () => {
  for (const s of HOSTILE) {
    it(`renders ${JSON.stringify(s)} literally inside a paragraph`, () => {
      const html = md.render(`before ${markdownText(s)} after`);
      // Only the paragraph: no link, image, heading, emphasis, code, list or raw HTML element.
      const tags = [...html.matchAll(/<\/?([a-zA-Z0-9]+)/g)].map((m) => m[1]);
      assert.deepEqual([...new Set(tags)], ['p'], html);
      assert.equal(decodeEntities(html.trim().slice(3, -4)), `before ${shown(s)} after`);
    });
  }

  it('keeps a table row in its cells', () => {
    const html = md.render(`| a | b |\n|---|---|\n| ${markdownText('x | y | z')} | 2 |`);
    assert.equal((html.match(/<td>/g) ?? []).length, 2, html);
  });
});

describe('markdownCode', () => {
  for (const s of HOSTILE) {
    it(`renders ${JSON.stringify(s)} as exactly one code span`, () => {
      const html = md.render(`before ${markdownCode(s)} after`);
      const tags = [...html.matchAll(/<([a-zA-Z0-9]+)/g)].map((m) => m[1]);
      assert.deepEqual(tags, ['p', 'code'], html);
      const inner = /<code>([^]*)<\/code>/.exec(html)?.[1] ?? '';
      assert.equal(decodeEntities(inner), s === '' ? ' ' : shown(s));
    });
  }

  it('stays in one table cell when asked', () => {
    const html = md.render(`| a | b |\n|---|---|\n| ${markdownCode('a|b`|c', { inTable: true })} | 2 |`);
    assert.equal((html.match(/<td>/g) ?? []).length, 2, html);
    assert.match(html, /<td><code>a\|b`\|c<\/code><\/td>/);
  });

  it('picks a fence longer than any backtick run', () => {
    assert.equal(markdownCode('a``b'), '```a``b```');
    assert.equal(markdownCode('`'), '`` ` ``');
  });
});

describe('markdownLink', () => {
  it('keeps a hostile target and title inside the one link', () => {
    const html = md.render(markdownLink(markdownCode('x'), 'https://h.example/a b/(c)<d>"e\n.go', 'say "hi"\n\\'));
    assert.equal((html.match(/<a /g) ?? []).length, 1, html);
    assert.match(html, /href="https:\/\/h\.example\/a%20b\/%28c%29%3Cd%3E%22e%0A\.go"/);
    assert.match(html, /title="say &quot;hi&quot;\\n\\"/);
  });
});

describe('terminalText', () => {
  it('shows ESC, C0, C1, DEL and bidi controls as escapes', () => {
    assert.equal(terminalText('a\u001b[2Jb'), 'a\\x1b[2Jb');
    assert.equal(terminalText('\u001b]8;;https://x\u0007y'), '\\x1b]8;;https://x\\x07y');
    assert.equal(terminalText('\u009b31m\u007f'), '\\x9b31m\\x7f');
    assert.equal(terminalText('a\nheaplens: forged'), 'a\\nheaplens: forged');
    assert.equal(terminalText('x\u202ey\u2066z\u2069\u200e\u200f\u061c'), 'x\\u202ey\\u2066z\\u2069\\u200e\\u200f\\u061c');
    assert.equal(terminalText('C:\\Users\\go\\main.go'), 'C:\\Users\\go\\main.go');
  });

  it('leaves no character a terminal would act on, for every code unit below U+3000', () => {
    const all = Array.from({ length: 0x3000 }, (_, i) => String.fromCharCode(i)).join('');
    const out = terminalText(all);
    assert.doesNotMatch(out, /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
  });

  it('terminalLines keeps line breaks and tabs of composed output only', () => {
    assert.equal(terminalLines('a\tb\nc\u001b[0m\r'), 'a\tb\nc\\x1b[0m\\r');
  });
});
