import type { FrameOriginOptions } from '../../core/diagnose/userFrame';
import type { GoroutineView } from '../../core/goroutines/view';
import { profileKindOf } from '../../core/profileKinds';
import type { ProfileInfo } from '../../protocol/analysis';

// One goroutine view per goroutine session (one profile or a comparison), shared by the tree, the
// source annotations, the hovers and the panel's findings: asked of the analysis worker once per
// order of the profiles and user modules. No vscode import.

/** GoroutineSessionLike is what the cache needs of a session. */
export interface GoroutineSessionLike {
  readonly isComparison: boolean;
  readonly target: { handle: number; info: Pick<ProfileInfo, 'sampleTypes'> };
  readonly base?: { handle: number };
  goroutines(origin: FrameOriginOptions): Promise<GoroutineView>;
}

/** isGoroutineSession tells whether a session shows goroutine profiles. */
export function isGoroutineSession(s: { target: { info: Pick<ProfileInfo, 'sampleTypes'> } }): boolean {
  return profileKindOf(s.target.info)?.id === 'goroutine';
}

/** GoroutineViews caches each goroutine session's view. */
export class GoroutineViews {
  private readonly cache = new WeakMap<GoroutineSessionLike, { key: string; view: Promise<GoroutineView> }>();

  constructor(private readonly origin: () => Promise<FrameOriginOptions> | FrameOriginOptions) {}

  /** get resolves to the session's view; a failed or cancelled query is not remembered. */
  async get(s: GoroutineSessionLike): Promise<GoroutineView> {
    const origin = await this.origin();
    const key = JSON.stringify([s.target.handle, s.base?.handle, origin]);
    const hit = this.cache.get(s);
    if (hit?.key === key) return hit.view;
    const view = s.goroutines(origin);
    const entry = { key, view };
    this.cache.set(s, entry);
    view.catch(() => { if (this.cache.get(s) === entry) this.cache.delete(s); });
    return view;
  }
}
