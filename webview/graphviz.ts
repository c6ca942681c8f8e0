import { instance } from '@viz-js/viz';

// A separate bundle (dist/graphviz.js, ~1.2 MB with Graphviz's WebAssembly inlined) that the panel
// loads only when the call graph is first shown, so opening the panel stays fast. It compiles the
// WebAssembly from bytes it carries: nothing is fetched, and the page's CSP needs only
// 'wasm-unsafe-eval'. It hands its entry point to the panel script through one global.

globalThis.heaplensGraphviz = { instance };
