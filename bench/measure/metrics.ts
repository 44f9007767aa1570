/**
 * What one run achieved, read from the emulator's request log (what the service charged), never
 * from the strategy's own bookkeeping. Definitions (docs/benchmark.md):
 * - makespan: from the first request's arrival at the service to the end of its last response, emulated;
 * - achieved tokens/min: tokens charged (input + output of admitted requests) ÷ makespan;
 * - utilization: achieved ÷ the sum of the true quotas of the workload's models (the physical limit);
 * - steady utilization: the same over the steady part, the makespan without its first and last
 *   emulated minute, counting each request's tokens at its arrival (Bedrock charges a request in the
 *   window where it starts, so no 60 s window can exceed the quota on this count);
 * - throttled: requests answered 429, and their share of all requests;
 * - analyzed: the share of the burst's files whose batch got findings (a strategy that loses batches
 *   finishes sooner, having done less: read makespan and tokens/min together with this).
 */
import type { EmulatorRequestRecord } from '../../src/emulator';
import type { WorkOutcome } from '../strategies/types';
import { round } from './stats';

const MINUTE = 60_000;

export interface ModelUse {
  requests: number;
  throttled: number;
  tokens: number;
}

export interface RunMetrics {
  makespanMs: number;
  tokensCharged: number;
  achievedTpm: number;
  utilization: number;
  /**
   * null when the steady part is shorter than a minute (makespan < 3 emulated minutes): over less than
   * a window, start-time accounting can legitimately exceed the quota, so the figure would mislead.
   */
  steadyUtilization: number | null;
  steadyWindowMs: number;
  requests: number;
  throttled: number;
  throttledShare: number;
  /** Requests answered 503 "Too many connections" (the emulator's maxConcurrency), in all and after the first 30 s. */
  connectionRefusals: number;
  connectionRefusalsAfter30s: number;
  /** Requests that arrived after the first 30 s (the denominator of the connections target). */
  requestsAfter30s: number;
  /** Throttles and requests that arrived after the first minute (an unconfigured limit is learned in the first). */
  throttledAfter60s?: number;
  requestsAfter60s?: number;
  batches: number;
  lostBatches: number;
  /** Files (or chunks) in the burst's batches, ok and lost: every file of the codebase is in one. */
  files: number;
  /** Share of the burst's files (chunks counted as files) in batches that got findings. */
  analyzedShare: number;
  perModel: Record<string, ModelUse>;
}

export function measureRun(records: readonly EmulatorRequestRecord[], burst: readonly WorkOutcome[], window: { start: number; end: number }, quotaSum: number): RunMetrics {
  const makespanMs = Math.max(1, window.end - window.start);
  const tokensCharged = records.reduce((s, r) => s + r.chargedTokens, 0);
  const achievedTpm = tokensCharged / (makespanMs / MINUTE);
  const steadyFrom = window.start + MINUTE;
  const steadyTo = window.end - MINUTE;
  const steadyWindowMs = Math.max(0, steadyTo - steadyFrom);
  const steadyTokens = records.filter((r) => r.time >= steadyFrom && r.time < steadyTo).reduce((s, r) => s + r.chargedTokens, 0);
  const throttled = records.filter((r) => r.outcome === 'throttled').length;
  const refused = records.filter((r) => r.outcome === 'ServiceUnavailableException');
  const settledFrom = window.start + 30_000;
  const perModel: Record<string, ModelUse> = {};
  for (const r of records) {
    const use = (perModel[r.model] ??= { requests: 0, throttled: 0, tokens: 0 });
    use.requests++;
    if (r.outcome === 'throttled') use.throttled++;
    use.tokens += r.chargedTokens;
  }
  return {
    makespanMs: Math.round(makespanMs),
    tokensCharged,
    achievedTpm: Math.round(achievedTpm),
    utilization: round(achievedTpm / quotaSum),
    steadyUtilization: steadyWindowMs >= MINUTE ? round(steadyTokens / (quotaSum * (steadyWindowMs / MINUTE))) : null,
    steadyWindowMs: Math.round(steadyWindowMs),
    requests: records.length,
    throttled,
    throttledShare: records.length > 0 ? round(throttled / records.length, 4) : 0,
    connectionRefusals: refused.length,
    connectionRefusalsAfter30s: refused.filter((r) => r.time >= settledFrom).length,
    requestsAfter30s: records.filter((r) => r.time >= settledFrom).length,
    throttledAfter60s: records.filter((r) => r.time >= window.start + MINUTE && r.outcome === 'throttled').length,
    requestsAfter60s: records.filter((r) => r.time >= window.start + MINUTE).length,
    batches: burst.length,
    lostBatches: burst.filter((b) => b.status === 'lost').length,
    files: burst.reduce((s, b) => s + b.files, 0),
    analyzedShare: round(burst.filter((b) => b.status === 'ok').reduce((s, b) => s + b.files, 0) / Math.max(1, burst.reduce((s, b) => s + b.files, 0))),
    perModel,
  };
}

/**
 * Tokens per minute over time, every `stepMs`: the tokens charged by requests that arrived in the
 * trailing 60 s (what Bedrock's window counts), so the curve ramps up over the first minute.
 */
export function throughputSeries(records: readonly EmulatorRequestRecord[], start: number, end: number, stepMs = 5_000): { t: number; tpm: number }[] {
  const points: { t: number; tpm: number }[] = [];
  for (let t = start; t <= end + MINUTE; t += stepMs) {
    const tokens = records.filter((r) => r.time >= t - MINUTE && r.time < t).reduce((s, r) => s + r.chargedTokens, 0);
    points.push({ t: Math.round(t - start), tpm: tokens });
  }
  return points;
}
