/**
 * What a finished call is charged. Bedrock charges the tokens it reports, and so do we — unless the
 * report cannot be true: usage missing, not a count, negative, zero input for a prompt we know is not
 * empty, output above the cap we set, or input far from what we sent. A confused model or a gateway
 * in between then must not make a call free (or negative) for the quota window and the run's budget:
 * the call is charged its reservation, the estimate of its input plus its output cap, and the
 * response says so.
 */
import type { ModelResponse, TokenUsage } from '../providers/provider';

/**
 * Reported input below 1/10 or above 10× our estimate is not this request's. The estimate (4 bytes
 * a token, see contract/tokens.ts) is within about 2× of real tokenizers on code, so honest counts
 * sit far inside this band while 0, 1 or 16,000,000 fall outside it.
 */
export const INPUT_PLAUSIBLE_FACTOR = 10;

export interface ChargedUsage {
  usage: TokenUsage;
  /** Why the reported usage was not used; absent when it was. */
  estimated?: string;
}

const isCount = (n: number | undefined): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

function implausible(reported: ModelResponse['usage'] | undefined, estInput: number, cap: number): string | undefined {
  if (!reported || (reported.inputTokens === undefined && reported.outputTokens === undefined)) return 'usage missing';
  const { inputTokens, outputTokens } = reported;
  if (!isCount(inputTokens)) return inputTokens === undefined ? 'input token count missing' : 'input token count not a non-negative integer';
  if (!isCount(outputTokens)) return outputTokens === undefined ? 'output token count missing' : 'output token count not a non-negative integer';
  if (estInput > 0 && inputTokens === 0) return 'zero input tokens for a non-empty prompt';
  if (inputTokens * INPUT_PLAUSIBLE_FACTOR < estInput || inputTokens > estInput * INPUT_PLAUSIBLE_FACTOR) {
    return `input of ${inputTokens} tokens is implausible for a request estimated at ${estInput}`;
  }
  if (outputTokens > cap) return `output of ${outputTokens} tokens is above the cap of ${cap}`;
  return undefined;
}

/** The usage to charge for a call whose input was estimated at `estInput` and whose cap was `cap`. */
export function chargedUsage(reported: ModelResponse['usage'] | undefined, estInput: number, cap: number): ChargedUsage {
  const why = implausible(reported, estInput, cap);
  if (why) return { usage: { inputTokens: estInput, outputTokens: cap }, estimated: `${why}: charged the reservation (${estInput} + ${cap} tokens)` };
  const usage: TokenUsage = { inputTokens: reported!.inputTokens!, outputTokens: reported!.outputTokens! };
  // Cache counts ride along only when plausible (bedrock.ts keeps positive integers only).
  if (isCount(reported!.cacheReadInputTokens)) usage.cacheReadInputTokens = reported!.cacheReadInputTokens;
  if (isCount(reported!.cacheWriteInputTokens)) usage.cacheWriteInputTokens = reported!.cacheWriteInputTokens;
  return { usage };
}
