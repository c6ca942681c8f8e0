import type { Viz } from '@viz-js/viz';

// Loading the Graphviz bundle on first use: a script element carrying the page's nonce (the CSP
// allows nothing else), then one Graphviz instance for the panel's lifetime.

declare global {
  // The one global the Graphviz bundle sets (see graphviz.ts).
  // eslint-disable-next-line no-var
  var heaplensGraphviz: { instance(): Promise<Viz> } | undefined;
}

/** A small graph with the attributes of a call graph's DOT: laying it out once compiles what every layout runs. */
const WARM_UP = [
  'digraph "warm-up" {',
  'node [shape=box style=filled fontname="Helvetica, Arial, sans-serif"]',
  'edge [fontname="Helvetica, Arial, sans-serif" fontsize=10]',
  'N1 [label="main\\nmain\\n0 of 2MB (100%)" fontsize=8]',
  'N2 [label="main\\nalloc\\n2MB (100%)" fontsize=24]',
  'N3 [label="io\\nReadAll" fontsize=8]',
  'N1 -> N2 [label=" 2MB" weight=100 penwidth=6]',
  'N1 -> N3 [label=" 1kB" style="dotted"]',
  '}',
].join('\n');

/** GraphvizLoader loads Graphviz once. */
export class GraphvizLoader {
  private viz: Promise<Viz> | undefined;
  private src = '';
  private warmed = false;

  /** setSource records where the bundle is (from the init message). */
  setSource(src: string): void {
    this.src = src;
  }

  /** load returns the Graphviz instance, loading the bundle the first time. */
  load(): Promise<Viz> {
    this.viz ??= this.inject().then(() => {
      if (!globalThis.heaplensGraphviz) throw new Error('the Graphviz bundle did not load');
      return globalThis.heaplensGraphviz.instance();
    });
    this.viz.catch(() => { this.viz = undefined; }); // allow a retry
    return this.viz;
  }

  /**
   * warm loads Graphviz and lays out a tiny graph while the panel is idle, so the first call graph
   * pays only its own layout: on the 2-core test machine loading took ~0.7 s and a first layout
   * ~1 s more than the next. A failure here is left for load() to report when a graph is drawn.
   */
  warm(): void {
    if (this.warmed || !this.src) return;
    this.warmed = true;
    this.load().then((viz) => { viz.renderJSON(WARM_UP); }).catch(() => undefined);
  }

  private inject(): Promise<void> {
    if (globalThis.heaplensGraphviz) return Promise.resolve();
    if (!this.src) return Promise.reject(new Error('the Graphviz bundle location is unknown'));
    return new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.nonce = document.querySelector<HTMLScriptElement>('script[nonce]')?.nonce ?? '';
      script.src = this.src;
      script.addEventListener('load', () => resolve());
      script.addEventListener('error', () => reject(new Error('the Graphviz bundle could not be loaded')));
      document.head.append(script);
    });
  }
}
