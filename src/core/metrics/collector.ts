/**
 * Per-model counters and series behind ModelSnapshot: requests, tokens, throttles, fallbacks,
 * spillovers, retries, latency percentiles, cost, and tokens per minute (sliding, plus a series for
 * the dashboard's chart). Times are the injected clock's emulated ms.
 */
import type { ModelConfig } from '../config/types';
import type { ModelSnapshot } from './types';

const LATENCY_SAMPLES = 512;
const SERIES_SPAN_MS = 10 * 60_000;
const SERIES_STEP_MS = 10_000;
const MINUTE = 60_000;

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export class ModelMetrics {
  requests = 0;
  inputTokens = 0;
  private cost = 0;
  outputTokens = 0;
  throttles = 0;
  errors = 0;
  retries = 0;
  fallbacksIn = 0;
  fallbacksOut = 0;
  spilloversIn = 0;
  spilloversOut = 0;
  /** Successful calls whose reported usage was missing or implausible and charged at the reservation. */
  usageEstimated = 0;
  private latencies: number[] = [];
  /** Tokens charged, by completion time, kept for the series span. */
  private charges: { at: number; tokens: number }[] = [];
  private starts: number[] = [];

  constructor(readonly model: ModelConfig) {}

  /** A request left for the service (whatever its outcome). */
  recordRequest(at: number): void {
    this.requests++;
    this.starts.push(at);
    this.prune(at);
  }

  /** `priceRatio`: the price of the tier that served the call relative to Standard (providers/serviceTier.ts). */
  recordSuccess(at: number, latencyMs: number, inputTokens: number, outputTokens: number, priceRatio = 1): void {
    this.inputTokens += inputTokens;
    this.outputTokens += outputTokens;
    this.cost += ((inputTokens / 1000) * (this.model.costPer1kInput ?? 0) + (outputTokens / 1000) * (this.model.costPer1kOutput ?? 0)) * priceRatio;
    this.charges.push({ at, tokens: inputTokens + outputTokens });
    this.latencies.push(latencyMs);
    if (this.latencies.length > LATENCY_SAMPLES) this.latencies.shift();
    this.prune(at);
  }

  get costUsd(): number {
    return this.cost;
  }

  latencyPercentile(p: number): number {
    return percentile([...this.latencies].sort((a, b) => a - b), p);
  }

  get hasLatency(): boolean {
    return this.latencies.length > 0;
  }

  tokensPerMinute(now: number): number {
    return this.charges.reduce((s, c) => (c.at > now - MINUTE && c.at <= now ? s + c.tokens : s), 0);
  }

  /** Sliding tokens-per-minute sampled every 10 s over the last 10 minutes (oldest first). */
  tpmSeries(now: number): { at: number; tpm: number }[] {
    const out: { at: number; tpm: number }[] = [];
    const first = Math.max(now - SERIES_SPAN_MS, this.charges[0]?.at ?? now);
    for (let at = now; at >= first; at -= SERIES_STEP_MS) out.push({ at, tpm: this.tokensPerMinute(at) });
    return out.reverse();
  }

  snapshot(now: number, live: Pick<ModelSnapshot, 'effectiveTpm' | 'inFlight' | 'queued'> & { disabledReason?: string }): ModelSnapshot {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const snapshot: ModelSnapshot = {
      id: this.model.id,
      label: this.model.label ?? this.model.id,
      quotaTpm: this.model.tokensPerMinute,
      effectiveTpm: Math.round(live.effectiveTpm),
      requests: this.requests,
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      throttles: this.throttles,
      errors: this.errors,
      retries: this.retries,
      fallbacksIn: this.fallbacksIn,
      fallbacksOut: this.fallbacksOut,
      spilloversIn: this.spilloversIn,
      spilloversOut: this.spilloversOut,
      usageEstimated: this.usageEstimated,
      inFlight: live.inFlight,
      queued: { ...live.queued },
      latencyP50Ms: percentile(sorted, 50),
      latencyP95Ms: percentile(sorted, 95),
      costUsd: this.costUsd,
      tokensPerMinute: this.tokensPerMinute(now),
      requestsPerMinute: this.starts.filter((t) => t > now - MINUTE && t <= now).length,
      tpmSeries: this.tpmSeries(now),
    };
    if (live.disabledReason) snapshot.disabledReason = live.disabledReason;
    return snapshot;
  }

  private prune(now: number): void {
    const horizon = now - SERIES_SPAN_MS;
    while (this.charges.length > 0 && this.charges[0]!.at < horizon) this.charges.shift();
    while (this.starts.length > 0 && this.starts[0]! <= now - MINUTE) this.starts.shift();
  }
}

/** The last few hundred batch records, newest last. */
export class BatchLog<T> {
  private items: T[] = [];
  constructor(private readonly capacity = 200) {}
  push(item: T): void {
    this.items.push(item);
    if (this.items.length > this.capacity) this.items.shift();
  }
  list(): T[] {
    return [...this.items];
  }
}
