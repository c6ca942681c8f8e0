import type { ProfileHandle, ProfilePair } from '../protocol/analysis';

// What the analysis worker does while idle, per pair of profiles. A query's next steps replace the
// steps of its own pair only (a newer view of the same profiles supersedes an older view's), and
// pairs are worked on in the order of their newest query, newest first. When one query's steps
// replaced everyone's, the preview opened by clicking the first file of a comparison had its Top
// table run right after the comparison's first rows (it had been waiting), and that dropped the
// comparison's prefetch of its functions aggregate: the panel's table then took 975 ms in the
// worker instead of 125 ms (traced in code-server, 61 MB pair).

/** Prefetch is one step of work the worker may do while idle; it calls `checkpoint` now and then. */
export type Prefetch = (checkpoint?: () => void) => void;

interface PairSteps {
  handles: ProfileHandle[];
  /** The id of the query that asked for these steps (ids grow with each message the host sends). */
  order: number;
  steps: Prefetch[];
}

/** PrefetchQueue holds the prefetch steps of each pair of profiles, the pair of the newest query first. */
export class PrefetchQueue {
  private groups: PairSteps[] = [];

  /** size is how many steps are waiting. */
  get size(): number {
    let n = 0;
    for (const g of this.groups) n += g.steps.length;
    return n;
  }

  /** replace gives `pair` the steps asked for by query `order` (a newer query's steps replace the pair's older ones). */
  replace(pair: ProfilePair, order: number, steps: Prefetch[]): void {
    // A query with no next steps keeps what its pair had (a diagnosis answered right after the
    // tree's rows used to drop the rows' prefetch).
    if (steps.length === 0) return;
    const handles = pair.base === undefined ? [pair.target] : [pair.target, pair.base];
    const same = this.groups.find((g) => g.handles.length === handles.length && g.handles.every((h, i) => h === handles[i]));
    if (same && same.order > order) return;
    this.groups = this.groups.filter((g) => g !== same);
    this.groups.push({ handles, order, steps: [...steps] });
    this.groups.sort((a, b) => b.order - a.order);
  }

  /** take removes and returns the next step, with a function that puts it back in front (it gave way to a query). */
  take(): { step: Prefetch; putBack: () => void } | undefined {
    const group = this.groups[0];
    if (!group) return undefined;
    const step = group.steps.shift() as Prefetch;
    if (group.steps.length === 0) this.groups.shift();
    return {
      step,
      putBack: () => {
        if (!this.groups.includes(group)) {
          // Re-insert the pair unless a newer query of it has given it other steps since.
          if (this.groups.some((g) => g.handles.length === group.handles.length && g.handles.every((h, i) => h === group.handles[i]))) return;
          this.groups.push(group);
          this.groups.sort((a, b) => b.order - a.order);
        }
        group.steps.unshift(step);
      },
    };
  }

  /** drop forgets the steps of every pair that holds `handle` (the host released it). */
  drop(handle: ProfileHandle): void {
    this.groups = this.groups.filter((g) => !g.handles.includes(handle));
  }
}
