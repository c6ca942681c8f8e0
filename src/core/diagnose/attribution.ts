import * as l10n from '@vscode/l10n';
import type { SiteTable } from './sites';
import type { UserFrameTest } from './userFrame';

// Memory held in goroutines a library starts for you. A heap profile records the allocating
// goroutine's stack, not who started the goroutine, so a bufio buffer allocated by net/http's
// Transport in the goroutine that dials a connection has no frame of the user's code on its path.
// The link is made through the same profile: the user's calls into that library (http.Get,
// client.Do) show up in other stacks, and the calls whose samples grew most are charged. The
// finding says so, and how sure: one call site carrying most of the growth is 'likely'; several
// comparable ones are 'possible' and all are named.

/** LibraryGoroutine is one row of the table: goroutines a library starts, and the calls that make it. */
export interface LibraryGoroutine {
  /** Who starts them, in words ("net/http's Transport"). */
  library: string;
  /** Frames of the library's own goroutines (regular expressions over function names, linear). */
  goroutines: readonly string[];
  /** The library's API the user calls, which leads to those goroutines. */
  entries: readonly string[];
  /** How the link works, in words. */
  how: string;
}

/** LIBRARY_GOROUTINES lists the libraries whose goroutines are charged to the user's calls. */
export const LIBRARY_GOROUTINES: readonly LibraryGoroutine[] = [
  {
    get library() { return l10n.t('net/http\'s Transport'); },
    goroutines: ['^net/http\\.(\\(\\*Transport\\)\\.(dialConn|dialConnFor)|\\(\\*persistConn\\)\\.(readLoop|writeLoop))$'],
    entries: ['^net/http\\.(\\(\\*Client\\)\\.(Do|Get|Post|PostForm|Head)|Get|Post|PostForm|Head|\\(\\*Transport\\)\\.RoundTrip)$'],
    // Words are getters: read when a note is written, in the language configured then.
    get how() { return l10n.t('the Transport dials and reads each connection in goroutines of its own; your requests through it are the calls that open connections'); },
  },
  {
    get library() { return l10n.t('net/http\'s Server'); },
    goroutines: ['^net/http\\.\\(\\*conn\\)\\.serve$'],
    entries: ['^net/http\\.(\\(\\*Server\\)\\.(Serve|ServeTLS|ListenAndServe|ListenAndServeTLS)|Serve|ServeTLS|ListenAndServe|ListenAndServeTLS)$'],
    get how() { return l10n.t('the Server serves each accepted connection in a goroutine of its own, started by the Serve call'); },
  },
];

/** CallSite is one of the user's calls into a library, with the growth of the samples through it. */
export interface CallSite {
  /** Node of the user's frame that calls into the library. */
  node: number;
  /** The library function it calls. */
  entry: string;
  /** Δ of the weighing sample type over the samples through this call (new − base). */
  weight: number;
}

/** Attribution says how a finding without a user frame on its path was charged to the user's code. */
export interface Attribution {
  method: 'library-goroutine';
  confidence: 'likely' | 'possible';
  /** One sentence: what was linked, how, and the alternatives. */
  note: string;
}

const compiled = new Map<string, RegExp>();
function rx(source: string): RegExp {
  let r = compiled.get(source);
  if (!r) compiled.set(source, (r = new RegExp(source)));
  return r;
}

/** libraryOf returns the table row whose goroutine frames appear on a path of node ids, or undefined. */
export function libraryOf(t: SiteTable, path: readonly number[], table = LIBRARY_GOROUTINES): LibraryGoroutine | undefined {
  return table.find((lib) => lib.goroutines.some((g) => path.some((n) => rx(g).test(t.nodes.name[n]))));
}

/** userCallSites finds the user's calls into `lib` over both profiles' samples, weighted by Δ of `type` (a column of t.types), largest first. */
export function userCallSites(t: SiteTable, lib: LibraryGoroutine, isUser: UserFrameTest, type: number): CallSite[] {
  const entries = lib.entries.map(rx);
  const isEntry = new Map<number, boolean>();
  const entryAt = (node: number) => {
    let e = isEntry.get(node);
    if (e === undefined) isEntry.set(node, (e = entries.some((r) => r.test(t.nodes.name[node]))));
    return e;
  };
  const sites = new Map<number, CallSite>();
  for (const input of t.inputs) {
    const S = input.profile.samples;
    const width = input.profile.sampleTypes.length;
    const col = input.columns[type];
    if (col < 0) continue;
    const stack: number[] = [];
    for (let s = 0; s < S.count; s++) {
      const v = S.values[s * width + col];
      if (v === 0) continue;
      // Root → leaf: the outermost call into the library, then the nearest user frame above it.
      stack.length = 0;
      for (let k = S.locationStart[s + 1] - 1; k >= S.locationStart[s]; k--) {
        const loc = S.locationIndex[k];
        for (let j = input.frames.start[loc]; j < input.frames.start[loc + 1]; j++) stack.push(input.frames.nodes[j]);
      }
      const at = stack.findIndex(entryAt);
      if (at <= 0) continue;
      let user = at - 1;
      while (user >= 0 && !isUser(t.nodes.name[stack[user]], t.nodes.file[stack[user]])) user--;
      if (user < 0) continue;
      const node = stack[user];
      let site = sites.get(node);
      if (!site) sites.set(node, (site = { node, entry: t.nodes.name[stack[at]], weight: 0 }));
      site.weight += input.sign * v;
    }
  }
  return [...sites.values()].sort((a, b) => b.weight - a.weight || a.node - b.node);
}

/** attribute picks the call site to charge and says how sure the link is; undefined when no call grew. */
export function attribute(lib: LibraryGoroutine, sites: readonly CallSite[], describe: (node: number) => string): { site: CallSite; attribution: Attribution } | undefined {
  const grew = sites.filter((s) => s.weight > 0);
  if (grew.length === 0) return undefined;
  const total = grew.reduce((sum, s) => sum + s.weight, 0);
  const [top, ...rest] = grew;
  const likely = top.weight >= (2 / 3) * total;
  const others = rest.slice(0, 3).map((s) => describe(s.node));
  const share = Math.round((top.weight / total) * 100);
  const note = l10n.t('held in goroutines {0} started ({1}); charged to {2}, which calls {3} and carries {4}% of the growth of such calls in this profile', lib.library, lib.how, describe(top.node), top.entry, share)
    + (others.length > 0 ? l10n.t('; other calls: {0}', others.join(', ')) + (rest.length > 3 ? l10n.t(' and {0} more', rest.length - 3) : '') : '');
  return { site: top, attribution: { method: 'library-goroutine', confidence: likely ? 'likely' : 'possible', note } };
}
