/**
 * Bedrock-style admission over a sliding window: a call reserves its estimated input + maxTokens when
 * it starts and is settled to its real usage when it ends. Over any window of `windowMs` the reserved
 * tokens stay within the limit, and so do the requests. (A window is stricter than a token bucket of
 * the same size, so calls admitted here are never throttled by a bucket-based service that charges the
 * same estimate.)
 *
 * `guardMs` keeps each entry a little longer than the window: the service starts its clock when the
 * request arrives, a moment after we reserved, so without it our entry would expire first and the
 * next call could be admitted here yet throttled there. `restamp` moves each entry to the service's
 * count, so the guard only covers what remains: the last leg of a call still in flight.
 */
import type { Clock } from '../clock';

export interface Reservation {
  /** When the service starts counting it: reservation time, moved to the send time by `restamp`. */
  at: number;
  tokens: number;
}

export class QuotaWindow {
  private entries: Reservation[] = [];

  constructor(
    private readonly clock: Clock,
    readonly windowMs = 60_000,
    public guardMs = 0,
  ) {
    if (!(windowMs > 0)) throw new TypeError(`Expected a positive window in ms, got ${String(windowMs)}`);
    if (!(guardMs >= 0)) throw new TypeError(`Expected a guard ≥ 0 ms, got ${String(guardMs)}`);
  }

  /** Tokens and requests charged inside the window ending now. */
  usage(): { tokens: number; requests: number } {
    this.prune();
    return { tokens: this.entries.reduce((s, e) => s + e.tokens, 0), requests: this.entries.length };
  }

  /**
   * Emulated ms until `tokens` more fit under `tokenLimit` and one more request under
   * `requestLimit`; 0 when they fit now. A need above the limit is admitted once the window is
   * empty: the only way it can ever run (the planner keeps batches to half a quota, so this happens
   * only after a learned quota fell far below the configured one).
   */
  waitFor(tokens: number, tokenLimit: number, requestLimit = Infinity): number {
    const now = this.clock.now();
    this.prune();
    const need = Math.min(tokens, tokenLimit);
    let used = this.entries.reduce((s, e) => s + e.tokens, 0);
    let count = this.entries.length;
    const fits = () => used + need <= tokenLimit && count + 1 <= requestLimit;
    if (fits()) return 0;
    for (const e of [...this.entries].sort((a, b) => a.at - b.at)) {
      used -= e.tokens;
      count -= 1;
      if (fits()) return Math.max(1, e.at + this.span - now);
    }
    return 0;
  }

  reserve(tokens: number): Reservation {
    const r: Reservation = { at: this.clock.now(), tokens };
    this.entries.push(r);
    return r;
  }

  /**
   * The service started counting the request no earlier than `at`: when it was sent (signing,
   * connecting and a busy event loop can take a while), and once answered, its answer time minus the
   * latency the service reports. Count its window from there, as the service does.
   */
  restamp(r: Reservation, at: number): void {
    r.at = Math.max(r.at, at);
  }

  /** Replaces a reservation by what the call really charged (0 for a call the service refused). */
  settle(r: Reservation, tokens: number): void {
    r.tokens = Math.max(0, tokens);
  }

  private get span(): number {
    return this.windowMs + this.guardMs;
  }

  private prune(): void {
    const horizon = this.clock.now() - this.span;
    if (this.entries.some((e) => e.at <= horizon)) this.entries = this.entries.filter((e) => e.at > horizon);
  }
}
