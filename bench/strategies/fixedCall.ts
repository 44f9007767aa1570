/**
 * One model call the way the seed's `processWithModel` (and a typical router client) makes it: the
 * batch rendered by the shared prompt contract, a *fixed* output cap, and no knowledge of quotas.
 *
 * FIXED_MAX_TOKENS = 4096: the seed sets no cap, and Bedrock's per-model defaults differ (Llama 3's
 * 2,048 would truncate a long findings list), so a client like the seed's picks one generous round
 * number that every model accepts (Nova Pro allows 10,000, Llama 3.3 8,192). Bedrock reserves
 * input + 4096 against the quota for every call: that is part of what the baseline pays.
 */
import type { BatchFile } from '../../src/core/plan/types';
import { renderBatchPrompt, SYSTEM_PROMPT } from '../../src/core/contract';
import { classifyError } from '../../src/core/providers/classify';
import type { ModelProvider, ModelResponse } from '../../src/core/providers/provider';
import { ProviderError } from '../../src/core/providers/provider';
import { defaultToolChoice } from '../../src/core/providers/toolChoice';
import type { SourceFile } from '../../src/core/types';

export const FIXED_MAX_TOKENS = 4096;

export type PromptSource = Pick<BatchFile, 'path' | 'text'> & { firstLine?: number };

export function asPromptFiles(paths: readonly string[], files: ReadonlyMap<string, SourceFile>): PromptSource[] {
  return paths.map((path) => {
    const file = files.get(path);
    if (!file) throw new Error(`bench: ${path} is in a group but not among the loaded files`);
    return { path, text: file.text };
  });
}

/** Calls `modelId` once; rejects with a classified ProviderError (kind `throttled` on a 429). */
export async function callWithFixedCap(providerFor: (id: string) => ModelProvider, modelId: string, files: readonly PromptSource[]): Promise<ModelResponse> {
  const request = {
    modelId,
    system: SYSTEM_PROMPT,
    prompt: renderBatchPrompt(files),
    maxTokens: FIXED_MAX_TOKENS,
    toolChoice: defaultToolChoice(modelId),
  };
  try {
    return await providerFor(modelId).converse(request, new AbortController().signal);
  } catch (err) {
    throw err instanceof ProviderError ? err : classifyError(err);
  }
}

export function isRateLimitError(err: unknown): boolean {
  return err instanceof ProviderError && err.kind === 'throttled';
}

export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
