/**
 * How the emulator counts tokens: NOT with the engine's estimator alone. Bedrock counts with each
 * model's own tokenizer, and the engine only estimates (4 UTF-8 bytes a token, contract/tokens.ts);
 * if the emulator charged that same estimate, every test would assume a perfect estimate and nothing
 * would exercise the engine's calibration (schedule/calibration.ts). So each model counts the
 * contract's estimate times its family's ratio (or the model's `tokenRatio`), on input and output.
 *
 * Family ratios (real tokens per estimated token on source code, where 4 / characters-per-token):
 * - Llama 3 (tiktoken-based, 128K vocabulary) compresses English prose to about 4 characters a token
 *   (Meta/DeepLearning.AI, "Introducing Multimodal Llama 3.2", tokenization lesson), but code runs at
 *   3–3.5 characters a token: about 4 / 3.3 ≈ 1.2.
 * - Nova: counted by Amazon Nova Lite's tokenizer, Python code ran at 3.4 characters a token
 *   (14,914 characters → 4,331 tokens), minified JavaScript at 2.2 (heuristicandrew.blogspot.com,
 *   2025, "Token counts for various documents"): 4 / 3.4 ≈ 1.2 for ordinary code.
 * - Anything else (Claude and others): the same post measured Claude 3 Haiku 7 % above Nova on the
 *   same Python (3.2 characters a token): 1.25.
 * These are defaults for tests and the benchmark (each model may set `tokenRatio`), not promises
 * about the real services; the engine learns whatever a service reports (calibration.ts).
 */
import { estimateInputTokens, estimateTokens } from '../core/contract';
import type { ModelFamily } from './config';

export const FAMILY_TOKEN_RATIOS: Record<ModelFamily['name'], number> = {
  'nova-pro': 1.2,
  'nova-lite': 1.2,
  'nova-micro': 1.2,
  llama3: 1.2,
  generic: 1.25,
};

/** Smallest and largest `tokenRatio` a config may set: beyond them no real tokenizer counts code. */
export const MIN_TOKEN_RATIO = 0.25;
export const MAX_TOKEN_RATIO = 4;

export function familyTokenRatio(family: ModelFamily['name']): number {
  return FAMILY_TOKEN_RATIOS[family];
}

/** Tokens this model counts for `text` (at least 1 for non-empty text, 0 for empty). */
export function countTokens(text: string, ratio: number): number {
  const estimate = estimateTokens(text);
  return estimate === 0 ? 0 : Math.max(1, Math.ceil(estimate * ratio));
}

/** Input tokens this model counts for a request made of these parts (system, messages, tool specs). */
export function countInputTokens(parts: readonly string[], ratio: number): number {
  return Math.ceil(estimateInputTokens(parts) * ratio);
}

/** Characters of text that make about `tokens` tokens for this model (where an answer is cut). */
export function charsForTokens(tokens: number, ratio: number): number {
  return Math.max(0, Math.floor((tokens * 4) / ratio) - 1);
}
