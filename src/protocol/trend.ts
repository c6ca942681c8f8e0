// Messages between the extension host and the trend view (webview/trend). Types only: both sides
// import it. The host sends pre-formatted labels with the raw series, so the view only draws.

/** TrendFrame is a source location as the view shows and opens it. */
export interface TrendFrame {
  function: string;
  file: string;
  line: number;
}

/** TrendRow is one site: its series for the sparkline and its labels. */
export interface TrendRow {
  userFrame: TrendFrame;
  /** The allocation site when it differs from the user frame (e.g. bytes.growSlice). */
  site?: TrendFrame;
  series: number[];
  /** "+1.25MB/min". */
  slope: string;
  /** "rose 9/9". */
  steadiness: string;
  /** "1.50MB → 23.25MB". */
  range: string;
  suspect: boolean;
}

/** TrendPart is the trend of one kind of profile: heap sites by bytes, or goroutine sites by count. */
export interface TrendPart {
  kind: 'heap' | 'goroutines';
  title: string;
  /** One line on how the series was ordered and how many steps carried information. */
  subtitle: string;
  /** Why there are no suspects, when there are none. */
  note?: string;
  suspects: TrendRow[];
  /** Sites that rose without being steady enough to call a leak. */
  risers: TrendRow[];
  /** The profiles, in time order: "heap-20250101-120000.pb.gz · +30s". */
  snapshots: string[];
  /** The part's headings, already translated. */
  headings: TrendHeadings;
}

/** TrendHeadings are the headings of one part. */
export interface TrendHeadings {
  suspects: string;
  otherRisers: string;
  /** The risers' heading when there are no suspects. */
  risers: string;
  noGrowth: string;
  /** The profile list's summary: "Profiles (5), oldest first". */
  profiles: string;
}

/** MemoryTrendRow is one runtime.MemStats figure across the heap snapshots. */
export interface MemoryTrendRow {
  /** "Sys", "stacks", "live heap". */
  label: string;
  series: number[];
  /** "+31.53MB/min". */
  slope: string;
  /** "224kB → 94.81MB". */
  range: string;
}

/** MemoryTrendView is the process memory across the series (from the heap snapshots' MemStats). */
export interface MemoryTrendView {
  /** "Process memory (runtime.MemStats)". */
  title: string;
  rows: MemoryTrendRow[];
}

/** TrendViewModel is everything the trend view shows: one part per kind of profile, then the process memory. */
export interface TrendViewModel {
  /** The page title; with one part, that part's title. */
  title: string;
  parts: TrendPart[];
  memory?: MemoryTrendView;
  /** The view's fixed texts in the display language (the host translates; the view only draws). */
  labels: TrendLabels;
}

/** TrendLabels are the trend view's column names and hints, already translated. */
export interface TrendLabels {
  /** The page's language tag (VS Code's display language). */
  language: string;
  /** Column headers: rank, where, trend, slope. */
  columns: [string, string, string, string];
  /** Column headers of the process memory table: what, trend, slope. */
  memoryColumns: [string, string, string];
  /** Before the allocation site's link: "allocates in". */
  allocatesIn: string;
  /** The sparkline's accessible name. */
  series: string;
}

/** TrendToWebview is a message from the host to the trend view. */
export type TrendToWebview =
  /** show replaces the whole view. */
  | { type: 'show'; model: TrendViewModel };

/** TrendFromWebview is a message from the trend view to the host. */
export type TrendFromWebview =
  /** ready: the view's script runs and wants its model (sent again after the panel is restored). */
  | { type: 'ready' }
  /** openSource: the user clicked a frame. */
  | { type: 'openSource'; file: string; line: number };
