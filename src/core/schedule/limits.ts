/**
 * Per-model limits, in one place for the planner (plan/) and the scheduler (router, call stage):
 * KB per batch, the token ceilings of one reservation (the packing budget and the hard limit), the
 * output cap's bounds, and whether a batch fits a model. The planner packs to these and the
 * dispatcher reserves by them, so what is packed is always admissible. Why these numbers:
 * docs/scheduler.md ("Budgets").
 */
import type { ModelConfig } from '../config/types';
import { knownOutputLimit } from '../config/defaults';
import { outputBurndownOf } from './calibration';

/** Context window assumed when a model's config does not say. */
export const DEFAULT_CONTEXT_TOKENS = 128_000;
/** Output cap ceiling when a model's config does not say. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4_096;
/** Output caps below this truncate even a short list of findings. */
export const MIN_OUTPUT_TOKENS = 512;
/** First guess of output tokens per input token, before any output was observed. */
export const INITIAL_OUTPUT_RATIO = 0.15;
export const OUTPUT_BASE_TOKENS = 256;
/** Share of the per-minute quota one batch may reserve (see batchTokenBudget). */
export const BATCH_QUOTA_SHARE = 0.1;
/** Budgets are never cut below this by the share (small quotas would leave no room for files). */
export const MIN_BATCH_BUDGET_TOKENS = 4_000;

/**
 * The largest output cap any call to `model` may ask for: the configured one, never above Bedrock's
 * limit for the model (a larger maxTokens is a ValidationException, not a longer answer; see
 * outputLimitWarning for the message a host shows when the config asks for more).
 */
export function maxOutputCap(model: ModelConfig): number {
  return Math.min(model.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS, knownOutputLimit(model.id) ?? Number.POSITIVE_INFINITY);
}

/** The output cap for a batch of `inputTokens` before anything was learned. */
export function initialOutputCap(inputTokens: number, model: ModelConfig): number {
  const wanted = Math.ceil(inputTokens * INITIAL_OUTPUT_RATIO) + OUTPUT_BASE_TOKENS;
  return Math.min(maxOutputCap(model), Math.max(MIN_OUTPUT_TOKENS, wanted));
}

/**
 * A learned output cap for a call of `inputTokens` (as the model counts them) kept within the
 * model's hard limit where it can be (the reservation is input + cap × burndown), and never below
 * MIN_OUTPUT_TOKENS.
 */
export function outputCapWithinLimit(learned: number, inputTokens: number, model: ModelConfig): number {
  // Floored at MIN_OUTPUT_TOKENS only where the hard limit cut it: a learned cap below it (short answers, outputCap.ts) stays.
  return Math.max(Math.min(learned, MIN_OUTPUT_TOKENS), Math.min(learned, Math.floor((batchTokenLimit(model) - inputTokens) / outputBurndownOf(model))));
}

/**
 * Largest reservation (input + output cap) of one batch: about a tenth of the per-minute quota (at
 * least MIN_BATCH_BUDGET_TOKENS), never more than half of it nor the context window. Half a quota is
 * the hard limit, so a batch is always admissible; a tenth is the default because the window admits
 * the head of the queue only when its whole reservation fits: with half-quota batches a model ran
 * about two calls a minute and left most of its window unused, the last large batches made a long
 * tail on one model, and a quota configured too high made one batch fill the real one. Small
 * batches keep many calls in flight and give spillover pieces to move (docs/benchmark.md).
 */
export function batchTokenBudget(model: ModelConfig): number {
  const share = Math.max(model.tokensPerMinute * BATCH_QUOTA_SHARE, MIN_BATCH_BUDGET_TOKENS);
  return Math.floor(Math.min(batchTokenLimit(model), share));
}

/**
 * Hard limit of one reservation: the context window and half the per-minute quota. The planner packs
 * to the smaller budget above; a batch planned for another model (spillover, fallback) may run on
 * this one as long as it stays within this limit, so a larger model's batches can still move here.
 */
export function batchTokenLimit(model: ModelConfig): number {
  return Math.floor(Math.min(model.contextTokens ?? DEFAULT_CONTEXT_TOKENS, model.tokensPerMinute / 2));
}

/** Largest input whose reservation (input + initial output cap × burndown) fits `budget` (the packing budget by default). */
export function maxBatchInputTokens(model: ModelConfig, budget = batchTokenBudget(model)): number {
  let lo = 0;
  let hi = budget;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (mid + initialOutputCap(mid, model) * outputBurndownOf(model) <= budget) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The model's KB per batch, in bytes. */
export function batchByteLimit(model: ModelConfig): number {
  return model.maxKbPerBatch * 1024;
}

/** Whether a batch of this size and input may run on `model` (for spillover and fallback): its hard limits. */
export function batchFits(bytes: number, inputTokens: number, model: ModelConfig): boolean {
  return bytes <= batchByteLimit(model) && inputTokens <= maxBatchInputTokens(model, batchTokenLimit(model));
}
