/**
 * The effective quota of a model, learned AIMD-style (as TCP learns a path's capacity): the configured
 * quota is a ceiling; a throttle below it means the real quota is lower (shared account, another
 * client), so the effective quota drops multiplicatively and climbs back additively, by time.
 *
 * Three refinements keep a quota that is right (or learned right) from sawing up and down:
 * - A throttle never cuts below what the service was just seen to accept (`used`: the window's
 *   tokens of the other calls at the throttle). A throttle with the window nearly full is a timing
 *   edge at the real quota, not a lower quota; with a quota configured 2× too high, the cut lands on
 *   the real one in one overload instead of oscillating around it.
 * - Throttles within `holdMs` of the first one belong to the same overload: together they cut at most
 *   by `decrease` (each may lower toward `used`), or a handful of in-flight calls bouncing together
 *   would collapse the quota.
 * - Recovery is per minute without a throttle, not per successful call: with small batches a model
 *   answers many calls a minute, and per-call recovery climbed straight back into the next throttle.
 */
export interface LearnedQuotaOptions {
  /** Factor of the largest cut of one overload; default 0.7. */
  decrease?: number;
  /** Share of the ceiling regained per minute without throttles; default 0.05. */
  increase?: number;
  /** Lowest effective quota as a share of the ceiling; default 0.1. */
  floor?: number;
  /** Throttles within this many ms of an overload's first count as that overload; default 5,000. */
  holdMs?: number;
}

const MINUTE_MS = 60_000;

export class LearnedQuota {
  private current: number;
  private lastDecreaseAt = -Infinity;
  private beforeCut: number;
  private lastStepAt = -Infinity;
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
    this.beforeCut = ceiling;
  }

  get value(): number {
    return this.current;
  }

  /**
   * A call was throttled at `now` while the window held `used` tokens of other calls. Returns whether
   * the quota was lowered.
   */
  onThrottle(now: number, used = 0): boolean {
    if (now - this.lastDecreaseAt >= this.holdMs) {
      this.lastDecreaseAt = now;
      this.beforeCut = this.current;
    }
    this.lastStepAt = now;
    const lowest = Math.max(this.ceiling * this.floor, Math.floor(this.beforeCut * this.decrease));
    const next = Math.min(this.current, Math.max(lowest, Math.floor(used)));
    const lowered = next < this.current;
    this.current = next;
    return lowered;
  }

  /** A call succeeded at `now`: regain `increase` of the ceiling per minute since the last step. */
  onSuccess(now: number): void {
    const since = Math.max(0, now - Math.max(this.lastStepAt, this.lastDecreaseAt + this.holdMs));
    this.lastStepAt = Math.max(this.lastStepAt, now);
    if (!Number.isFinite(since)) return;
    this.current = Math.min(this.ceiling, this.current + (this.ceiling * this.increase * since) / MINUTE_MS);
  }
}
