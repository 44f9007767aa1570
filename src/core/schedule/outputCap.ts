/**
 * The output cap (`maxTokens`) of each call. Bedrock reserves input + maxTokens against the quota
 * while a call runs, so a generous cap silently cuts how many calls fit in a minute; a tight one
 * truncates findings. Start from a guess proportional to the input, then learn from what the model
 * really wrote: the cap follows the largest recent output (and output/input ratio) with headroom.
 */
import type { ModelConfig } from '../config/types';
import { initialOutputCap, maxOutputCap, OUTPUT_BASE_TOKENS, MIN_OUTPUT_TOKENS } from '../plan/estimate';

const SAMPLES = 20;
// One observation is enough to leave the first guess: a model's verbosity is far more alike from
// call to call than the guess is to it.
const MIN_SAMPLES = 1;
const HEADROOM = 1.25;
/**
 * The ratio term learns only from calls at least this share of the input being capped: a short
 * piece's few findings over a few lines make a high ratio that says little about a batch four times
 * its size (measured, small-quota bench: that ratio set ~100 of the ~540-token mean cap on 2.2k-token
 * calls whose answers averaged 38 tokens). Smaller calls still count through the largest output.
 */
const COMPARABLE_INPUT_SHARE = 0.5;
/**
 * Added headroom once SAMPLES answers were seen (less is added while fewer were: baseTokens). The
 * first guess adds OUTPUT_BASE_TOKENS to a ratio that is a guess; after that the largest recent output
 * and ratio are known, each with 25 % headroom, and a truncated answer is retried with twice the cap,
 * so a quarter of it is enough: the rest was reserved by every call for nothing, room that at a few
 * thousand tokens a minute keeps the next call out.
 */
export const LEARNED_BASE_TOKENS = OUTPUT_BASE_TOKENS / 4;
/**
 * Output tokens per input token of a model's first calls, before any answer: more than the planner's
 * INITIAL_OUTPUT_RATIO (which sizes batches). Real models write far more than the emulator (a 9-file
 * Llama batch of 1,353 tokens needed 548, measured outside-in at real time, small quotas), and a
 * truncated first call is retried with twice the cap, which at a few thousand tokens a minute waits
 * for the next window. Quota probing sends a model's first calls a probe span apart, so only the one
 * or two before the first answer carry it; after that the cap follows what the model wrote.
 */
export const FIRST_CALL_OUTPUT_RATIO = 0.5;

export class OutputCapLearner {
  /** Input, output (doubled when truncated) and files (FILE blocks) of the last SAMPLES calls. */
  private seen: { input: number; output: number; files: number }[] = [];

  constructor(private readonly model: ModelConfig) {}

  get ceiling(): number {
    return maxOutputCap(this.model);
  }

  /**
   * Before any answer: FIRST_CALL_OUTPUT_RATIO of the input (never below the planner's first guess).
   * After: what the model was seen to write — the largest recent output, the mean output per file
   * times this call's files, and the largest ratio of calls of comparable input (of any call while
   * none is comparable), each with headroom, plus
   * LEARNED_BASE_TOKENS — without the first guess's floor. The floor reserved ~490 tokens of nothing
   * per call where answers are short (measured, small-quota bench: outputs of 20–40 tokens under caps
   * of 512–584, a fifth to a third of each reservation), and at quotas of a few thousand tokens a
   * minute that excess is what keeps the next call out of the window. A longer answer that truncates
   * is retried with twice the cap and counts double here (`observe`).
   */
  capFor(inputTokens: number, files = 1): number {
    if (this.seen.length < MIN_SAMPLES) return Math.min(this.ceiling, Math.max(initialOutputCap(inputTokens, this.model), Math.ceil(inputTokens * FIRST_CALL_OUTPUT_RATIO) + OUTPUT_BASE_TOKENS));
    const comparable = this.seen.filter((s) => s.input >= inputTokens * COMPARABLE_INPUT_SHARE);
    // None that large yet (a burst's first answers may be its small calls): every ratio seen, as before.
    const ratio = Math.max(...(comparable.length > 0 ? comparable : this.seen).map((s) => s.output / s.input)) * HEADROOM;
    const longest = Math.max(...this.seen.map((s) => s.output)) * HEADROOM;
    // Findings come per file: a 19-file batch after one-file answers needs more than the longest of
    // them. Its answer sums its files' (the mean per file, times its files); one file far above the
    // mean is what `longest` covers.
    const perFile = (this.seen.reduce((sum, s) => sum + s.output / s.files, 0) / this.seen.length) * files * HEADROOM;
    const wanted = Math.ceil(Math.max(inputTokens * ratio, longest, perFile)) + this.baseTokens();
    return Math.min(this.ceiling, wanted);
  }

  /**
   * Headroom added to what was seen: OUTPUT_BASE_TOKENS after one answer, down to LEARNED_BASE_TOKENS
   * once SAMPLES were seen. The largest of two answers says little about the next (answers of 6 and
   * 6 tokens, then one of 80 truncated at 72: a whole call charged again); the largest of twenty is
   * about their 95th percentile.
   */
  private baseTokens(): number {
    return Math.max(LEARNED_BASE_TOKENS, Math.round(OUTPUT_BASE_TOKENS * (1 - this.seen.length / SAMPLES)));
  }

  /** Records a finished call; a truncated one says the ratio is at least what it used, likely more. */
  observe(inputTokens: number, outputTokens: number, truncated: boolean, files = 1): void {
    if (inputTokens <= 0) return;
    this.seen.push({ input: inputTokens, output: outputTokens * (truncated ? 2 : 1), files: Math.max(1, files) });
    if (this.seen.length > SAMPLES) this.seen.shift();
  }

  /** The next cap to try after `cap` truncated the output; equal to `cap` when already at the ceiling. */
  grow(cap: number): number {
    return Math.min(this.ceiling, Math.max(cap * 2, MIN_OUTPUT_TOKENS));
  }
}
