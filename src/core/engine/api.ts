/**
 * The engine as its hosts see it. One Engine lives as long as its host (the extension keeps one per
 * workspace folder; the CLI one per run); it owns one long-lived dispatcher, so a save analyzed while
 * a workspace run is queued goes ahead of it in the interactive lane.
 */
import type { Clock } from '../clock';
import type { ChorusConfig } from '../config/types';
import type { Logger } from '../logger';
import type { RunSnapshot } from '../metrics/types';
import type { ModelProvider } from '../providers/provider';
import type { OutcomeCode } from '../outcome';
import type { FileOutcome, Lane } from '../types';
import type { ChangeReviewRequest, ChangeReviewResult } from '../changes/review';
import type { EngineListener } from './events';
import type { EngineScorer } from './interimScorer';

export interface AnalyzeRequest {
  /** Absolute path of the workspace folder; outcome paths are relative to it. */
  root: string;
  /** Workspace-relative paths to analyze (a save, a burst); omitted = the whole folder. */
  paths?: string[];
  /** Newest contents by relative path (unsaved editors); read from disk otherwise. */
  contents?: ReadonlyMap<string, string>;
  lane: Lane;
  /** Bypass the cache for this run. */
  noCache?: boolean;
  /** Send everything to this model id (code action "re-analyze with another model"). */
  forceModel?: string;
  /** Limit to files changed since this git ref. */
  changedSince?: string;
  /**
   * A save (one path): when this engine analyzed the file before, review the edit instead — only
   * the changed functions are sent, the other findings follow their code (src/core/changes/incremental.ts).
   * A first save, or one that changed more than half the file, is analyzed whole.
   */
  incremental?: boolean;
  signal?: AbortSignal;
}

export interface ModelSummary {
  id: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  throttled: number;
  fallbacksIn: number;
  fallbacksOut: number;
  costUsd: number;
  /** Calls charged at their reservation (input estimate + output cap): the service's usage was missing or implausible. */
  usageEstimated: number;
}

export interface RoutingDecision {
  batchId: string;
  files: string[];
  /** The model the plan preferred (by complexity) and the one that finally ran it. */
  preferred: string;
  model?: string;
  /** Human-readable reasons in order: `score 0.81 ≥ minComplexity 0.7`, `spillover: …`, `fallback: …`. */
  reasons: string[];
}

export interface AnalyzeResult {
  runId: string;
  files: FileOutcome[];
  models: ModelSummary[];
  routing: RoutingDecision[];
  redactions: number;
  elapsedMs: number;
  cancelled: boolean;
}

export interface Estimate {
  files: number;
  bytes: number;
  /** Files already cached (zero tokens). */
  cachedFiles: number;
  inputTokens: number;
  costUsd: number;
  /** What the run would do with each file (the run's own plan step): the property test compares them. */
  plan: PlannedFile[];
}

/** One file in an estimate: served from the cache, sent, or not sent and why. */
export interface PlannedFile {
  path: string;
  status: 'cached' | 'planned' | 'skipped' | 'failed';
  code?: OutcomeCode;
  reason?: string;
  model?: string;
}

export interface ConnectionReport {
  model: string;
  ok: boolean;
  /** e.g. `reachable, authorized, 98,000 tokens/min free` or the error and how to fix it. */
  detail: string;
  /** Why it failed (or was throttled), as data: what a host switches on (src/core/outcome.ts). */
  code?: OutcomeCode;
  latencyMs?: number;
}

/**
 * One run, as `Engine.start` hands it back before any work is done: its id is known at once, its
 * events are its own (each carries `id`), and its result settles when every file has an outcome.
 * Subscribe right after `start`: the run does its first work on a later tick, so nothing is missed.
 */
export interface Run {
  readonly id: string;
  /** Subscribes to this run's events only (the engine's `onEvent` still sees every run's). */
  readonly events: { subscribe(listener: EngineListener): () => void };
  readonly result: Promise<AnalyzeResult>;
  /** Stops the run: what was not analyzed yet is skipped as cancelled; `result` still settles. */
  cancel(reason?: string): void;
}

export interface Engine {
  /** Starts a run and returns its handle at once. */
  start(request: AnalyzeRequest): Run;
  /** `start(request).result`, for callers that want only the end. */
  analyze(request: AnalyzeRequest): Promise<AnalyzeResult>;
  /** Reviews what changed (a diff): enclosing functions sent, cached per function (src/core/changes). */
  reviewChanges(request: ChangeReviewRequest): Promise<ChangeReviewResult>;
  estimate(request: AnalyzeRequest): Promise<Estimate>;
  testConnection(signal?: AbortSignal): Promise<ConnectionReport[]>;
  onEvent(listener: EngineListener): () => void;
  snapshot(): RunSnapshot;
  clearCache(): Promise<void>;
  dispose(): void;
}

export interface EngineOptions {
  config: ChorusConfig;
  clock?: Clock;
  logger?: Logger;
  /** Where the result cache lives (user cache dir for the CLI, workspace storage for the extension). */
  cacheDir?: string;
  /** Injected model providers by model id; defaults to the Bedrock Converse provider. */
  providerFor?: (modelId: string) => ModelProvider;
  /** Path of the baseline file whose fingerprints are suppressed. */
  baselinePath?: string;
  /**
   * Groups files and scores their complexity (src/core/score's createScorer fits); default: an interim
   * directory/size scorer. The engine disposes it.
   */
  scorer?: EngineScorer;
  /**
   * Cap on a batch's input tokens below each model's own budget: smaller batches, more calls in
   * parallel across the models (the demo and benchmarks use it). Default: the model's budget.
   */
  maxBatchInputTokens?: number;
  /**
   * Folder of the machine's shared quota ledger (src/core/ledger/fileLedger.ts): every engine, in
   * any process, that sends to the same destination and model counts the others' reservations.
   * Without it the engine counts its own calls only.
   */
  ledgerDir?: string;
  /**
   * The host has an interactive source (saves, Analyze Current File): background work leaves a small
   * share of each quota free so interactive work starts during a burst. The CLI has none.
   */
  interactive?: boolean;
  /**
   * `redis://` or `rediss://` URL of the account's shared quota ledger (src/core/ledger/redisLedger.ts):
   * every engine on any machine using it counts the others' reservations, atomically. A machine-level
   * choice (flag, environment, machine-scoped setting), never a repository's. While Redis is away the
   * engine counts through `ledgerDir`'s file ledger (or alone). Its password is never logged.
   */
  sharedQuotaUrl?: string;
}
