/**
 * The run's budget (`--max-tokens`, `--max-cost`, or the config's): a hard limit on what the service
 * charges, input + output as it reports them.
 *
 * Each call reserves, before it starts, the most it can be charged; a call that does not fit beside
 * what was charged and what admitted calls may still charge is not made, and the rest of the run is
 * skipped with the reason. A batch asked again (throttled, truncated with a larger cap, cut into
 * pieces) reserves every call anew and holds each reservation until that call's charge lands.
 *
 * The guarantee: charged tokens never exceed `maxTokens` (nor cost `maxCost`) as long as every call's
 * reported input is within its reservation — before the model's first answer `MAX_RATIO` × our
 * 4-bytes estimate (the largest count calibration believes; 1.33 bytes a token), after it
 * INPUT_MARGIN × the largest recent (reported ÷ reserved-for) ratio of that model — and its output
 * within the call's cap (the service stops there). What is not guaranteed: a service that reports
 * more than that (an input jumping above those bounds, output past maxTokens); then the run overshoots
 * by that excess once, and the next reservations learn it.
 */
import type { BudgetConfig, ModelConfig } from '../config/types';
import { priceRatio } from '../providers/serviceTier';
import { MAX_RATIO, OWN_SAMPLES_TRUSTED, PRIOR_RATIO } from '../schedule/calibration';

/** Output tokens are unknown before a call; without its cap, reserve this share of the input as a guess. */
const OUTPUT_RESERVE_RATIO = 0.25;
/**
 * Before a model's first answer the dispatcher counts input at PRIOR_RATIO × the estimate; the service
 * may count up to MAX_RATIO × (digits, non-Latin text: cl100k ran ~1.4× on digit-heavy files).
 */
export const FIRST_INPUT_FACTOR = MAX_RATIO / PRIOR_RATIO;
/** After: one call may count this much above the highest of the model's recent ratios. */
export const INPUT_MARGIN = 1.1;
/**
 * Recent ratios kept: few, because each is measured against the dispatcher's count of its time, and
 * that count learns too (the first answers' 1.4 ÷ 1.2 would otherwise inflate the next 15 calls).
 */
const RECENT = OWN_SAMPLES_TRUSTED;

/**
 * `release`: the call's charge landed (or it charged nothing). `keep`: it may have been charged but no
 * usage came back for it (a batch that ended without an answer after an answered call): its
 * reservation counts as spent from now on.
 */
export type Reserved = { release: () => void; keep: () => void } | { reason: string; settling?: Promise<void> };

export class Budget {
  private spentTokens = 0;
  private spentCost = 0;
  private reservedTokens = 0;
  private reservedCost = 0;
  /** Reservations kept as charged: calls the service may have charged without a usage we saw. */
  private unreportedTokens = 0;
  private unreportedCost = 0;
  /** Woken on every release: a batch refused only for others' reservations tries again then. */
  private waiters: (() => void)[] = [];
  /** Per model, recent reported input ÷ the input the dispatcher reserved for (its calibrated count). */
  private readonly undercounts = new Map<string, number[]>();

  constructor(
    private readonly limits: BudgetConfig,
    private readonly models: readonly ModelConfig[],
  ) {}

  get limited(): boolean {
    return this.limits.maxTokens !== undefined || this.limits.maxCost !== undefined;
  }

  get spent(): { tokens: number; costUsd: number } {
    return { tokens: this.spentTokens, costUsd: this.spentCost };
  }

  costOf(modelId: string, inputTokens: number, outputTokens: number): number {
    const m = this.models.find((x) => x.id === modelId);
    return ((m?.costPer1kInput ?? 0) * inputTokens + (m?.costPer1kOutput ?? 0) * outputTokens) / 1000;
  }

  /** What the input reservation multiplies the dispatcher's count by, on this model (see the header). */
  inputFactor(modelId: string): number {
    const seen = this.undercounts.get(modelId);
    if (!seen?.length) return FIRST_INPUT_FACTOR;
    return Math.min(FIRST_INPUT_FACTOR, Math.max(1, ...seen) * INPUT_MARGIN);
  }

  /** A call on `modelId` reserved for `reservedFor` input tokens and the service reported `reported`. */
  observeInput(modelId: string, reservedFor: number, reported: number): void {
    if (!(reservedFor > 0) || !(reported > 0) || !Number.isFinite(reported)) return;
    const seen = this.undercounts.get(modelId) ?? [];
    seen.push(reported / reservedFor);
    if (seen.length > RECENT) seen.shift();
    this.undercounts.set(modelId, seen);
  }

  /**
   * Reserves what one call may charge: its input at the largest plausible count (inputFactor × the
   * dispatcher's count) plus its output cap (a share of the input is the guess without one), at the
   * dearest tier the model is configured for. `modelId` undefined: the call's model is not known, so
   * the most any configured model could charge. Returns a release function, or the reason it does not
   * fit. When it would fit in what was really spent and only other calls' reservations are in the way,
   * `settling` resolves at the next release: those calls may fail and charge nothing (a refused
   * connection), so the batch asks again instead of being skipped for money never spent.
   */
  reserve(modelId: string | undefined, inputTokens: number, outputCap?: number): Reserved {
    const output = outputCap ?? Math.ceil(inputTokens * OUTPUT_RESERVE_RATIO);
    const candidates = modelId !== undefined ? [modelId] : this.models.map((m) => m.id);
    const input = Math.max(...candidates.map((id) => Math.ceil(inputTokens * this.inputFactor(id))));
    const tokens = input + output;
    const cost = Math.max(0, ...candidates.map((id) => this.costOf(id, input, output) * this.dearestTier(id)));
    const { maxTokens, maxCost } = this.limits;
    const spentTokens = this.spentTokens + this.unreportedTokens;
    const spentCost = this.spentCost + this.unreportedCost;
    const overTokens = maxTokens !== undefined && spentTokens + this.reservedTokens + tokens > maxTokens;
    const overCost = maxCost !== undefined && spentCost + this.reservedCost + cost > maxCost;
    if (overTokens || overCost) {
      const fitsSpent = (maxTokens === undefined || spentTokens + tokens <= maxTokens) && (maxCost === undefined || spentCost + cost <= maxCost);
      const unreported = this.unreportedTokens > 0 ? `, ${this.unreportedTokens} more held for calls whose charge was not reported` : '';
      const reason = overTokens
        ? `token budget reached (${this.spentTokens} of ${maxTokens} tokens spent${unreported}; this batch needs ~${tokens})`
        : `cost budget reached ($${this.spentCost.toFixed(4)} of $${maxCost} spent${unreported}; this batch needs ~$${cost.toFixed(4)})`;
      return fitsSpent && (this.reservedTokens > 0 || this.reservedCost > 0) ? { reason, settling: this.nextRelease() } : { reason };
    }
    this.reservedTokens += tokens;
    this.reservedCost += cost;
    let settled = false;
    const settle = (asCharged: boolean) => {
      if (settled) return;
      settled = true;
      this.reservedTokens -= tokens;
      this.reservedCost -= cost;
      if (asCharged) {
        this.unreportedTokens += tokens;
        this.unreportedCost += cost;
      }
      // Every settle wakes the waiters: a batch waiting only on reservations learns whether it fits now.
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    };
    return { release: () => settle(false), keep: () => settle(true) };
  }

  /** The highest price ratio among the tiers this model's lanes ask for (Priority costs 1.75×). */
  private dearestTier(modelId: string): number {
    const tiers = Object.values(this.models.find((m) => m.id === modelId)?.serviceTier ?? {}) as (string | undefined)[];
    return Math.max(1, ...tiers.map((t) => priceRatio(t)));
  }

  private nextRelease(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** `priceRatio`: the served tier's price relative to Standard (providers/serviceTier.ts). */
  charge(modelId: string, inputTokens: number, outputTokens: number, priceRatio = 1): void {
    this.spentTokens += inputTokens + outputTokens;
    this.spentCost += this.costOf(modelId, inputTokens, outputTokens) * priceRatio;
  }
}
