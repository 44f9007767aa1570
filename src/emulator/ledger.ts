/**
 * What the emulator saw: one record per request (so tests can check exactly what was sent and how
 * it was charged) and counters per model. Field names are documented in docs/emulator.md.
 */
import type { FaultKind } from './config';
import type { QuotaWindow } from './quota';

/** `ok`, `throttled`, a service error name, or `reset` / `hang` / `aborted` / `pending`. */
export type Outcome = string;

export interface EmulatorRequestRecord {
  /** 1, 2, 3… in arrival order. */
  seq: number;
  /** Arrival on the emulator's clock (emulated ms, same scale as `clock.now()`). */
  time: number;
  /** Emulated ms since the emulator started. */
  sinceStartMs: number;
  /** When the response ended (or the request was refused), emulated ms; absent while running. */
  endTime?: number;
  model: string;
  operation: 'converse' | 'converse-stream';
  protocol: 'http/1.1' | 'h2';
  /** `ok`, `throttled`, or the error name (`ValidationException`, `reset`, `hang`…). */
  outcome: Outcome;
  status?: number;
  /** Request body size in bytes. */
  bytes: number;
  /** Paths of the files the emulated model read in the prompt (promptReader.ts), one per run of lines, in order. */
  files: string[];
  /** What did not add up when the model read the prompt (a header's lines= against the lines listed, …). */
  promptNotes?: string[];
  inputTokens: number;
  outputTokens: number;
  /** Tokens reserved at admission (input + maxTokens); 0 when refused. */
  reservedTokens: number;
  /** Tokens charged at settlement (input + output); 0 when refused. */
  chargedTokens: number;
  maxTokens?: number;
  toolChoice?: string;
  /** `serviceTier.type` of the request, when it set one. */
  serviceTier?: string;
  stopReason?: string;
  findings?: number;
  /** Emulated latency slept before answering. */
  latencyMs?: number;
  fault?: FaultKind;
  /** Only with includeBodies: the system prompt, the user text, and the raw body. */
  system?: string;
  prompt?: string;
  body?: string;
}

export interface ModelStats {
  received: number;
  accepted: number;
  throttled: number;
  errored: number;
  inFlight: number;
  bytesReceived: number;
  /** Current 60 s window: reserved by running requests, charged by finished ones, and their sum. */
  windowTokensReserved: number;
  windowTokensCharged: number;
  windowTokensUsed: number;
  windowRequests: number;
  tokensPerMinute: number;
  requestsPerMinute?: number;
  totalInputTokens: number;
  totalOutputTokens: number;
  totalTokensCharged: number;
}

export interface EmulatorStats {
  /** Emulated ms on the emulator's clock, and since start. */
  now: number;
  sinceStartMs: number;
  models: Record<string, ModelStats>;
  totals: Omit<ModelStats, 'tokensPerMinute' | 'requestsPerMinute'>;
  /** Requests to unknown models or paths. */
  unrouted: number;
  /** Emulated ms per real ms, when the emulator runs on a ScaledClock. */
  timeScale?: number;
}

type Counters = Omit<ModelStats, 'windowTokensReserved' | 'windowTokensCharged' | 'windowTokensUsed' | 'windowRequests'>;

interface Bodies {
  system: string;
  prompt: string;
  body: string;
}

export class Ledger {
  private readonly records: EmulatorRequestRecord[] = [];
  private readonly bodies = new Map<number, Bodies>();
  private readonly counters = new Map<string, Counters>();
  unrouted = 0;

  constructor(private readonly quotas: ReadonlyMap<string, QuotaWindow>) {
    for (const [id, q] of quotas) {
      this.counters.set(id, {
        received: 0, accepted: 0, throttled: 0, errored: 0, inFlight: 0, bytesReceived: 0,
        tokensPerMinute: q.tokensPerMinute, requestsPerMinute: q.requestsPerMinute,
        totalInputTokens: 0, totalOutputTokens: 0, totalTokensCharged: 0,
      });
    }
  }

  counter(model: string): Counters | undefined {
    return this.counters.get(model);
  }

  add(record: EmulatorRequestRecord, bodies: Bodies): EmulatorRequestRecord {
    this.records.push(record);
    this.bodies.set(record.seq, bodies);
    return record;
  }

  list(options: { includeBodies?: boolean; since?: number } = {}): EmulatorRequestRecord[] {
    const since = options.since ?? 0;
    return this.records
      .filter((r) => r.seq > since)
      .map((r) => (options.includeBodies ? { ...r, ...this.bodies.get(r.seq) } : { ...r }));
  }

  stats(now: number, startedAt: number): EmulatorStats {
    const models: Record<string, ModelStats> = {};
    const totals: EmulatorStats['totals'] = {
      received: 0, accepted: 0, throttled: 0, errored: 0, inFlight: 0, bytesReceived: 0,
      windowTokensReserved: 0, windowTokensCharged: 0, windowTokensUsed: 0, windowRequests: 0,
      totalInputTokens: 0, totalOutputTokens: 0, totalTokensCharged: 0,
    };
    for (const [id, c] of this.counters) {
      const usage = this.quotas.get(id)!.usage(now);
      const m: ModelStats = {
        ...c,
        windowTokensReserved: usage.reserved,
        windowTokensCharged: usage.charged,
        windowTokensUsed: usage.reserved + usage.charged,
        windowRequests: usage.requests,
      };
      if (m.requestsPerMinute === undefined) delete m.requestsPerMinute;
      models[id] = m;
      for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += m[key];
    }
    return { now, sinceStartMs: now - startedAt, models, totals, unrouted: this.unrouted };
  }
}
