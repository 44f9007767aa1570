/**
 * A model's requests-per-minute limit, learned from "Too many requests" throttles. Bedrock gives
 * every model an on-demand requests-per-minute quota beside the tokens-per-minute one (new accounts
 * get small ones), counted like the tokens over the rolling minute: a call is refused at its arrival
 * when the requests the service accepted in the minute before it leave no room. So a request throttle
 * measures the limit exactly: it is the number of requests the window held when the refused call
 * arrived (a call throttled with nothing held says 1: the floor).
 *
 * Unlike the token quota, the measure is a count and does not drift with a tokenizer or another
 * tenant's uneven spending: the limit is held at the lowest count measured, rests there REST_MS
 * (twice as long each time a throttle lands on the same level again), then climbs one request a
 * minute — every step above a real limit is one more throttle, so steps are slow and rare. A quota
 * configured in `requestsPerMinute` (or read from Service Quotas) is the ceiling; without one the
 * limit is unknown (Infinity) until the first request throttle.
 */

const MINUTE_MS = 60_000;
/** How long a measured request limit is held before it is probed above. */
export const REQUESTS_REST_MS = 10 * MINUTE_MS;
/** Most doublings of the rest (each throttle at the level just probed doubles it). */
const MAX_REPEATS = 3;

export class LearnedRequests {
  private current: number;
  private level = Infinity;
  private lastCutAt = -Infinity;
  private lastStepAt = -Infinity;
  private repeats = 0;

  /** `ceiling`: the configured requests per minute, or Infinity when none is known. */
  constructor(
    readonly ceiling: number = Infinity,
    private readonly restMs = REQUESTS_REST_MS,
  ) {
    if (!(ceiling >= 1)) throw new TypeError(`Expected a requests-per-minute ceiling ≥ 1, got ${String(ceiling)}`);
    this.current = ceiling;
  }

  /** Requests per minute admission may send (Infinity: no limit known). */
  get value(): number {
    return this.current;
  }

  /** Whether a request throttle set the limit (below the configured ceiling, or where none was configured). */
  get learned(): boolean {
    return this.current < this.ceiling;
  }

  /**
   * A call was refused with "Too many requests" at `now` while the service held `held` requests in
   * the minute before its arrival. Returns whether the limit was lowered.
   */
  onThrottle(now: number, held: number): boolean {
    const measured = Math.max(1, Math.floor(held));
    // A throttle at (or within one of) the level just probed: the limit is real; rest longer there.
    if (Number.isFinite(this.level) && Math.abs(measured - this.level) <= 1 && now - this.lastCutAt > MINUTE_MS) this.repeats = Math.min(MAX_REPEATS, this.repeats + 1);
    const next = Math.min(this.current, measured, this.ceiling);
    const lowered = next < this.current;
    this.current = next;
    this.level = next;
    this.lastCutAt = now;
    this.lastStepAt = now;
    return lowered;
  }

  /** A call was answered at `now`: after the rest, climb one request a minute (by time, not by calls). */
  onSuccess(now: number): void {
    if (!Number.isFinite(this.level) || this.current >= this.ceiling) return;
    const from = Math.max(this.lastStepAt, this.lastCutAt + this.restMs * 2 ** this.repeats);
    const steps = Math.floor((now - from) / MINUTE_MS);
    if (steps <= 0) return;
    this.current = Math.min(this.ceiling, this.current + steps);
    this.lastStepAt = from + steps * MINUTE_MS;
  }
}
