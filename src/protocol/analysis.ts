// Messages between the extension host (or any Node caller) and the analysis worker, which owns the
// decoded profiles. The host sends a file's bytes once and afterwards only names the profile by its
// handle; every answer is a small result (rows of one view, one file's lines, one graph). Types only.

import type { CallGraph } from '../core/callgraph';
import type { Diagnosis } from '../core/diagnose';
import type { FrameOriginOptions } from '../core/diagnose/userFrame';
import type { ProfileError } from '../core/errors';
import type { Filters } from '../core/filter';
import type { FlameTree } from '../core/flamegraph';
import type { GoroutineView } from '../core/goroutines/view';
import type { SourceLine } from '../core/hotLines';
import type { HotspotList, HotspotRow } from '../core/hotspots';
import type { Language } from '../core/language';
import type { LineValue } from '../core/lineValues';
import type { ValueType } from '../core/model';
import type { Granularity } from '../core/nodes';
import type { PeekTable } from '../core/peek';
import type { ProfileFacts } from '../core/profileSummary';
import type { LineDetail } from '../core/stackIndex';
import type { TopColumns } from '../core/topColumns';
import type { SeriesTrend } from '../core/seriesTrend';
import type { CallGraphRequest } from './messages';

/** NodeIdentity names a node the way the panel remembers it (its zoom path, its selection). */
export interface NodeIdentity {
  name: string;
  file: string;
  line: number;
}

/** ProfileHandle names a profile held by the worker (valid until released). */
export type ProfileHandle = number;

/** ProfileInfo is what the host keeps of a decoded profile: its header, never its samples. */
export interface ProfileInfo {
  sampleTypes: ValueType[];
  /** The sample type pprof shows by default (default_sample_type, else the last type). */
  pprofDefault: string;
  /** Σ|value| per sample type, in sampleTypes order (pprof's totals). */
  totals: number[];
  facts: ProfileFacts;
  /** Every distinct source file name the profile's functions name (normalized, non-empty). */
  files: string[];
}

/** ProfilePair is what a query reads: the new profile and, when comparing, the base. */
export interface ProfilePair {
  target: ProfileHandle;
  base?: ProfileHandle;
}

/** ViewSettings are the settings every view of a session shares. */
export interface ViewSettings {
  sampleType: string;
  granularity: Granularity;
  filters: Filters;
}

/** AnalysisQuery is every question the worker answers; `kind` picks the answer type in AnalysisAnswers. */
export type AnalysisQuery =
  /** top: every live node of the view as columns (the panel's Top table). */
  | { kind: 'top'; pair: ProfilePair; view: ViewSettings }
  /**
   * hotspots: the top functions by |flat| (the Heap Hotspots tree), with the view's totals. Until
   * the view's functions aggregate exists, the rows come from flat alone, without cum (see firstHotspots).
   */
  | { kind: 'hotspots'; pair: ProfilePair; view: ViewSettings; limit: number }
  /** hotspotChildren: one function's lines and the call sites that reached it. */
  | { kind: 'hotspotChildren'; pair: ProfilePair; view: ViewSettings; name: string }
  /** hotspotNumbers: functions' flat and cum by name (what the tree's first rows leave out). */
  | { kind: 'hotspotNumbers'; pair: ProfilePair; view: ViewSettings; names: string[] }
  /** fileLines: per profile file name, its lines with a value (line granularity, the view's sample type). */
  | { kind: 'fileLines'; pair: ProfilePair; view: ViewSettings; files: string[] }
  /** lineDetail: one line's totals for several sample types and the heaviest call paths through it. */
  | { kind: 'lineDetail'; pair: ProfilePair; view: ViewSettings; file: string; line: number; sampleTypes: string[]; paths: number }
  /** callGraph: pprof's trimmed graph of the view. */
  | { kind: 'callGraph'; pair: ProfilePair; view: ViewSettings; request: CallGraphRequest }
  /**
   * flameTree: the merged call tree of the view, with node ranks matching `top`; only the `zoom`
   * path (identities from the root's child down) and the zoomed frame's subtree, without callees
   * narrower than `minFraction` of the zoomed frame (what the panel cannot draw).
   */
  | { kind: 'flameTree'; pair: ProfilePair; view: ViewSettings; minFraction?: number; zoom?: NodeIdentity[] }
  /** peek: one node's callers and callees (node ids of `top` with the same view). */
  | { kind: 'peek'; pair: ProfilePair; view: ViewSettings; node: number }
  /** hottestLine: the line of a function (or file) that changed most, to open a row without a line. */
  | { kind: 'hottestLine'; pair: ProfilePair; view: ViewSettings; name: string; file: string }
  /**
   * diagnosis: the growth diagnosis of a comparison, ranked by a sample type; with `sources`,
   * explained with the user's lines; with `goroutines` (goroutine profiles taken alongside: the new
   * one, or base and new), findings held by goroutines say where those goroutines wait (blockedAt).
   */
  | { kind: 'diagnosis'; pair: Required<ProfilePair>; sampleType: string; origin: FrameOriginOptions; sources?: SourceTexts; goroutines?: ProfileHandle[] }
  /** goroutines: a goroutine profile's (or comparison's) sites where goroutines wait, and the lines to paint. */
  | { kind: 'goroutines'; pair: ProfilePair; origin: FrameOriginOptions }
  /**
   * trend: leak suspects across three or more heap profiles and/or three or more goroutine profiles;
   * `memStats` is a heap profile's runtime.MemStats when they came from its bundle's memstats file.
   */
  | { kind: 'trend'; profiles: Array<{ handle: ProfileHandle; name: string; fallbackTimeMs?: number; memStats?: Array<[string, string]> }>; origin: FrameOriginOptions };

/** SourceTexts are the lines of the user's source files the diagnosis asked for, by the file name the profile uses. */
export type SourceTexts = Record<string, string[]>;

/** DiagnosisAnswer is the diagnosis and the files whose lines would make its explanation better. */
export interface DiagnosisAnswer {
  diagnosis: Diagnosis;
  sourceFiles: string[];
}

/** FileLinesAnswer is fileLines' answer: the values per requested file, and what a line's size is measured against. */
export interface FileLinesAnswer {
  sampleType: ValueType;
  isDiff: boolean;
  /** pprof's total (the base's when comparing). */
  total: number;
  /** Σ|Δ flat| over every line (all change) when comparing, else the total. */
  denominator: number;
  files: Record<string, LineValue[]>;
}

/** HotspotsAnswer is the tree's top level and the totals its message shows. */
export interface HotspotsAnswer extends HotspotList {
  sampleType: ValueType;
  isDiff: boolean;
  total: number;
  newTotal: number;
  baseTotal: number;
}

/** AnalysisAnswers maps each query kind to its answer. */
export interface AnalysisAnswers {
  top: TopColumns;
  hotspots: HotspotsAnswer;
  hotspotChildren: HotspotRow[];
  hotspotNumbers: Record<string, Pick<HotspotRow, 'flat' | 'cum' | 'baseFlat' | 'baseCum'>>;
  fileLines: FileLinesAnswer;
  lineDetail: LineDetail;
  callGraph: CallGraph;
  flameTree: FlameTree;
  peek: PeekTable | undefined;
  hottestLine: SourceLine | undefined;
  diagnosis: DiagnosisAnswer;
  goroutines: GoroutineView;
  trend: SeriesTrend;
}

/** QueryKind is the name of one kind of query. */
export type QueryKind = AnalysisQuery['kind'];

/** Failure describes an error across the thread boundary (rebuilt as ProfileError, RangeError or Error). */
export interface Failure {
  kind: 'profile' | 'range' | 'other';
  code?: ProfileError['code'];
  message: string;
}

/**
 * ProfileSource is what a load decodes: a local file the decoder reads itself (streamed, never whole
 * in memory), or bytes the host read (files of other file systems: remote, virtual).
 */
export type ProfileSource = { path: string } | { bytes: Uint8Array };

/** ToAnalysis is every message sent to the analysis worker. */
export type ToAnalysis =
  /**
   * load decodes a profile and keeps it under a new handle. Loads with the same `shareKey` (the
   * same file, unchanged) share one decode and one profile in memory.
   */
  | { type: 'load'; id: number; name: string; source: ProfileSource; maxBytes: number; shareKey?: string }
  /** query asks one question; answered by `answer` or `failed` with the same id. */
  | { type: 'query'; id: number; query: AnalysisQuery }
  /** cancel drops a load or a query that is queued (or discards its answer if it already runs). */
  | { type: 'cancel'; id: number }
  /** release forgets profiles and every cached result that used them. */
  | { type: 'release'; handles: ProfileHandle[] };

/** FromAnalysis is every message the analysis worker sends back. */
export type FromAnalysis =
  /** loaded answers load: the new handle and the profile's header. */
  | { type: 'loaded'; id: number; handle: ProfileHandle; info: ProfileInfo }
  /** answer answers query. */
  | { type: 'answer'; id: number; answer: unknown }
  /** failed answers load or query with why it failed. */
  | { type: 'failed'; id: number; failure: Failure }
  /** cancelled confirms a cancel (the id gets no other answer). */
  | { type: 'cancelled'; id: number };

/**
 * AnalysisProcessStart is the first message to the analysis process (analysisProcess.ts), which
 * starts the analysis worker inside it with these settings and then relays ToAnalysis and FromAnalysis.
 */
export interface AnalysisProcessStart {
  type: 'start';
  /** dist/analysisWorker.js and dist/decodeWorker.js. */
  workerScript: string;
  decodeScript: string;
  /** The display language and its l10n bundle, for the sentences the worker writes. */
  language: Language;
  l10n?: Record<string, string>;
}

/** AnalysisProcessCrash is what the analysis process says before it exits because its worker died. */
export interface AnalysisProcessCrash {
  type: 'crashed';
  /** The worker's error code (ERR_WORKER_OUT_OF_MEMORY: the profiles were too large). */
  code?: string;
  message: string;
}
