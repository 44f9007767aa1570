/**
 * Another tenant on the same account: someone else spending `tokensPerMinute` of a model's quota,
 * as a steady stream of calls (one every SLICE_MS, each a slice of the minute's tokens) that began
 * before the emulator did. Bedrock books a quota per account, region and model, so what they spend
 * is simply not there for us: admission counts it next to our own entries (quota.ts).
 *
 * Spread evenly, the tenant holds the same tokens in every 60 s window, which is what makes "the
 * share that is left" a well-defined target for the engine's learned quota to converge on.
 */
export const SLICE_MS = 5_000;

export class ForeignTenant {
  constructor(
    readonly tokensPerMinute: number,
    private readonly windowMs = 60_000,
  ) {
    if (!(tokensPerMinute >= 0)) throw new TypeError(`Expected foreign tokens per minute >= 0, got ${String(tokensPerMinute)}`);
  }

  /** Tokens the tenant's calls started in the window ending at `now` hold. */
  tokensInWindow(now: number): number {
    if (this.tokensPerMinute === 0) return 0;
    // Calls land on the SLICE_MS grid; (now - window, now] holds window / SLICE_MS of them.
    const perCall = (this.tokensPerMinute * SLICE_MS) / 60_000;
    const first = Math.floor((now - this.windowMs) / SLICE_MS) + 1;
    const last = Math.floor(now / SLICE_MS);
    return Math.round((last - first + 1) * perCall);
  }
}
