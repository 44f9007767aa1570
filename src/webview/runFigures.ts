/**
 * The headline figures over the run, not over the last sample: utilization is the tokens charged in
 * the run ÷ (the sum of the quotas × the run's time, at least one minute: the window a short run
 * could fill), and the ETA is the work left, in tokens, ÷ the current rate.
 *
 * A report knows its run exactly (RunTotals from the result). The live page sees only snapshots,
 * whose counters are the long-lived dispatcher's (cumulative over runs), so `RunTracker` marks where
 * a run began: its first snapshot (the engine sends one a second, so the run started about a second
 * earlier) and the counters of the previous run's last one (nothing is charged between runs).
 */
import type { RunSnapshot } from '../core/metrics/types';
import type { Frame, RunOutcomes, RunTotals } from '../core/webviewProtocol';

/** How often the engine sends a snapshot (src/core/engine/run.ts): a run's first comes this long after its start. */
export const SNAPSHOT_INTERVAL_MS = 1000;
const MINUTE = 60_000;

export interface RunMark {
  runId: string;
  startAt: number;
  /** Tokens and requests the counters held when the run began. */
  baseTokens: number;
  baseRequests: number;
}

export interface RunFigures {
  utilization: number;
  /** undefined: not known yet (no batch done, nothing queued, or no rate). */
  etaMs: number | undefined;
  tokens: number;
  requests: number;
  elapsedMs: number;
}

export const chargedTokens = (s: RunSnapshot) => s.models.reduce((sum, m) => sum + m.inputTokens + m.outputTokens, 0);
const requestsOf = (s: RunSnapshot) => s.models.reduce((sum, m) => sum + m.requests, 0);
const activeQuota = (s: RunSnapshot) => s.models.reduce((sum, m) => sum + (m.disabledReason ? 0 : m.quotaTpm), 0);

export function isRunMark(v: unknown): v is RunMark {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Partial<RunMark>;
  const finite = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n >= 0;
  return typeof m.runId === 'string' && m.runId.length <= 500 && finite(m.startAt) && finite(m.baseTokens) && finite(m.baseRequests);
}

export class RunTracker {
  private last: Frame | null = null;

  constructor(private current: RunMark | null = null) {}

  get mark(): RunMark | null {
    return this.current;
  }

  observe(frame: Frame): void {
    if (this.current?.runId !== frame.runId) {
      // The previous run's last counters are where this one starts; a page that starts mid-run knows no better than 0.
      const before = this.last && this.last.runId !== frame.runId ? this.last.snapshot : null;
      const base = before && chargedTokens(before) <= chargedTokens(frame.snapshot) ? before : null;
      this.current = {
        runId: frame.runId,
        startAt: Math.max(base?.at ?? 0, frame.snapshot.at - SNAPSHOT_INTERVAL_MS),
        baseTokens: base ? chargedTokens(base) : 0,
        baseRequests: base ? requestsOf(base) : 0,
      };
    }
    this.last = frame;
  }

  /** The figures of the run `frame` belongs to, as of that frame; `outcomes`: how its files left so far, if known. */
  figures(frame: Frame, outcomes?: RunOutcomes): RunFigures {
    const mark = this.current?.runId === frame.runId ? this.current : null;
    const s = frame.snapshot;
    const tokens = Math.max(0, chargedTokens(s) - (mark?.baseTokens ?? 0));
    const requests = Math.max(0, requestsOf(s) - (mark?.baseRequests ?? 0));
    const elapsedMs = mark ? Math.max(0, s.at - mark.startAt) : 0;
    return { utilization: utilizationOver(tokens, activeQuota(s), elapsedMs), etaMs: estimateEta(frame, elapsedMs, tokens, outcomes), tokens, requests, elapsedMs };
  }
}

/** Tokens charged ÷ what the quotas allowed over the run (at least one minute of them). */
export function utilizationOver(tokens: number, quotaTpm: number, elapsedMs: number): number {
  const allowed = quotaTpm * (Math.max(elapsedMs, MINUTE) / MINUTE);
  return allowed > 0 ? tokens / allowed : 0;
}

export function reportUtilization(t: RunTotals): number {
  return utilizationOver(t.tokens, t.quotaTpm, t.elapsedMs);
}

/**
 * Remaining work in tokens ÷ the current rate. The remaining tokens are the files not done yet × what a
 * file that was sent cost so far in this run (its tokens ÷ the files analyzed — not from the cache — or
 * failed): measured on this run's own files, so it follows their size and the tokenizer's count. (Batch
 * records are a poor guide: measured on a 240-file run they held half of what a batch charged.) The
 * sliding minute covers only the run's time while the run is younger than a minute, so the rate is
 * scaled up to a minute's then.
 */
export function estimateEta(frame: Frame, elapsedMs: number, runTokens: number, outcomes?: RunOutcomes): number | undefined {
  const s = frame.snapshot;
  if (s.etaMs !== undefined) return s.etaMs;
  const left = s.filesTotal - s.filesDone;
  if (s.filesTotal > 0 && left <= 0) return 0;
  const sent = outcomes ? outcomes.analyzed - outcomes.cached + outcomes.failed : s.filesDone;
  if (left <= 0 || sent <= 0 || !(runTokens > 0)) return undefined;
  const sliding = s.models.reduce((n, m) => n + (m.disabledReason ? 0 : m.tokensPerMinute), 0);
  const rate = elapsedMs > 0 && elapsedMs < MINUTE ? (sliding * MINUTE) / elapsedMs : sliding;
  if (!(rate > 0)) return undefined;
  return Math.round((((left * runTokens) / sent) / rate) * MINUTE);
}
