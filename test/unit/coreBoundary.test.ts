import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

// src/core runs in the extension host, a worker, the CLI and a browser. Its tsconfig (types: [],
// lib ES2022) makes Node/DOM globals compile errors; this test catches imports the compiler would
// still allow (a bare 'fs' or 'vscode' resolved through node_modules typings elsewhere).

const CORE = join(__dirname, '../../src/core');
const FORBIDDEN = /from\s+['"](vscode|node:[^'"]+|fs|path|os|zlib|worker_threads|child_process|http|https|crypto|util|stream|buffer)['"]|require\(/;
const WEBVIEW = join(__dirname, '../../webview');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('architecture boundaries', () => {
  it('src/core imports nothing from vscode, Node or the DOM', () => {
    const offenders = files(CORE).filter((f) => FORBIDDEN.test(readFileSync(f, 'utf8')));
    assert.deepEqual(offenders, []);
  });

  it('src/core and webview never import the extension', () => {
    const all = [...files(CORE), ...(statSync(WEBVIEW, { throwIfNoEntry: false }) ? files(WEBVIEW) : [])];
    const offenders = all.filter((f) => /from\s+['"][^'"]*\/extension\//.test(readFileSync(f, 'utf8')));
    assert.deepEqual(offenders, []);
  });
});
