import type { ProfileSession } from './session';
import { StackIndex } from '../../core/stackIndex';

// One StackIndex per session, shared by the hotspot tree and the source hovers, rebuilt when what
// it depends on changes (filters, or the base/new order after Swap). Sample type is a query argument.

/** SessionStacks hands out each session's StackIndex, rebuilding it when the filters or profiles change. */
export class SessionStacks {
  private readonly indexes = new WeakMap<ProfileSession, { key: string; index: StackIndex }>();

  /** of returns the session's StackIndex. */
  of(session: ProfileSession): StackIndex {
    const key = JSON.stringify([session.filters, session.base?.uri.toString(), session.target.uri.toString()]);
    const cached = this.indexes.get(session);
    if (cached?.key === key) return cached.index;
    const index = new StackIndex({ target: session.target.profile, base: session.base?.profile }, session.filters);
    this.indexes.set(session, { key, index });
    return index;
  }
}
