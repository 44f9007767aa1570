/**
 * Snapshots of a run's per-model throughput: what the status bar, the dashboard webview, the CLI
 * progress line and `--report` render. Plain JSON (it crosses the webview boundary).
 */

export interface ModelSnapshot {
  id: string;
  label: string;
  /** Configured tokens per minute (the ceiling). */
  quotaTpm: number;
  /** Learned effective quota (≤ quotaTpm); differs after throttles. */
  effectiveTpm: number;
  /** Requests per minute the scheduler admits under: configured, read from the account or learned from "Too many requests" throttles; absent while none is known. */
  effectiveRpm?: number;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  throttles: number;
  errors: number;
  retries: number;
  fallbacksIn: number;
  fallbacksOut: number;
  spilloversIn: number;
  spilloversOut: number;
  /** Calls charged at their reservation because the service's usage was missing or implausible. */
  usageEstimated?: number;
  /** The service's input tokens per token of our estimate, learned from answers (schedule/calibration.ts); 1 before any. */
  tokenRatio?: number;
  inFlight: number;
  queued: { interactive: number; background: number };
  latencyP50Ms: number;
  latencyP95Ms: number;
  costUsd: number;
  /** Tokens charged per minute, over the last minute (sliding). */
  tokensPerMinute: number;
  requestsPerMinute: number;
  /** Sliding tokens per minute sampled every 10 s over the last 10 minutes, oldest first. */
  tpmSeries?: { at: number; tpm: number }[];
  /** Whether this model left the run (access denied, …) and why. */
  disabledReason?: string;
  /**
   * Only when the quota is shared through a ledger (src/core/ledger/): tokens held in the quota's
   * sliding minute by every holder of the account's quota, and by this instance alone.
   */
  shared?: SharedQuotaUsage;
}

export interface SharedQuotaUsage {
  /** Every holder's reservations and charges in the window (QuotaWindow.usage). */
  accountTpm: number;
  /** This instance's alone (QuotaWindow.ownUsage). */
  ownTpm: number;
}

export type BatchOutcomeKind = 'ok' | 'failed' | 'throttled' | 'retried' | 'cancelled';

export interface BatchRecord {
  batchId: string;
  model: string;
  files: number;
  inputTokens: number;
  outputTokens: number;
  outcome: BatchOutcomeKind;
  /** Why it went to that model: `complexity 0.82 ≥ 0.7`, `spillover from …`, `fallback after ThrottlingException`. */
  reason: string;
  at: number;
}

export interface RunSnapshot {
  /** Emulated ms (the run's clock). */
  at: number;
  filesTotal: number;
  filesDone: number;
  models: ModelSnapshot[];
  /** Achieved tokens/min ÷ sum of quotas, over the last minute. */
  utilization: number;
  etaMs?: number;
  recentBatches: BatchRecord[];
}
