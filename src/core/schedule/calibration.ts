/**
 * Calibration: what a call really costs against a model's quota, as Bedrock counts it.
 *
 * The engine estimates input at 4 bytes a token (contract/tokens.ts); Bedrock reserves and charges by
 * the model's own tokenizer (code runs at about 3–3.5 characters a token on Llama 3's, so ~1.2× the
 * estimate), and reports the real `usage.inputTokens` on every answer. `TokenCalibration` learns, per
 * model, the ratio reported input / estimated input from answered calls and the scheduler reserves
 * `estimate × ratio`: without it every window overshoots by the skew (throttles) or undershoots it
 * (an idle share of the quota). The ratio is a median of the last WINDOW answers, so one odd count (a
 * gateway's, a cached prompt's) does not move it, clamped to [MIN_RATIO, MAX_RATIO], starting at
 * PRIOR_RATIO until the first answer.
 *
 * Output: some models burn several quota tokens per output token (the "token burndown rate", AWS,
 * "How tokens are counted in Amazon Bedrock": 5× for Claude 3.7 Sonnet and the Claude 4 family), so
 * the reservation counts the output cap, and the settlement the output, times `outputBurndown`.
 */
import type { ModelConfig } from '../config/types';
import type { TokenUsage } from '../providers/provider';

export const MIN_RATIO = 0.5;
export const MAX_RATIO = 3;
/** Answers the median is taken over. */
export const WINDOW = 15;
/**
 * The ratio assumed before a model's first answer. A burst reserves a whole window before any answer
 * can teach the real count, so the first guess decides whether that window overshoots. Source code
 * runs at about 3.3–3.5 characters a token on the models' tokenizers (Nova Lite measured 3.4 on
 * Python; Llama 3's 3–3.5 on code), i.e. 1.15–1.2× our 4-bytes estimate: starting there, the first
 * window is filled to the real quota instead of 20 % past it. A model that counts fewer costs a few
 * seconds of a little unused room, until its first answers arrive.
 */
export const PRIOR_RATIO = 1.2;
/**
 * Reservations cover the counts up to this quantile of the recent ratios (see TokenCalibration.apply):
 * the largest. At the 90th percentile the calls above it still overshot packed windows by 4–97
 * tokens (small-quota-three: 4 of 619 refused with the service's window + the call 0.05–1.2 % over).
 */
export const RESERVE_QUANTILE = 1;
/** …but never more than this factor above the median (one odd count must not shrink every window). */
export const MAX_SPREAD = 1.1;
/** A change of the ratio by more than this share is worth a log line. */
export const MATERIAL_CHANGE = 0.05;

/** Model ids whose output tokens burn 5 quota tokens each (Claude 3.7 Sonnet, Claude 4 and later). */
const BURNDOWN_5X = /anthropic\.claude-(?:3-7-sonnet|(?:opus|sonnet|haiku)-[4-9])/;

/** Quota tokens one output token of this model burns: the config's, else the known rate for the id, else 1. */
export function outputBurndownOf(model: Pick<ModelConfig, 'id' | 'outputBurndown'>): number {
  return model.outputBurndown ?? (BURNDOWN_5X.test(model.id) ? 5 : 1);
}

/**
 * Prompt tokens the service counted: uncached input plus what it read from or wrote to the prompt
 * cache (Converse reports those apart from `inputTokens`). This is what the estimate estimates.
 */
export function promptTokensOf(usage: TokenUsage): number {
  return usage.inputTokens + (usage.cacheReadInputTokens ?? 0) + (usage.cacheWriteInputTokens ?? 0);
}

/**
 * What a finished call takes from the quota, as Bedrock settles it: input + cache writes + output ×
 * burndown. Cache reads are not counted against tokens per minute.
 */
export function quotaChargeOf(usage: TokenUsage, burndown: number): number {
  return usage.inputTokens + (usage.cacheWriteInputTokens ?? 0) + Math.ceil(usage.outputTokens * burndown);
}

const clamp = (r: number) => Math.min(MAX_RATIO, Math.max(MIN_RATIO, r));

/**
 * Answers of its own after which an instance trusts its own ratio over the one other instances on the
 * same destination-model published (WindowPeers.sharedRatio): before that, a run that joins the others
 * starts from what they learned instead of the prior, so its first window is counted as the service
 * counts it.
 */
export const OWN_SAMPLES_TRUSTED = 5;

/** Where the others' ratio comes from (a shared ledger's window, see WindowPeers.sharedRatio). */
export interface RatioPeers {
  sharedRatio?(own: number, observed: number): number | undefined;
}

export class TokenCalibration {
  private samples: number[] = [];
  private current: number;
  /** The ratio last reported as a material change (so a slow drift is told too, once it adds up). */
  private announced: number;
  private peers: RatioPeers | undefined;

  constructor(prior = PRIOR_RATIO) {
    this.current = prior;
    this.announced = prior;
  }

  /** Publishes this ratio to, and starts from, the others sharing the destination-model. */
  share(peers: RatioPeers): void {
    this.peers = peers;
  }

  /**
   * Reported / estimated input tokens: learned from our answers; until OWN_SAMPLES_TRUSTED of them,
   * the others' (when shared and any published), else the prior.
   */
  get ratio(): number {
    const theirs = this.peers?.sharedRatio?.(this.current, this.samples.length);
    if (this.samples.length >= OWN_SAMPLES_TRUSTED || theirs === undefined || !Number.isFinite(theirs)) return this.current;
    return clamp(theirs);
  }

  get observed(): number {
    return this.samples.length;
  }

  /**
   * Tokens to reserve for an input estimated at `estimate`: the ratio, raised by how far this model's
   * counts spread above it (the largest of its own recent ratios over their median, RESERVE_QUANTILE,
   * at most MAX_SPREAD). The median undercounts half the calls; while a window had slack (the output cap's
   * floor kept ~490 tokens per call free) that did not matter, but packed to the limit a call counted
   * a few % above the median is refused (measured, small-quota bench: 9 of 516 throttled).
   */
  apply(estimate: number): number {
    return Math.ceil(estimate * this.ratio * this.spread());
  }

  /** RESERVE_QUANTILE of the own recent ratios over their median (1 when they agree or are too few). */
  private spread(): number {
    if (this.samples.length < OWN_SAMPLES_TRUSTED) return 1;
    const sorted = [...this.samples].sort((a, b) => a - b);
    const high = sorted[Math.floor(RESERVE_QUANTILE * (sorted.length - 1))]!;
    return Math.min(MAX_SPREAD, Math.max(1, high / this.current));
  }

  /**
   * An answered call whose input was estimated at `estimate` tokens and reported at `reported`.
   * When the ratio moved materially since it last did (worth telling, and worth rescaling what was
   * measured in the old count), returns from where to where; else undefined.
   */
  observe(estimate: number, reported: number): { from: number; to: number } | undefined {
    if (!(estimate > 0) || !(reported > 0) || !Number.isFinite(reported)) return undefined;
    this.samples.push(clamp(reported / estimate));
    if (this.samples.length > WINDOW) this.samples.shift();
    this.current = median(this.samples);
    if (Math.abs(this.current - this.announced) <= this.announced * MATERIAL_CHANGE) return undefined;
    const from = this.announced;
    this.announced = this.current;
    return { from, to: this.current };
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
