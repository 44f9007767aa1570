/**
 * How the emulator counts tokens: NOT with the engine's estimator. Bedrock counts with each model's
 * own tokenizer, and the engine only estimates (4 UTF-8 bytes a token, contract/tokens.ts); if the
 * emulator charged that same estimate, every test would assume a perfect estimate and nothing would
 * exercise the engine's calibration (schedule/calibration.ts) — nor the batch-to-batch variance a
 * real tokenizer has (minified code, long identifiers, non-ASCII comments, whitespace runs).
 *
 * By default a model counts with a real byte-pair encoding, cl100k (gpt-tokenizer), times its
 * family's scale:
 * - Llama 3's tokenizer is tiktoken-based: its first 100K merges are cl100k's, plus 28K more. Measured
 *   on this repository's src/ (271 files, 1.09 MB): llama3-tokenizer-js 273,901 tokens, cl100k 273,934
 *   — scale 1.0. Both are about 1.0× the engine's estimate on TypeScript (per file p10 0.91, p90 1.10),
 *   1.85× on minified JavaScript, 0.75× on Japanese comments.
 * - Nova: its tokenizer is not public. Amazon Nova Lite ran Python at 3.4 characters a token and
 *   minified JavaScript at 2.2 (heuristicandrew.blogspot.com, 2025, "Token counts for various
 *   documents"), somewhat more tokens than cl100k on the same text: scale 1.1 (an assumption).
 * - Anything else (Claude and others): the same post measured Claude 3 Haiku 7 % above Nova: 1.2.
 * A model that sets `tokenRatio` counts the estimate times that ratio instead: exact, for tests that
 * need to know what a request costs (and for skew workloads that want a fixed ratio).
 *
 * Counting is by line (each with its newline), cached: a codebase's lines repeat across batches, and
 * the encoding seldom merges across a newline (a blank line after punctuation), so the sum of the
 * lines is within 1 % of the whole text's count (+0.6 % on this repository's src/).
 */
import { decode, encode } from 'gpt-tokenizer/encoding/cl100k_base';
// The estimate is used only by the `tokenRatio` mode, on purpose: a fixed, known ratio to what the
// engine reserves. The default count below owes the engine nothing.
import { estimateInputTokens, estimateTokens } from '../core/contract/tokens';
import type { ModelFamily } from './config';

/** A model's tokens per cl100k token, by family (see above). */
export const FAMILY_BPE_SCALES: Record<ModelFamily['name'], number> = {
  'nova-pro': 1.1,
  'nova-lite': 1.1,
  'nova-micro': 1.1,
  llama3: 1,
  generic: 1.2,
};

/**
 * Tokens a chat template wraps around each message part, the emulator's own figure (not the engine's
 * estimate): Llama 3's template spends five — `<|start_header_id|>`, the role, `<|end_header_id|>`,
 * the blank line, `<|eot_id|>` (Meta's Llama 3 model card, prompt format); other families are taken alike.
 */
export const CHAT_FRAMING_TOKENS = 5;

/** Smallest and largest `tokenRatio` a config may set: beyond them no real tokenizer counts code. */
export const MIN_TOKEN_RATIO = 0.25;
export const MAX_TOKEN_RATIO = 4;

export function familyBpeScale(family: ModelFamily['name']): number {
  return FAMILY_BPE_SCALES[family];
}

/** How a model counts: a real encoding times a scale, or the engine's estimate times a fixed ratio. */
export interface TokenCounting {
  countWith: 'bpe' | 'estimate';
  /** The family's scale on the encoding, or the configured ratio on the estimate. */
  tokenRatio: number;
}

export interface Tokenizer {
  /** Tokens for `text` (at least 1 for non-empty text, 0 for empty). */
  count(text: string): number;
  /** Input tokens of a request made of these parts (system, messages, tool specs), with framing. */
  countParts(parts: readonly string[]): number;
  /** The longest prefix of `text` that is at most `tokens` tokens (where an answer is cut). */
  cut(text: string, tokens: number): string;
}

const LINE_CACHE_LIMIT = 200_000;
const lineCounts = new Map<string, number>();

function bpeLine(line: string): number {
  const known = lineCounts.get(line);
  if (known !== undefined) return known;
  const n = encode(line).length;
  if (lineCounts.size >= LINE_CACHE_LIMIT) lineCounts.clear();
  lineCounts.set(line, n);
  return n;
}

function bpeCount(text: string): number {
  let total = 0;
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf('\n', start);
    const stop = end < 0 ? text.length : end + 1;
    total += bpeLine(text.slice(start, stop));
    start = stop;
  }
  return total;
}

function scaled(raw: number, scale: number): number {
  return raw === 0 ? 0 : Math.max(1, Math.ceil(raw * scale));
}

function bpeTokenizer(scale: number): Tokenizer {
  const count = (text: string) => scaled(bpeCount(text), scale);
  return {
    count,
    countParts: (parts) => parts.reduce((sum, part) => sum + count(part) + CHAT_FRAMING_TOKENS, 0),
    cut(text, tokens) {
      if (count(text) <= tokens) return text;
      return decode(encode(text).slice(0, Math.max(0, Math.floor(tokens / scale))));
    },
  };
}

function estimateTokenizer(ratio: number): Tokenizer {
  const count = (text: string) => scaled(estimateTokens(text), ratio);
  return {
    count,
    countParts: (parts) => Math.ceil(estimateInputTokens(parts) * ratio),
    cut: (text, tokens) => (count(text) <= tokens ? text : text.slice(0, Math.max(0, Math.floor((tokens * 4) / ratio) - 1))),
  };
}

const tokenizers = new Map<string, Tokenizer>();

export function tokenizerOf(counting: TokenCounting): Tokenizer {
  const key = `${counting.countWith}:${counting.tokenRatio}`;
  let tokenizer = tokenizers.get(key);
  if (!tokenizer) {
    tokenizer = counting.countWith === 'bpe' ? bpeTokenizer(counting.tokenRatio) : estimateTokenizer(counting.tokenRatio);
    tokenizers.set(key, tokenizer);
  }
  return tokenizer;
}
