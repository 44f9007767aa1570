/**
 * The one token estimate shared by the engine (to reserve quota before a call) and the emulator
 * (to charge a request). Real Bedrock tokenizers differ per model; what matters for scheduling is
 * that the estimate is deterministic and roughly right, because the scheduler settles every
 * reservation to the `usage` the model returns and learns from the difference.
 *
 * Rule: one token per 4 UTF-8 bytes, rounded up, plus 4 tokens of framing per message part.
 */
export const BYTES_PER_TOKEN = 4;
export const FRAMING_TOKENS_PER_PART = 4;

export function estimateTokens(text: string): number {
  if (text.length === 0) return 0;
  return Math.ceil(Buffer.byteLength(text, 'utf8') / BYTES_PER_TOKEN);
}

/** Input tokens of a request made of the given text parts (system prompt, messages, tool spec). */
export function estimateInputTokens(parts: readonly string[]): number {
  return parts.reduce((sum, part) => sum + estimateTokens(part) + FRAMING_TOKENS_PER_PART, 0);
}
