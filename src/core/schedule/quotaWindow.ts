/**
 * Bedrock-style admission over a sliding window: a call reserves its estimated input + maxTokens when
 * it starts and is settled to its real usage when it ends. Over any window of `windowMs` the reserved
 * tokens stay within the limit, and so do the requests. (A window is stricter than a token bucket of
 * the same size, so calls admitted here are never throttled by a bucket-based service that charges the
 * same estimate.)
 */
import type { Clock } from '../clock';

export interface Reservation {
  readonly at: number;
  tokens: number;
}

export class QuotaWindow {
  private entries: Reservation[] = [];

  constructor(
    private readonly clock: Clock,
    readonly windowMs = 60_000,
  ) {
    if (!(windowMs > 0)) throw new TypeError(`Expected a positive window in ms, got ${String(windowMs)}`);
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
    for (const e of this.entries) {
      used -= e.tokens;
      count -= 1;
      if (fits()) return Math.max(1, e.at + this.windowMs - now);
    }
    return 0;
  }

  reserve(tokens: number): Reservation {
    const r: Reservation = { at: this.clock.now(), tokens };
    this.entries.push(r);
    return r;
  }

  /** Replaces a reservation by what the call really charged (0 for a call the service refused). */
  settle(r: Reservation, tokens: number): void {
    r.tokens = Math.max(0, tokens);
  }

  private prune(): void {
    const horizon = this.clock.now() - this.windowMs;
    let i = 0;
    while (i < this.entries.length && this.entries[i]!.at <= horizon) i++;
    if (i > 0) this.entries.splice(0, i);
  }
}
