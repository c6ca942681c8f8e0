import type { Viz } from '@viz-js/viz';

// Loading the Graphviz bundle on first use: a script element carrying the page's nonce (the CSP
// allows nothing else), then one Graphviz instance for the panel's lifetime.

declare global {
  // The one global the Graphviz bundle sets (see graphviz.ts).
  // eslint-disable-next-line no-var
  var heaplensGraphviz: { instance(): Promise<Viz> } | undefined;
}

/** GraphvizLoader loads Graphviz once. */
export class GraphvizLoader {
  private viz: Promise<Viz> | undefined;
  private src = '';

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
