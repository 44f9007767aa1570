/**
 * What a request costs in input tokens, by the contract's estimate, so that what the planner packs is
 * exactly what the dispatcher reserves (and what the emulator charges). The per-model limits a batch
 * must fit (KB, token budget and hard limit, output cap) live in schedule/limits.ts, shared by the
 * planner and the scheduler; they are re-exported here for plan/'s callers.
 */
import { estimateInputTokens, estimateTokens, FINDINGS_TOOL_SPEC, renderBatchPrompt, renderFile, SYSTEM_PROMPT } from '../contract';
import type { PromptFile } from '../contract';

export {
  BATCH_QUOTA_SHARE, batchByteLimit, batchFits, batchTokenBudget, batchTokenLimit, DEFAULT_CONTEXT_TOKENS, DEFAULT_MAX_OUTPUT_TOKENS,
  INITIAL_OUTPUT_RATIO, initialOutputCap, MIN_BATCH_BUDGET_TOKENS, MIN_OUTPUT_TOKENS, maxBatchInputTokens, maxOutputCap, OUTPUT_BASE_TOKENS,
} from '../schedule/limits';

/** The tool spec travels with every request and is charged as input. */
const TOOL_SPEC_TEXT = JSON.stringify(FINDINGS_TOOL_SPEC);

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
