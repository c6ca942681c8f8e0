import * as vscode from 'vscode';
import type { FrameOriginOptions } from '../../core/diagnose/userFrame';
import type { Filters } from '../../core/filter';
import type { Granularity } from '../../core/nodes';
import { combineSummary, type ProfileSummary } from '../../core/profileSummary';
import type { AnalysisClient } from '../../node/analysisClient';
import { QueryCancelledError } from '../../node/analysisClient';
import type {
  AnalysisAnswers, AnalysisQuery, NodeIdentity, ProfileHandle, ProfileInfo, ProfilePair, QueryKind, SourceTexts, ViewSettings,
} from '../../protocol/analysis';
import type { CallGraphRequest } from '../../protocol/messages';

// A session is one opened profile or one comparison, and the view settings every surface shares:
// the hotspot tree, the source annotations, the status bar and the panel all read the same session
// and redraw on its onDidChange. The profiles themselves live in the analysis worker; the session
// holds their handles and headers, and every number comes from a query that returns a promise.
// A settings change cancels the queries still in flight (their answers would be stale).

/** LoadedProfile is a profile held by the analysis worker, and where it came from. */
export interface LoadedProfile {
  uri: vscode.Uri;
  /** File name shown to the user (basename). */
  name: string;
  handle: ProfileHandle;
  info: ProfileInfo;
}

/** isCancelled tells a query that was superseded (or cancelled) from a real failure. */
export function isCancelled(e: unknown): boolean {
  return e instanceof QueryCancelledError || e instanceof vscode.CancellationError;
}

/** ProfileSession holds the profiles and the shared view settings of one comparison (or one profile). */
export class ProfileSession implements vscode.Disposable {
  private static nextId = 1;
  /** Unique id, used by the panel's serializer and commands. */
  readonly id = `session-${ProfileSession.nextId++}`;
  private readonly changed = new vscode.EventEmitter<void>();
  /** onDidChange fires after any setting or the base/new order changes. */
  readonly onDidChange = this.changed.event;
  private readonly busyChanged = new vscode.EventEmitter<boolean>();
  /** onDidChangeBusy fires when the session starts or stops waiting for the worker (progress indicators). */
  readonly onDidChangeBusy = this.busyChanged.event;
  private baseProfile: LoadedProfile | undefined;
  private targetProfile: LoadedProfile;
  /** Goroutine profiles taken alongside a heap comparison: [new] or [base, new]. */
  private goroutineProfiles: LoadedProfile[] = [];
  private settings: ViewSettings;
  private stale = new AbortController();
  private inFlight = 0;
  private disposed = false;

  /** Sessions are made by SessionRegistry.open, which owns the worker connection. */
  constructor(private readonly engine: AnalysisClient, target: LoadedProfile, base?: LoadedProfile, view: Partial<ViewSettings> = {}) {
    this.targetProfile = target;
    this.baseProfile = base;
    const types = this.sampleTypes;
    const sampleType = view.sampleType && types.includes(view.sampleType) ? view.sampleType : types.includes(target.info.pprofDefault) ? target.info.pprofDefault : types[0] ?? '';
    this.settings = { sampleType, granularity: view.granularity ?? 'functions', filters: { ...view.filters } };
  }

  /** base is the base profile of a comparison. */
  get base(): LoadedProfile | undefined {
    return this.baseProfile;
  }

  /** target is the new profile (or the only one). */
  get target(): LoadedProfile {
    return this.targetProfile;
  }

  /** view is a copy of the current settings. */
  get view(): ViewSettings {
    return { ...this.settings, filters: { ...this.settings.filters } };
  }

  /** sampleType is the value shown everywhere. */
  get sampleType(): string {
    return this.settings.sampleType;
  }

  /** granularity is the default granularity of tables. */
  get granularity(): Granularity {
    return this.settings.granularity;
  }

  /** filters are pprof's focus/ignore/hide/show, applied to every view. */
  get filters(): Filters {
    return { ...this.settings.filters };
  }

  /** isComparison tells whether this session compares two profiles. */
  get isComparison(): boolean {
    return this.baseProfile !== undefined;
  }

  /** busy tells whether a query is in flight. */
  get busy(): boolean {
    return this.inFlight > 0;
  }

  /** title names the session for tabs and the status bar: "bad_heap.prof vs good_heap.prof". */
  get title(): string {
    return this.baseProfile ? `${this.targetProfile.name} vs ${this.baseProfile.name}` : this.targetProfile.name;
  }

  /** sampleTypes lists the value types the user can switch between (present in both profiles). */
  get sampleTypes(): string[] {
    const names = this.targetProfile.info.sampleTypes.map((t) => t.type);
    if (!this.baseProfile) return names;
    const baseNames = new Set(this.baseProfile.info.sampleTypes.map((t) => t.type));
    return names.filter((n) => baseNames.has(n));
  }

  /** unitOf is a sample type's unit ('bytes', 'count'). */
  unitOf(type: string): string {
    return this.targetProfile.info.sampleTypes.find((t) => t.type === type)?.unit ?? '';
  }

  /** summary is every sample type's totals and both profiles' headers (kept from loading: no query). */
  summary(): ProfileSummary {
    return combineSummary(this.targetProfile.info, this.baseProfile?.info);
  }

  /** setSampleType switches the value shown everywhere. */
  setSampleType(sampleType: string): void {
    if (sampleType === this.settings.sampleType || !this.sampleTypes.includes(sampleType)) return;
    this.update(() => { this.settings.sampleType = sampleType; });
  }

  /** setGranularity switches the default granularity of tables. */
  setGranularity(granularity: Granularity): void {
    if (granularity === this.settings.granularity) return;
    this.update(() => { this.settings.granularity = granularity; });
  }

  /** setFilters replaces the focus/ignore/hide/show expressions applied to every view. */
  setFilters(filters: Filters): void {
    this.update(() => { this.settings.filters = { ...filters }; });
  }

  /** restore applies saved settings at once (a restored panel); unknown values are ignored. */
  restore(view: Partial<ViewSettings>): void {
    this.update(() => {
      if (view.sampleType && this.sampleTypes.includes(view.sampleType)) this.settings.sampleType = view.sampleType;
      if (view.granularity) this.settings.granularity = view.granularity;
      if (view.filters) this.settings.filters = { ...view.filters };
    });
  }

  /** swap exchanges base and new (comparisons only), and the goroutine profiles taken alongside when there are two. */
  swap(): void {
    if (!this.baseProfile) return;
    this.update(() => {
      [this.baseProfile, this.targetProfile] = [this.targetProfile, this.baseProfile!];
      if (this.goroutineProfiles.length === 2) this.goroutineProfiles.reverse();
    });
  }

  /** alongside are the goroutine profiles taken alongside this heap comparison ([new] or [base, new]; empty when none). */
  get alongside(): readonly LoadedProfile[] {
    return this.goroutineProfiles;
  }

  /**
   * setAlongside gives a heap comparison the goroutine profiles taken alongside ([new] or [base,
   * new]); the session owns them from now on (the ones they replace are released).
   */
  setAlongside(profiles: readonly LoadedProfile[]): void {
    const old = this.goroutineProfiles;
    if (this.disposed) {
      this.engine.release(profiles.map((p) => p.handle));
      return;
    }
    // Only the diagnosis depends on them: queries in flight (top, graphs) stay valid, so nothing is cancelled.
    this.goroutineProfiles = [...profiles];
    this.changed.fire();
    if (old.length > 0) this.engine.release(old.map((p) => p.handle));
  }

  private update(change: () => void): void {
    change();
    this.stale.abort();
    this.stale = new AbortController();
    this.changed.fire();
  }

  /** pair names the profiles for a query. */
  private get pair(): ProfilePair {
    return { target: this.targetProfile.handle, base: this.baseProfile?.handle };
  }

  /** top is every live node of the current view as columns (the panel's Top table). */
  top(signal?: AbortSignal): Promise<AnalysisAnswers['top']> {
    return this.ask({ kind: 'top', pair: this.pair, view: this.view }, signal);
  }

  /** hotspots are the top functions by |flat| and the view's totals. */
  hotspots(limit: number, signal?: AbortSignal): Promise<AnalysisAnswers['hotspots']> {
    return this.ask({ kind: 'hotspots', pair: this.pair, view: this.view, limit }, signal);
  }

  /** hotspotNumbers are functions' flat and cum by name (the tree's first rows come without cum). */
  hotspotNumbers(names: string[], signal?: AbortSignal): Promise<AnalysisAnswers['hotspotNumbers']> {
    return this.ask({ kind: 'hotspotNumbers', pair: this.pair, view: this.view, names }, signal);
  }

  /** hotspotChildren are a function's lines and the call sites that reached it. */
  hotspotChildren(name: string, signal?: AbortSignal): Promise<AnalysisAnswers['hotspotChildren']> {
    return this.ask({ kind: 'hotspotChildren', pair: this.pair, view: this.view, name }, signal);
  }

  /** fileLines are the annotated lines of some profile files, for the current sample type and filters. */
  fileLines(files: string[], signal?: AbortSignal): Promise<AnalysisAnswers['fileLines']> {
    return this.ask({ kind: 'fileLines', pair: this.pair, view: this.view, files }, signal);
  }

  /** lineDetail is what a hover shows: one line in every sample type and the heaviest paths through it. */
  lineDetail(file: string, line: number, sampleTypes: string[], paths: number, signal?: AbortSignal): Promise<AnalysisAnswers['lineDetail']> {
    return this.ask({ kind: 'lineDetail', pair: this.pair, view: this.view, file, line, sampleTypes, paths }, signal);
  }

  /** callGraph is pprof's trimmed graph of the current view. */
  callGraph(request: CallGraphRequest, signal?: AbortSignal): Promise<AnalysisAnswers['callGraph']> {
    return this.ask({ kind: 'callGraph', pair: this.pair, view: this.view, request }, signal);
  }

  /** flameTree is the merged call tree of the current view, along a zoom path and trimmed to what can be drawn. */
  flameTree(trim: { zoom: NodeIdentity[]; minFraction: number }, signal?: AbortSignal): Promise<AnalysisAnswers['flameTree']> {
    return this.ask({ kind: 'flameTree', pair: this.pair, view: this.view, zoom: trim.zoom, minFraction: trim.minFraction }, signal);
  }

  /** peek is one node's callers and callees (undefined for an unknown node). */
  peek(node: number, signal?: AbortSignal): Promise<AnalysisAnswers['peek']> {
    return this.ask({ kind: 'peek', pair: this.pair, view: this.view, node }, signal);
  }

  /** hottestLine is the line to open for a row without one. */
  hottestLine(name: string, file: string, signal?: AbortSignal): Promise<AnalysisAnswers['hottestLine']> {
    return this.ask({ kind: 'hottestLine', pair: this.pair, view: this.view, name, file }, signal);
  }

  /** diagnosis is the growth diagnosis (comparisons only), ranked by the current sample type. */
  diagnosis(origin: FrameOriginOptions, sources?: SourceTexts, signal?: AbortSignal): Promise<AnalysisAnswers['diagnosis']> {
    const base = this.baseProfile;
    if (!base) return Promise.reject(new Error('growth diagnosis needs a comparison of two profiles'));
    const goroutines = this.goroutineProfiles.length > 0 ? this.goroutineProfiles.map((p) => p.handle) : undefined;
    return this.ask({ kind: 'diagnosis', pair: { target: this.targetProfile.handle, base: base.handle }, sampleType: this.settings.sampleType, origin, sources, goroutines }, signal);
  }

  /** goroutines are the sites where a goroutine profile's goroutines wait (grown since the base when comparing) and the lines to paint. */
  goroutines(origin: FrameOriginOptions, signal?: AbortSignal): Promise<AnalysisAnswers['goroutines']> {
    return this.ask({ kind: 'goroutines', pair: this.pair, origin }, signal);
  }

  /** ask sends a query; it is cancelled by `signal` or by the next settings change. */
  private async ask<K extends QueryKind>(query: Extract<AnalysisQuery, { kind: K }>, signal?: AbortSignal): Promise<AnalysisAnswers[K]> {
    if (this.disposed) throw new QueryCancelledError();
    const combined = signal ? AbortSignal.any([signal, this.stale.signal]) : this.stale.signal;
    if (this.inFlight++ === 0) this.busyChanged.fire(true);
    try {
      return await this.engine.query(query, combined);
    } finally {
      if (--this.inFlight === 0 && !this.disposed) this.busyChanged.fire(false);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stale.abort();
    this.engine.release([this.targetProfile.handle, ...(this.baseProfile ? [this.baseProfile.handle] : []), ...this.goroutineProfiles.map((p) => p.handle)]);
    this.changed.dispose();
    this.busyChanged.dispose();
  }
}

/** SessionTicket is a place in the order in which the user asked for sessions (SessionRegistry.ticket). */
export type SessionTicket = number & { readonly __ticket: unique symbol };

/**
 * SessionRegistry makes the sessions (the one factory), tracks them and which one is active.
 * Loads finish in any order (a 50 MB single profile after a 1 MB comparison started later), so the
 * active session follows the order of the requests, not of their completion: each request takes a
 * ticket when the user makes it, and a session opened with a ticket older than the active one's
 * joins the list without displacing it. One opened while a newer request is still loading waits
 * too: clicking a profile in the Explorer opens its preview, and a Compare chosen right after
 * would otherwise show the preview's single profile in the tree (and compute its rows while the
 * comparison's second file decodes) until the comparison opens. A request that ends without a
 * session (failed, cancelled) settles its ticket, and the newest session it held back becomes active.
 */
export class SessionRegistry implements vscode.Disposable {
  private readonly sessions = new Set<ProfileSession>();
  private activeSession: ProfileSession | undefined;
  private lastTicket = 0;
  private activeTicket = 0;
  /** Tickets of requests still loading (taken, neither opened nor settled). */
  private readonly pending = new Set<number>();
  /** Sessions opened while a newer request was loading, by ticket. */
  private readonly heldBack = new Map<number, ProfileSession>();
  private readonly activeChanged = new vscode.EventEmitter<ProfileSession | undefined>();
  /** onDidChangeActive fires when another session becomes active, or the active one changes. */
  readonly onDidChangeActive = this.activeChanged.event;
  private readonly activeBusy = new vscode.EventEmitter<boolean>();
  /** onDidChangeActiveBusy fires when the active session starts or stops waiting for results. */
  readonly onDidChangeActiveBusy = this.activeBusy.event;
  private readonly opened = new vscode.EventEmitter<ProfileSession>();
  /** onDidOpen fires for every new session (e.g. to pair a captured heap comparison with its goroutine dumps). */
  readonly onDidOpen = this.opened.event;
  private activeListeners: vscode.Disposable[] = [];

  constructor(private readonly engine: AnalysisClient) {}

  /** active is the session the tree, annotations and status bar show. */
  get active(): ProfileSession | undefined {
    return this.activeSession;
  }

  /**
   * ticket reserves the next place in the request order; take it when the user asks, before
   * loading, and end the request with open or settle.
   */
  ticket(): SessionTicket {
    const ticket = ++this.lastTicket as SessionTicket;
    this.pending.add(ticket);
    return ticket;
  }

  /**
   * open makes a session of loaded profiles (it owns them from now on). It becomes active unless a
   * request made after `ticket` (default: now) already made its session active or is still loading.
   */
  open(target: LoadedProfile, base?: LoadedProfile, view?: Partial<ViewSettings>, ticket: SessionTicket = this.ticket()): ProfileSession {
    const session = new ProfileSession(this.engine, target, base, view);
    this.sessions.add(session);
    this.pending.delete(ticket);
    if (ticket > this.activeTicket) {
      if (this.newerPending(ticket)) this.heldBack.set(ticket, session);
      else this.activate(session, ticket);
    }
    this.opened.fire(session);
    return session;
  }

  /** settle ends a request that opened no session (it failed or was cancelled); nothing after open. */
  settle(ticket: SessionTicket): void {
    if (!this.pending.delete(ticket)) return;
    // The newest session held back that nothing newer still holds back becomes active.
    const candidates = [...this.heldBack.keys()].filter((t) => t > this.activeTicket).sort((a, b) => b - a);
    const next = candidates.find((t) => !this.newerPending(t));
    if (next !== undefined) this.activate(this.heldBack.get(next), next as SessionTicket);
  }

  /** setActive makes a session active now (the user switched to it) and forwards its changes as onDidChangeActive. */
  setActive(session: ProfileSession | undefined): void {
    this.activate(session, ++this.lastTicket as SessionTicket);
  }

  private newerPending(ticket: number): boolean {
    for (const t of this.pending) if (t > ticket) return true;
    return false;
  }

  private activate(session: ProfileSession | undefined, ticket: SessionTicket): void {
    this.activeTicket = ticket;
    for (const t of [...this.heldBack.keys()]) if (t <= ticket) this.heldBack.delete(t);
    for (const d of this.activeListeners) d.dispose();
    this.activeSession = session;
    this.activeListeners = session ? [
      session.onDidChange(() => this.activeChanged.fire(session)),
      session.onDidChangeBusy((busy) => this.activeBusy.fire(busy)),
    ] : [];
    this.activeChanged.fire(session);
  }

  /** close disposes a session; if it was active, the most recent other one becomes active. */
  close(session: ProfileSession): void {
    this.sessions.delete(session);
    for (const [t, s] of this.heldBack) if (s === session) this.heldBack.delete(t);
    session.dispose();
    if (this.activeSession === session) this.setActive([...this.sessions].pop());
  }

  /** all lists open sessions. */
  all(): ProfileSession[] {
    return [...this.sessions];
  }

  dispose(): void {
    for (const d of this.activeListeners) d.dispose();
    for (const s of this.sessions) s.dispose();
    this.sessions.clear();
    this.activeChanged.dispose();
    this.activeBusy.dispose();
    this.opened.dispose();
  }
}
