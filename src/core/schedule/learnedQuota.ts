/**
 * The effective quota of a model, learned from throttles: the configured quota is a ceiling; a
 * throttle below it means the real quota is lower (a quota configured too high, another tenant on the
 * account, a lower applied quota), so the effective quota drops, and climbs back by time.
 *
 * What a throttle tells, and how each part is used:
 * - **Where the limit is.** Bedrock books tokens per account in a rolling minute and refuses a call
 *   at its arrival when the window's reservations plus its own do not fit. So the service was just
 *   seen to hold `used` (the window's tokens of the other calls at the throttle) and to refuse a
 *   little more: the quota left to us is in [used, used + one call). A throttle with a measured level
 *   cuts straight to it (at most by half in one overload, not below the floor) — not by 30 %: with
 *   quotas configured 2× too high, a 30 % cap per overload needed two overloads (two rounds of
 *   throttles) to land on the real quota. A throttle without a measure (an empty window: nothing to read) cuts by `decrease`.
 * - **Throttles within `holdMs`** of an overload's first belong to it: calls in flight that bounce
 *   together each lower toward what is still held, which only ever falls to what the service
 *   accepted (the bounced calls are released before the next is read).
 * - **A measured level rests.** The service just refused right above it, so climbing back at once
 *   only probes into the next throttle: after a measured overload the quota stays for `restMs`
 *   (doubled, up to 4×, each time an overload lands again within SAME_LEVEL of the last one: the
 *   limit is real), then climbs at a quarter rate while within NEAR of that level, then at the full
 *   rate (the tenant left). A blind cut recovers at once at the full rate, by time — never per
 *   successful call: with small batches a model answers many calls a minute, and per-call recovery
 *   climbed straight back into the next throttle.
 * Measured (bench wrong-quotas / foreign-tenant, see docs/scheduler.md): the earlier AIMD shape (30 %
 * per overload, 5 % of the ceiling a minute, ÷4 near a repeated level) threw 20 of 102 requests
 * with quotas 2× too high and 8 of 168 with another tenant at 25 %.
 */
import {
  ALONE_CUT_SHARE,
  DEEP_CUT_SHARE,
  DEEPEST_MEASURED_CUT,
  EDGE_CUT,
  EDGE_SHARE,
  EXPLORE_CALLS,
  MAX_REPEATS,
  MIN_QUOTA_TOKENS,
  MINUTE_MS,
  NEAR,
  SAME_LEVEL,
  type LearnedQuotaOptions,
} from './learnedQuotaRules';

export { ALONE_CUT_SHARE, DEEP_CUT_SHARE, EDGE_CUT, EDGE_SHARE, EXPLORE_CALLS, MIN_QUOTA_TOKENS, type LearnedQuotaOptions } from './learnedQuotaRules';

export class LearnedQuota {
  private current: number;
  private lastDecreaseAt = -Infinity;
  private beforeCut: number;
  private lastStepAt = -Infinity;
  /** The level the last overload cut to (Infinity: none yet), and whether it was measured. */
  private level = Infinity;
  private measured = false;
  private repeats = 0;
  /** Answered calls since the last overload began. */
  private callsSinceCut = 0;
  private readonly exploreCalls: number;
  private readonly decrease: number;
  private readonly increase: number;
  private readonly floor: number;
  private readonly holdMs: number;
  private readonly restMs: number;

  constructor(
    readonly ceiling: number,
    options: LearnedQuotaOptions = {},
  ) {
    if (!(ceiling > 0)) throw new TypeError(`Expected a positive quota ceiling, got ${String(ceiling)}`);
    this.decrease = options.decrease ?? 0.7;
    this.increase = options.increase ?? 0.05;
    this.floor = options.floor ?? 0.01;
    this.holdMs = options.holdMs ?? 5_000;
    this.restMs = options.restMs ?? 5 * MINUTE_MS;
    this.exploreCalls = options.exploreCalls ?? EXPLORE_CALLS;
    if (!(this.decrease > 0 && this.decrease < 1)) throw new TypeError(`Expected decrease in (0, 1), got ${this.decrease}`);
    if (!(this.restMs >= 0)) throw new TypeError(`Expected restMs ≥ 0, got ${this.restMs}`);
    this.current = ceiling;
    this.beforeCut = ceiling;
  }

  get value(): number {
    return this.current;
  }

  private get lowest(): number {
    return Math.min(this.ceiling, Math.max(MIN_QUOTA_TOKENS, this.ceiling * this.floor));
  }

  /** Whether a throttle ever lowered the quota (the quota is then where the service refused, not a known limit). */
  get learned(): boolean {
    return this.current < this.ceiling;
  }

  /**
   * A call was throttled at `now` while the window held `used` tokens the service is known to have
   * accepted (omitted or 0: nothing measured). `refused`: what the refused call asked and what our
   * window held beside it (in flight included), both in our count — a call refused alone bounds the
   * quota (ALONE_CUT_SHARE), one refused at the edge is a miscount (EDGE_SHARE). Returns whether the
   * quota was lowered.
   */
  onThrottle(now: number, used = 0, refused?: { asked: number; held: number }): boolean {
    const bound = refused && refused.held <= 0 && refused.asked > 0 ? Math.floor(refused.asked * ALONE_CUT_SHARE) : Infinity;
    // The edge is a miscount only where the quota is believed (the ceiling, or a level measured
    // before): below a blind cut or a bound the quota is not known, and a refusal there measures it.
    const believed = this.current >= this.ceiling || this.measured;
    const nearEdge = believed && refused !== undefined && refused.held > 0 && refused.held + refused.asked >= this.current * (1 - EDGE_SHARE);
    const lowest = this.lowest;
    const fresh = now - this.lastDecreaseAt >= this.holdMs;
    if (fresh) {
      const previous = this.level;
      this.lastDecreaseAt = now;
      this.callsSinceCut = 0;
      this.beforeCut = this.current;
      this.measured = false;
      // A new overload at the level of the last one: the limit is real; rest longer there.
      const target = nearEdge ? refused.held + refused.asked : used > 0 ? used : this.current * this.decrease;
      const same = Number.isFinite(previous) && Math.abs(target - previous) <= this.ceiling * SAME_LEVEL;
      this.repeats = same ? Math.min(MAX_REPEATS, this.repeats + 1) : 0;
    }
    // Twice at the same level is a real limit just below (another tenant), not a miscount: measured as usual.
    const edge = nearEdge && this.repeats === 0;
    this.lastStepAt = now;
    // Measured: to what was held, but not below half the quota before the overload in one overload
    // (at a run's start most calls are still on their way, so little is known to be held).
    // At the edge: just below what was refused — the service counted the call a little above our
    // estimate, the quota is where we thought (measured: a 36-token miscount at 4,000 tokens/min cut
    // the quota to half, and the model ran one call a minute for the rest of the run).
    // A call refused alone bounds the quota from above, however far below the level before. It is not
    // a measured level (no rest): a teammate or another tenant may have filled the window for a moment
    // (a second run with no ledger in common starts with its own window empty), so it climbs back by
    // time, and where the quota really is that low the next refusal, with our calls in the window, measures it.
    const usual = edge
      ? Math.max(Math.floor(used), Math.floor((refused.held + refused.asked) * EDGE_CUT))
      : used > 0 ? Math.max(Math.floor(used), Math.floor(this.beforeCut * DEEPEST_MEASURED_CUT)) : Math.floor(this.beforeCut * this.decrease);
    const cut = Math.min(usual, bound);
    const next = Math.min(this.current, Math.max(lowest, cut));
    // A bound says the quota was never above it: later refusals of this overload measure from there
    // (measured: with the quota before at the 100,000 assumed, half of it kept a refusal that had
    // measured 4,088 tokens held from cutting at all, and the quota stayed 10 % above the real one).
    if (bound < usual) this.beforeCut = Math.min(this.beforeCut, Math.max(lowest, bound));
    const lowered = next < this.current;
    this.current = next;
    this.level = next;
    this.measured ||= used > 0 || edge;
    return lowered;
  }

  /**
   * The token count was recalibrated by `factor` (the service counts `factor`× what we thought): the
   * levels cuts landed on were measured in the old count, so they move with it (up to the ceiling).
   */
  rescale(factor: number): void {
    if (!(factor > 0) || !Number.isFinite(factor) || this.current >= this.ceiling) return;
    this.current = Math.max(this.lowest, Math.min(this.ceiling, Math.floor(this.current * factor)));
    if (this.beforeCut < this.ceiling) this.beforeCut = Math.min(this.ceiling, this.beforeCut * factor);
    if (Number.isFinite(this.level)) this.level = Math.min(this.ceiling, this.level * factor);
  }

  /** A call succeeded at `now`: climb back by the time since the last step (see the class comment). */
  onSuccess(now: number): void {
    this.callsSinceCut++;
    // Still resting on a measured level by calls (EXPLORE_CALLS), at most twice the rest in time (a
    // model of few calls a minute, a small quota, still explores): the climb starts from when it ends.
    const resting = now - this.lastDecreaseAt < 2 * this.restMs * 2 ** this.repeats;
    const deep = this.level <= this.beforeCut * DEEP_CUT_SHARE;
    if (this.measured && deep && resting && this.callsSinceCut < this.exploreCalls && this.current < this.ceiling) {
      this.lastStepAt = Math.max(this.lastStepAt, now);
      return;
    }
    const rest = this.measured ? this.restMs * 2 ** this.repeats : 0;
    const from = Math.max(this.lastStepAt, this.lastDecreaseAt + this.holdMs + rest);
    const since = Math.max(0, now - from);
    this.lastStepAt = Math.max(this.lastStepAt, now);
    if (!Number.isFinite(since) || since === 0) return;
    const near = this.measured && this.current < this.level + this.ceiling * NEAR;
    const rate = near ? this.increase / 4 : this.increase;
    this.current = Math.min(this.ceiling, this.current + (this.ceiling * rate * since) / MINUTE_MS);
  }
}
