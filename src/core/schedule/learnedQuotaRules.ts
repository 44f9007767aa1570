/**
 * The numbers LearnedQuota (learnedQuota.ts) learns by, each with the measurement that chose it:
 * how deep one throttle cuts, how long a measured level rests, where a refusal is a miscount at the
 * edge rather than a lower quota.
 */
export interface LearnedQuotaOptions {
  /** Factor of a blind cut (a throttle with nothing measured in the window); default 0.7. */
  decrease?: number;
  /** Share of the ceiling regained per minute at the full rate; default 0.05. */
  increase?: number;
  /** Lowest effective quota as a share of the ceiling (never below MIN_QUOTA_TOKENS); default 0.01. */
  floor?: number;
  /** Throttles within this many ms of an overload's first count as that overload; default 5,000. */
  holdMs?: number;
  /** Emulated ms a measured level is held before the quota climbs again; default 5 minutes. */
  restMs?: number;
  /** Answered calls a measured level is also held for (EXPLORE_CALLS); default 100. */
  exploreCalls?: number;
}

/**
 * Climbing above a measured level explores: if the limit is still there, the first call past it is
 * refused. So after a measured cut the quota also waits for this many answered calls (at most twice
 * its rest in time), which keeps what exploring costs within 1 % of a model's requests.
 * Measured (bench wrong-quotas, quotas 2× too high, 7.6 min): with the 5-minute rest alone each model
 * climbed back into its real quota at ~6.5 min, 4 of 130 requests throttled instead of 2.
 */
export const EXPLORE_CALLS = 100;

/**
 * Only a cut this deep (the level at most this share of the quota before it) is held for
 * EXPLORE_CALLS: there the quota was shown to be lower than believed (configured too high, another
 * tenant). A shallow cut is a timing edge at the real quota, and holding it for 100 calls cost a
 * single-model burst two minutes (bench burst/one-model: one throttle, 13.6 min against 11.6).
 */
export const DEEP_CUT_SHARE = 0.8;

/**
 * The lowest effective quota in tokens, whatever the ceiling: about one small call (prompt, tool spec,
 * a few hundred tokens of code, an output cap). The floor used to be a tenth of the ceiling, and a new
 * account whose quota was a sixteenth of the default (6,000 tokens/min against 100,000, Service Quotas
 * not readable) could never learn it: every batch bounced off an empty window until it failed
 * (measured: 0 of 32 files analyzed, 26 of 27 calls throttled).
 */
export const MIN_QUOTA_TOKENS = 1_000;
/**
 * A call refused while nothing else of ours was in the window says the quota left to us is below that
 * one call: the quota drops to this share of it, the queue cuts batches larger than the quota
 * (cutOversize, admission.ts), and the next refusal, with our calls in the window, measures the rest.
 */
export const ALONE_CUT_SHARE = 0.8;
/**
 * A call refused when our window with it came within this share of the quota is a miscount at the
 * edge, not a lower quota: the service counted a little more than our estimate (a real tokenizer's
 * spread). The quota then drops only to EDGE_CUT of what was refused. At small quotas one call is a
 * large share of the window, so every refusal of a nearly full window looked like half the quota
 * before (a measured cut to what was proven), and cost minutes.
 */
export const EDGE_SHARE = 0.1;
export const EDGE_CUT = 0.97;

export const MINUTE_MS = 60_000;
/** Two overloads whose levels are this share of the ceiling apart or less hit the same limit. */
export const SAME_LEVEL = 0.15;
/** The climb is a quarter rate while the quota is within this share of the ceiling above the level. */
export const NEAR = 0.1;
/**
 * The deepest one measured overload may cut, as a share of the quota before it: a quota configured 2×
 * too high lands on the real one in one overload; a throttle when little is known to be held (a run's
 * first calls still on their way) does not collapse the quota to that little.
 */
export const DEEPEST_MEASURED_CUT = 0.5;
/** Most doublings of the rest (each repeat at the same level doubles it). */
export const MAX_REPEATS = 2;
