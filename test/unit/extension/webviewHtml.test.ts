import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, makeNonce, webviewHtml } from '../../../src/extension/webviewHtml';

// Every webview page goes through webviewHtml: one strict policy, a crypto nonce per page, text escaped.

const ROOT = join(__dirname, '../../..');
const page = { cspSource: 'https://cs.example', title: 'a <b> & "c"', styles: ['https://cs.example/p.css'], body: '<main></main>' };

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('webview pages', () => {
  it('allows scripts only with the page nonce, and none at all on a script-free page', () => {
    const html = webviewHtml({ ...page, scripts: ['https://cs.example/w.js'] }, 'N0nce+/=');
    assert.match(html, /content="default-src &#39;none&#39;; script-src &#39;nonce-N0nce\+\/=&#39;; style-src https:\/\/cs.example"/);
    assert.ok(html.includes('<script nonce="N0nce+/=" src="https://cs.example/w.js"></script>'));
    const still = webviewHtml(page);
    assert.ok(!still.includes('script-src') && !still.includes('<script'), still);
  });

  it('adds WebAssembly, fonts and images only when asked', () => {
    assert.equal(contentSecurityPolicy({ cspSource: 'S', wasm: true, fonts: true, images: true }, 'n'), "default-src 'none'; script-src 'nonce-n' 'wasm-unsafe-eval'; style-src S; font-src S; img-src S");
    assert.equal(contentSecurityPolicy({ cspSource: 'S', wasm: true }, undefined), "default-src 'none'; style-src S", 'no script, no wasm');
  });

  it('escapes the title and attributes; the body is the caller’s (already escaped) HTML', () => {
    const html = webviewHtml({ ...page, styles: [{ href: 'x" onload="y', id: 'i' }] });
    assert.ok(html.includes('<title>a &lt;b&gt; &amp; &quot;c&quot;</title>'));
    assert.ok(html.includes('href="x&quot; onload=&quot;y" id="i"'));
  });

  it('nonces are fresh, long and from a cryptographic source', () => {
    const seen = new Set(Array.from({ length: 100 }, makeNonce));
    assert.equal(seen.size, 100);
    for (const n of seen) assert.match(n, /^[A-Za-z0-9+/]{32}$/);
  });

  it('no other file writes a page or a nonce of its own', () => {
    const offenders = [...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'webview'))]
      .filter((f) => !f.endsWith('webviewHtml.ts'))
      .filter((f) => /<!DOCTYPE|Content-Security-Policy|makeNonce|randomBytes\(|Math\.random\(\)\.toString/i.test(readFileSync(f, 'utf8')));
    assert.deepEqual(offenders, []);
  });
});
