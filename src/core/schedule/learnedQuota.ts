/**
 * The effective quota of a model, learned AIMD-style (as TCP learns a path's capacity): the configured
 * quota is a ceiling; a throttle below it means the real quota is lower (shared account, another
 * client), so the effective quota drops multiplicatively; each successful call wins back a little.
 * A burst of throttles from one overload counts as one signal: after a decrease, further throttles are
 * ignored for `holdMs`, or a handful of in-flight calls failing together would collapse the quota.
 */
export interface LearnedQuotaOptions {
  /** Factor applied on a throttle; default 0.7. */
  decrease?: number;
  /** Share of the ceiling regained per successful call; default 0.05. */
  increase?: number;
  /** Lowest effective quota as a share of the ceiling; default 0.1. */
  floor?: number;
  /** Throttles within this many ms of a decrease do not decrease again; default 5,000. */
  holdMs?: number;
}

export class LearnedQuota {
  private current: number;
  private lastDecreaseAt = -Infinity;
  private readonly decrease: number;
  private readonly increase: number;
  private readonly floor: number;
  private readonly holdMs: number;

  constructor(
    readonly ceiling: number,
    options: LearnedQuotaOptions = {},
  ) {
    if (!(ceiling > 0)) throw new TypeError(`Expected a positive quota ceiling, got ${String(ceiling)}`);
    this.decrease = options.decrease ?? 0.7;
    this.increase = options.increase ?? 0.05;
    this.floor = options.floor ?? 0.1;
    this.holdMs = options.holdMs ?? 5_000;
    if (!(this.decrease > 0 && this.decrease < 1)) throw new TypeError(`Expected decrease in (0, 1), got ${this.decrease}`);
    this.current = ceiling;
  }

  get value(): number {
    return this.current;
  }

  /** Returns whether the quota was lowered. */
  onThrottle(now: number): boolean {
    if (now - this.lastDecreaseAt < this.holdMs) return false;
    this.lastDecreaseAt = now;
    this.current = Math.max(this.ceiling * this.floor, Math.floor(this.current * this.decrease));
    return true;
  }

  onSuccess(): void {
    this.current = Math.min(this.ceiling, this.current + this.ceiling * this.increase);
  }
}
