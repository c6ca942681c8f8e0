import * as vscode from 'vscode';
import { type Aggregate, type AggregateOptions, aggregate, aggregateDiff } from '../../core/aggregate';
import type { Filters } from '../../core/filter';
import type { Profile } from '../../core/model';
import type { Granularity } from '../../core/nodes';
import { resolveSampleIndex } from '../../core/sampleIndex';

// A session is one opened profile or one comparison, and the view settings every surface shares:
// the hotspot tree, the source annotations, the status bar and the panel all read the same session
// and redraw on its onDidChange, so switching sample type or adding a filter changes all of them.

/** LoadedProfile is a decoded profile and where it came from. */
export interface LoadedProfile {
  uri: vscode.Uri;
  /** File name shown to the user (basename). */
  name: string;
  profile: Profile;
}

/** ProfileSession holds the profiles and the shared view settings of one comparison (or one profile). */
export class ProfileSession implements vscode.Disposable {
  private static nextId = 1;
  /** Unique id, used by the panel's serializer and commands. */
  readonly id = `session-${ProfileSession.nextId++}`;
  private readonly changed = new vscode.EventEmitter<void>();
  /** onDidChange fires after any setting or the base/new order changes. */
  readonly onDidChange = this.changed.event;
  private readonly cache = new Map<string, Aggregate>();
  base: LoadedProfile | undefined;
  target: LoadedProfile;
  sampleType: string;
  granularity: Granularity = 'functions';
  filters: Filters = {};

  constructor(target: LoadedProfile, base?: LoadedProfile, sampleType?: string) {
    this.target = target;
    this.base = base;
    this.sampleType = sampleType ?? target.profile.sampleTypes[resolveSampleIndex(target.profile, undefined)].type;
  }

  /** isComparison tells whether this session compares two profiles. */
  get isComparison(): boolean {
    return this.base !== undefined;
  }

  /** title names the session for tabs and the status bar: "bad_heap.prof vs good_heap.prof". */
  get title(): string {
    return this.base ? `${this.target.name} vs ${this.base.name}` : this.target.name;
  }

  /** sampleTypes lists the value types the user can switch between (present in both profiles). */
  get sampleTypes(): string[] {
    const names = this.target.profile.sampleTypes.map((t) => t.type);
    if (!this.base) return names;
    const baseNames = new Set(this.base.profile.sampleTypes.map((t) => t.type));
    return names.filter((n) => baseNames.has(n));
  }

  /**
   * aggregate returns flat/cum per node for the current sample type and filters, at a granularity
   * (default: the session's). Results are cached until a setting changes.
   */
  aggregate(overrides: Partial<AggregateOptions> = {}): Aggregate {
    const options: AggregateOptions = {
      granularity: this.granularity,
      sampleIndex: this.sampleType,
      filters: this.filters,
      ...overrides,
    };
    const compute = () => (this.base ? aggregateDiff({ base: this.base.profile, target: this.target.profile }, options) : aggregate(this.target.profile, options));
    // One node's edges (peek) are asked for once per clicked function: caching each would keep a
    // whole aggregate per click until the settings change. The other keys are a handful per session.
    if (options.edgesOf !== undefined) return compute();
    const key = JSON.stringify(options);
    let result = this.cache.get(key);
    if (!result) {
      result = compute();
      this.cache.set(key, result);
    }
    return result;
  }

  /** setSampleType switches the value shown everywhere. */
  setSampleType(sampleType: string): void {
    if (sampleType === this.sampleType) return;
    this.sampleType = sampleType;
    this.changed.fire();
  }

  /** setGranularity switches the default granularity of tables. */
  setGranularity(granularity: Granularity): void {
    if (granularity === this.granularity) return;
    this.granularity = granularity;
    this.changed.fire();
  }

  /** setFilters replaces the focus/ignore/hide/show expressions applied to every view. */
  setFilters(filters: Filters): void {
    this.filters = { ...filters };
    this.cache.clear();
    this.changed.fire();
  }

  /** swap exchanges base and new (comparisons only). */
  swap(): void {
    if (!this.base) return;
    [this.base, this.target] = [this.target, this.base];
    this.cache.clear();
    this.changed.fire();
  }

  dispose(): void {
    this.cache.clear();
    this.changed.dispose();
  }
}

/** SessionRegistry tracks open sessions and which one is active (the one the tree and annotations show). */
export class SessionRegistry implements vscode.Disposable {
  private readonly sessions = new Set<ProfileSession>();
  private activeSession: ProfileSession | undefined;
  private readonly activeChanged = new vscode.EventEmitter<ProfileSession | undefined>();
  /** onDidChangeActive fires when another session becomes active, or the active one changes. */
  readonly onDidChangeActive = this.activeChanged.event;
  private activeListener: vscode.Disposable | undefined;

  /** active is the session the tree, annotations and status bar show. */
  get active(): ProfileSession | undefined {
    return this.activeSession;
  }

  /** add registers a session and makes it active. */
  add(session: ProfileSession): ProfileSession {
    this.sessions.add(session);
    this.setActive(session);
    return session;
  }

  /** setActive makes a session active and forwards its changes as onDidChangeActive. */
  setActive(session: ProfileSession | undefined): void {
    this.activeListener?.dispose();
    this.activeSession = session;
    this.activeListener = session?.onDidChange(() => this.activeChanged.fire(session));
    this.activeChanged.fire(session);
  }

  /** close disposes a session; if it was active, the most recent other one becomes active. */
  close(session: ProfileSession): void {
    this.sessions.delete(session);
    session.dispose();
    if (this.activeSession === session) this.setActive([...this.sessions].pop());
  }

  /** all lists open sessions. */
  all(): ProfileSession[] {
    return [...this.sessions];
  }

  dispose(): void {
    this.activeListener?.dispose();
    for (const s of this.sessions) s.dispose();
    this.sessions.clear();
    this.activeChanged.dispose();
  }
}
