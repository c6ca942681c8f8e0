// One build script, several entries: extension host, decode worker, CLI, webview.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Entries that exist are built; each issue adds its own without touching the others. */
const entries = [
  { in: 'src/extension/extension.ts', out: 'extension', platform: 'node', format: 'cjs', external: ['vscode'] },
  { in: 'src/node/decodeWorker.ts', out: 'decodeWorker', platform: 'node', format: 'cjs', external: ['vscode'] },
  { in: 'src/node/analysisWorker.ts', out: 'analysisWorker', platform: 'node', format: 'cjs' },
  { in: 'src/node/analysisProcess.ts', out: 'analysisProcess', platform: 'node', format: 'cjs' },
  { in: 'src/cli/main.ts', out: 'cli', platform: 'node', format: 'cjs', banner: '#!/usr/bin/env node' },
  { in: 'webview/main.ts', out: 'webview', platform: 'browser', format: 'iife' },
  // Graphviz (WebAssembly inlined), loaded by the panel only when the call graph is first shown.
  { in: 'webview/graphviz.ts', out: 'graphviz', platform: 'browser', format: 'iife' },
  // The trend view; its CSS is emitted as dist/trend.css and linked (styles come from cspSource).
  { in: 'webview/trend/main.ts', out: 'trend', platform: 'browser', format: 'iife', loader: { '.css': 'css' } },
].filter((e) => existsSync(e.in));

const contexts = await Promise.all(entries.map((e) => esbuild.context({
  entryPoints: { [e.out]: e.in },
  outdir: 'dist',
  bundle: true,
  platform: e.platform,
  format: e.format,
  target: e.platform === 'node' ? 'node20' : 'es2022',
  external: e.external ?? [],
  banner: e.banner ? { js: e.banner } : undefined,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  loader: { '.css': 'text', '.wasm': 'binary', ...e.loader },
})));

// The codicon font for the panel (the VSIX ships dist/, not node_modules).
mkdirSync('dist/codicons', { recursive: true });
for (const f of ['codicon.css', 'codicon.ttf']) copyFileSync(`node_modules/@vscode/codicons/dist/${f}`, `dist/codicons/${f}`);

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
