/** The shapes of a change review (review.ts): its request, its result, what it needs of the engine. */
import type { ResultCache } from '../cache';
import type { Clock } from '../clock';
import type { ChorusConfig } from '../config/types';
import type { AnalyzeResult } from '../engine/api';
import type { EngineEvent } from '../engine/events';
import type { EngineScorer } from '../engine/interimScorer';
import type { Logger } from '../logger';
import type { OutcomeCode } from '../outcome';
import type { Dispatcher } from '../schedule';
import type { Finding, Lane } from '../types';
import type { DiffFile } from './diff';
import type { ChangedFile } from './excerpts';
import type { RegionOptions } from './regions';
import type { ChangeScope } from './scope';

export interface ChangeReviewRequest {
  /** Absolute path of the folder; the diff's paths are relative to it. */
  root: string;
  /** What changed (parseUnifiedDiff, gitChanges). */
  changes: readonly DiffFile[];
  lane: Lane;
  /** Newest contents by relative path (unsaved editors, or a commit's files); read from disk otherwise. */
  contents?: ReadonlyMap<string, string>;
  /** `changed` (default): findings on changed lines only; `all`: everything said about the sent context. */
  scope?: ChangeScope;
  noCache?: boolean;
  forceModel?: string;
  regions?: Partial<RegionOptions>;
  /**
   * Findings already known for a file, on its current lines (a save's previous version, moved by
   * incremental.ts): kept where no excerpt of this review covers them, replaced where one does.
   */
  carried?: ReadonlyMap<string, readonly Finding[]>;
  signal?: AbortSignal;
}

/** What the review sent and reused, in functions (regions) and lines. */
export interface ChangeStats {
  files: number;
  regions: number;
  /** Regions sent to a model this run. */
  regionsSent: number;
  /** Regions served from the function-level cache. */
  regionsCached: number;
  changedLines: number;
  /** Lines of code sent in excerpts (outlines not counted). */
  linesSent: number;
}

export interface ChangeReviewResult extends AnalyzeResult {
  changes: ChangeStats;
}

/** What a review needs of the engine: the same parts a run uses (engine/run.ts RunDeps). */
export interface ChangeReviewDeps {
  config: ChorusConfig;
  clock: Clock;
  logger: Logger;
  cache: ResultCache | undefined;
  dispatcher: Dispatcher;
  /** Who submits the review's batches (the engine's, to attribute batch events to this run); default the dispatcher. */
  submitter?: Pick<Dispatcher, 'submit'>;
  scorer: EngineScorer;
  baseline: () => Promise<Set<string> | undefined>;
  emit: (event: EngineEvent) => void;
  maxBatchInputTokens?: number;
}

/** One reviewed file while its excerpts are out. */
export interface FileState {
  file: ChangedFile;
  pending: number;
  findings: Finding[];
  models: Set<string>;
  partial: string[];
  cachedRegions: number;
  failure?: { status: 'failed' | 'skipped'; reason: string; code?: OutcomeCode };
}

