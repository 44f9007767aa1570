/**
 * Token arithmetic shared by planning and dispatch, so that what the planner packs is exactly what the
 * dispatcher reserves: the request's input by the contract's estimate, the output cap, and the
 * per-batch budget every batch must fit so that it can always be admitted.
 */
import { estimateInputTokens, estimateTokens, FINDINGS_TOOL_SPEC, renderBatchPrompt, renderFile, SYSTEM_PROMPT } from '../contract';
import type { ModelConfig } from '../config/types';
import type { PromptFile } from '../contract';

/** The tool spec travels with every request and is charged as input. */
const TOOL_SPEC_TEXT = JSON.stringify(FINDINGS_TOOL_SPEC);

/** Context window assumed when a model's config does not say. */
export const DEFAULT_CONTEXT_TOKENS = 128_000;
/** Output cap ceiling when a model's config does not say. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4_096;
/** Output caps below this truncate even a short list of findings. */
export const MIN_OUTPUT_TOKENS = 512;
/** First guess of output tokens per input token, before any output was observed. */
export const INITIAL_OUTPUT_RATIO = 0.15;
export const OUTPUT_BASE_TOKENS = 256;

/** Input tokens of a whole request, exactly as the dispatcher will send it. */
export function estimateRequestTokens(files: readonly PromptFile[], system = SYSTEM_PROMPT, instructions?: string): number {
  return estimatePromptTokens(system, renderBatchPrompt(files, instructions));
}

/** Input tokens of a request with this system prompt and user message (and the findings tool). */
export function estimatePromptTokens(system: string, prompt: string): number {
  return estimateInputTokens([system, prompt, TOOL_SPEC_TEXT]);
}

/** What one file adds to a request (a slight overestimate: each part rounds up on its own). */
export function fileTokens(file: PromptFile): number {
  return estimateTokens(renderFile(file)) + 1;
}

/** What a request costs before any file: system prompt, intro line, tool spec. */
export function overheadTokens(system = SYSTEM_PROMPT, instructions?: string): number {
  return estimateRequestTokens([], system, instructions);
}

export function maxOutputCap(model: ModelConfig): number {
  return model.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
}

/** The output cap for a batch of `inputTokens` before anything was learned. */
export function initialOutputCap(inputTokens: number, model: ModelConfig): number {
  const wanted = Math.ceil(inputTokens * INITIAL_OUTPUT_RATIO) + OUTPUT_BASE_TOKENS;
  return Math.min(maxOutputCap(model), Math.max(MIN_OUTPUT_TOKENS, wanted));
}

/**
 * Largest reservation (input + output cap) of one batch: within the context window and at most half
 * the per-minute quota, so a batch is always admissible and two can run in one minute.
 */
export function batchTokenBudget(model: ModelConfig): number {
  return Math.floor(Math.min(model.contextTokens ?? DEFAULT_CONTEXT_TOKENS, model.tokensPerMinute / 2));
}

/** Largest input whose reservation (input + initial output cap) fits the batch budget. */
export function maxBatchInputTokens(model: ModelConfig): number {
  const budget = batchTokenBudget(model);
  let lo = 0;
  let hi = budget;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (mid + initialOutputCap(mid, model) <= budget) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Whether a batch of this size and input fits `model`'s limits (for spillover and fallback). */
export function batchFits(bytes: number, inputTokens: number, model: ModelConfig): boolean {
  return bytes <= model.maxKbPerBatch * 1024 && inputTokens <= maxBatchInputTokens(model);
}
