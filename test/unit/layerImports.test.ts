import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';

// The layers and who may import whom, checked on every import statement of every source file:
//   core ← protocol ← node ← cli | extension;  webview ← protocol, core.
// src/core also has its own tsconfig (types: [], lib ES2022) so Node/DOM globals fail to compile;
// this test catches what the compiler would still allow (a bare 'fs' or 'vscode' import).

const ROOT = resolve(__dirname, '../..');

/** LAYERS maps each layer folder to the layers it may import from (itself always included). */
const LAYERS: Record<string, { folder: string; imports: string[]; packages: RegExp }> = {
  core: { folder: 'src/core', imports: [], packages: /^(pako|@vscode\/l10n)$/ },
  protocol: { folder: 'src/protocol', imports: ['core'], packages: /^$/ },
  node: { folder: 'src/node', imports: ['core', 'protocol'], packages: /^(node:|pako$|protobufjs|@vscode\/l10n$)/ },
  cli: { folder: 'src/cli', imports: ['core', 'node', 'l10n'], packages: /^(node:|@vscode\/l10n$)/ },
  extension: { folder: 'src/extension', imports: ['core', 'protocol', 'node'], packages: /^(node:|vscode$|@vscode\/l10n$)/ },
  // the translation bundles (JSON, no code): read by the CLI's build; the host reads them through VS Code
  l10n: { folder: 'l10n', imports: [], packages: /^$/ },
  webview: { folder: 'webview', imports: ['core', 'protocol'], packages: /^(@viz-js\/|@vscode-elements\/|@vscode\/codicons|@vscode\/l10n$)/ },
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function layerOf(path: string): string | undefined {
  const rel = relative(ROOT, path).split(sep).join('/');
  return Object.keys(LAYERS).find((l) => rel === LAYERS[l].folder || rel.startsWith(LAYERS[l].folder + '/'));
}

/** importsOf lists every module specifier in a file: static, dynamic, re-exports and require. */
function importsOf(text: string): string[] {
  const specs: string[] = [];
  // Statement starts only (a line beginning with import/export or the `}` of a multi-line import),
  // so prose like "called from ' : '" in a string is not an import.
  for (const m of text.matchAll(/^[ \t]*(?:import|export|\})[^'"\n]*?(?:\bfrom[ \t]*|^[ \t]*import[ \t]*)['"]([^'"\n]{1,300})['"]/gm)) specs.push(m[1]);
  for (const m of text.matchAll(/\b(?:import|require)\([ \t]*['"]([^'"\n]{1,300})['"][ \t]*\)/g)) specs.push(m[1]);
  return specs;
}

describe('layer imports', () => {
  for (const [layer, rule] of Object.entries(LAYERS)) {
    it(`${rule.folder} imports only ${[layer, ...rule.imports].join(', ')}${rule.packages.source === '^$' ? '' : ' and its packages'}`, () => {
      const offenders: string[] = [];
      for (const file of files(join(ROOT, rule.folder))) {
        for (const spec of importsOf(readFileSync(file, 'utf8'))) {
          if (spec.startsWith('.')) {
            const target = layerOf(resolve(dirname(file), spec));
            if (target !== layer && !rule.imports.includes(target ?? '')) offenders.push(`${relative(ROOT, file)} → ${spec}`);
          } else if (!rule.packages.test(spec)) {
            offenders.push(`${relative(ROOT, file)} → ${spec}`);
          }
        }
      }
      assert.deepEqual(offenders, []);
    });
  }

  it('the checker itself sees a forbidden import', () => {
    assert.deepEqual(
      importsOf("import * as vscode from 'vscode';\nimport {\n  a,\n} from '../x';\nconst w = require('node:worker_threads');\nconst s = 'called from ' + ' : ';"),
      ['vscode', '../x', 'node:worker_threads'],
    );
    assert.equal(layerOf(join(ROOT, 'src/cli/main.ts')), 'cli');
    assert.equal(layerOf(join(ROOT, 'src/core/x.ts')), 'core');
  });
});
