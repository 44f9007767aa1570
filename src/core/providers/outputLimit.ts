/**
 * Reading an output limit out of a ValidationException. Bedrock refuses a `maxTokens` above the
 * model's limit with a message that names it — "The maximum tokens you requested exceeds the model
 * limit of 4096. Try again with a maximum tokens value that is lower than 4096." (reported in
 * langgenius/dify#10390 and charmbracelet/crush#946) — and some models phrase it as a schema check
 * ("max_tokens … must be less than or equal to 5000"). The provider clamps to the named limit and
 * retries once, so a stale table in config/defaults.ts costs one refused call, not a failed batch.
 */

// The message must be about the output cap, not the input: "prompt is too long: 200049 tokens >
// 200000 maximum" is a ValidationException too, and clamping maxTokens would not help it.
const ABOUT_OUTPUT_CAP = /\bmax(?:imum)?[ _-]?(?:new[ _-]?)?(?:output[ _-]?)?tokens?\b|\bmaxTokens\b|\bmax_gen_len\b/i;
const NAMED_LIMIT = [
  /\bmodel limit of (\d+)/i,
  /\bless than or equal to (\d+)/i,
  /<=\s*(\d+)/,
  /\b(?:at most|no more than|not exceed) (\d+)/i,
  /\bmaximum (?:allowed )?(?:value )?(?:is|of) (\d+)/i,
];

/** The output limit a ValidationException message names, or undefined when it names none. */
export function outputLimitIn(message: string): number | undefined {
  if (!ABOUT_OUTPUT_CAP.test(message)) return undefined;
  for (const pattern of NAMED_LIMIT) {
    const n = Number(pattern.exec(message)?.[1]);
    if (Number.isSafeInteger(n) && n > 0) return n;
  }
  return undefined;
}
