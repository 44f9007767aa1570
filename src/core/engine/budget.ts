/**
 * The run's budget (`--max-tokens`, `--max-cost`, or the config's). A batch is admitted only when
 * what was charged, plus what admitted batches may still charge, plus this batch's estimate stays
 * within the limit — so a burst of concurrent batches cannot overshoot it — and the rest of the run
 * is skipped with the reason.
 */
import type { BudgetConfig, ModelConfig } from '../config/types';

/** Output tokens are unknown before a call; without its cap, reserve this share of the input as a guess. */
const OUTPUT_RESERVE_RATIO = 0.25;

export class Budget {
  private spentTokens = 0;
  private spentCost = 0;
  private reservedTokens = 0;
  private reservedCost = 0;
  /** Woken on every release: a batch refused only for others' reservations tries again then. */
  private waiters: (() => void)[] = [];

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

  /**
   * Reserves what a call may charge: its input estimate plus its output cap (the dispatcher says the
   * cap; a share of the input is the guess without one). Returns a release function, or the reason it
   * does not fit. When it would fit in what was really spent and only other calls' reservations are in
   * the way, `settling` resolves at the next release: those calls may fail and charge nothing (a
   * refused connection), so the batch asks again instead of being skipped for money never spent.
   */
  reserve(modelId: string, estInputTokens: number, outputCap?: number): { release: () => void } | { reason: string; settling?: Promise<void> } {
    const output = outputCap ?? Math.ceil(estInputTokens * OUTPUT_RESERVE_RATIO);
    const tokens = estInputTokens + output;
    const cost = this.costOf(modelId, estInputTokens, output);
    const { maxTokens, maxCost } = this.limits;
    const overTokens = maxTokens !== undefined && this.spentTokens + this.reservedTokens + tokens > maxTokens;
    const overCost = maxCost !== undefined && this.spentCost + this.reservedCost + cost > maxCost;
    if (overTokens || overCost) {
      const fitsSpent = (maxTokens === undefined || this.spentTokens + tokens <= maxTokens) && (maxCost === undefined || this.spentCost + cost <= maxCost);
      const reason = overTokens
        ? `token budget reached (${this.spentTokens} of ${maxTokens} tokens spent; this batch needs ~${tokens})`
        : `cost budget reached ($${this.spentCost.toFixed(4)} of $${maxCost} spent; this batch needs ~$${cost.toFixed(4)})`;
      return fitsSpent && (this.reservedTokens > 0 || this.reservedCost > 0) ? { reason, settling: this.nextRelease() } : { reason };
    }
    this.reservedTokens += tokens;
    this.reservedCost += cost;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.reservedTokens -= tokens;
        this.reservedCost -= cost;
        const waiters = this.waiters;
        this.waiters = [];
        for (const wake of waiters) wake();
      },
    };
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
