/**
 * How many calls a model may have in flight, learned AIMD-style from Bedrock's 503 "Too many
 * connections, please wait before trying again.": the configured `maxConcurrency` is a ceiling; the
 * signal halves the limit (never below 1), and it climbs back by one after every `regainAfter`
 * successful calls, as TCP's congestion window does — up to just below the level that was refused;
 * from there it probes one step higher only after `probeAfter` successes. With plain +1 per 8 the
 * limit sawed 2 → 5 → 2 against a service that takes 4, and about one call in 24 was refused; the
 * slow probe makes that about one in 100 (the target: ≤ 1 % of requests answered 503).
 *
 * Only a call that started after the last cut can cut again: the calls in flight when the service
 * said "too many" bounce together, and each of them halving the limit would collapse it to 1 for a
 * single overload.
 */
export interface LearnedConcurrencyOptions {
  /** Successful calls per step of +1 below the refused level; default 8. */
  regainAfter?: number;
  /** Successful calls per step of +1 at or above the refused level; default 100. */
  probeAfter?: number;
}

export class LearnedConcurrency {
  private current: number;
  private successes = 0;
  private lastCutAt = -Infinity;
  /** Calls in flight when the service last said "too many"; Infinity until it has. */
  private refusedLevel = Number.POSITIVE_INFINITY;
  private readonly regainAfter: number;
  private readonly probeAfter: number;

  constructor(
    readonly ceiling: number,
    options: LearnedConcurrencyOptions = {},
  ) {
    if (!(ceiling >= 1)) throw new TypeError(`Expected a concurrency ceiling ≥ 1, got ${String(ceiling)}`);
    this.regainAfter = options.regainAfter ?? 8;
    this.probeAfter = options.probeAfter ?? 100;
    for (const [name, v] of [['regainAfter', this.regainAfter], ['probeAfter', this.probeAfter]] as const) {
      if (!(Number.isInteger(v) && v >= 1)) throw new TypeError(`Expected ${name} to be an integer ≥ 1, got ${String(v)}`);
    }
    this.current = Math.floor(ceiling);
  }

  get value(): number {
    return this.current;
  }

  /**
   * The service refused a call that started at `startedAt` (emulated ms) with `inFlight` calls of
   * this model running, the refused one included, at `now`. Returns whether the limit was cut.
   */
  onTooMany(startedAt: number, inFlight: number, now: number): boolean {
    if (startedAt < this.lastCutAt) return false;
    // Halve what was really in flight, not an unused ceiling: 5 calls refused under a limit of 32
    // means the service's limit is about 5.
    const level = Math.min(this.current, inFlight);
    const next = Math.max(1, Math.floor(level / 2));
    this.refusedLevel = level;
    this.lastCutAt = now;
    this.successes = 0;
    const cut = next < this.current;
    this.current = Math.min(this.current, next);
    return cut;
  }

  onSuccess(): void {
    if (this.current >= this.ceiling) return;
    const step = this.current + 1 < this.refusedLevel ? this.regainAfter : this.probeAfter;
    if (++this.successes < step) return;
    this.successes = 0;
    this.current = Math.min(Math.floor(this.ceiling), this.current + 1);
  }
}
