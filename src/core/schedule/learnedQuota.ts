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
 * - Near a limit the service keeps confirming, recovery slows (as TCP CUBIC flattens near the window
 *   where it last lost packets): when an overload lands within `sameLevel` of the previous one's
 *   level, the limit is real (another tenant on the account, a lower applied quota), and climbing
 *   above it at the full rate only probes into the next throttle. Each such repeat divides the rate
 *   by 4 (down to 1/64) while the quota is within `near` of that level; beyond it (the limit moved
 *   up: the tenant left) the full rate again. With a foreign 25 % of the quota the full rate threw
 *   a throttle every ~2 minutes (6 of 94 requests, test/reliability/tokenizerSkew.test.ts).
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
/** Two overloads whose levels are this share of the ceiling apart or less hit the same limit. */
const SAME_LEVEL = 0.15;
/** Recovery is slowed while the quota is within this share of the ceiling above the confirmed level. */
const NEAR = 0.1;
/** Most repeats that slow recovery (each divides the rate by 4). */
const MAX_REPEATS = 3;

export class LearnedQuota {
  private current: number;
  private lastDecreaseAt = -Infinity;
  private beforeCut: number;
  private lastStepAt = -Infinity;
  /** Level the current (last) overload cut to, the previous overload's, and how often in a row they matched. */
  private level = Infinity;
  private previousLevel = Infinity;
  private repeats = 0;
  private repeatsBefore = 0;
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
      // Overloads within a window of each other are one episode finding the limit (the first
      // minute of a burst, before the token count is calibrated), not the limit confirming itself.
      if (now - this.lastDecreaseAt >= MINUTE_MS) {
        this.previousLevel = this.level;
        this.repeatsBefore = this.repeats;
      }
      this.lastDecreaseAt = now;
      this.beforeCut = this.current;
    }
    this.lastStepAt = now;
    const lowest = Math.max(this.ceiling * this.floor, Math.floor(this.beforeCut * this.decrease));
    const next = Math.min(this.current, Math.max(lowest, Math.floor(used)));
    const lowered = next < this.current;
    this.current = next;
    this.level = next;
    const same = Number.isFinite(this.previousLevel) && Math.abs(next - this.previousLevel) <= this.ceiling * SAME_LEVEL;
    this.repeats = same ? Math.min(MAX_REPEATS, this.repeatsBefore + 1) : 0;
    return lowered;
  }

  /**
   * The token count was recalibrated by `factor` (the service counts `factor`× what we thought): the
   * levels cuts landed on were measured in the old count, so they move with it (up to the ceiling).
   */
  rescale(factor: number): void {
    if (!(factor > 0) || !Number.isFinite(factor) || this.current >= this.ceiling) return;
    this.current = Math.max(this.ceiling * this.floor, Math.min(this.ceiling, Math.floor(this.current * factor)));
    if (Number.isFinite(this.level)) this.level = Math.min(this.ceiling, this.level * factor);
  }

  /** A call succeeded at `now`: regain `increase` of the ceiling per minute since the last step. */
  onSuccess(now: number): void {
    const since = Math.max(0, now - Math.max(this.lastStepAt, this.lastDecreaseAt + this.holdMs));
    this.lastStepAt = Math.max(this.lastStepAt, now);
    if (!Number.isFinite(since)) return;
    const near = this.current < this.level + this.ceiling * NEAR;
    const rate = near ? this.increase / 4 ** this.repeats : this.increase;
    this.current = Math.min(this.ceiling, this.current + (this.ceiling * rate * since) / MINUTE_MS);
  }
}
