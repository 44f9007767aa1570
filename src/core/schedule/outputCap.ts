/**
 * The output cap (`maxTokens`) of each call. Bedrock reserves input + maxTokens against the quota
 * while a call runs, so a generous cap silently cuts how many calls fit in a minute; a tight one
 * truncates findings. Start from a guess proportional to the input, then learn from what the model
 * really wrote: the cap follows the largest recent output/input ratio with headroom.
 */
import type { ModelConfig } from '../config/types';
import { initialOutputCap, maxOutputCap, MIN_OUTPUT_TOKENS, OUTPUT_BASE_TOKENS } from '../plan/estimate';

const SAMPLES = 20;
// One observation is enough to leave the first guess: a model's verbosity is far more alike from
// call to call than the guess is to it.
const MIN_SAMPLES = 1;
const HEADROOM = 1.25;

export class OutputCapLearner {
  private ratios: number[] = [];
  /** Output tokens of the same calls (an answer's length does not only scale with its input). */
  private outputs: number[] = [];

  constructor(private readonly model: ModelConfig) {}

  get ceiling(): number {
    return maxOutputCap(this.model);
  }

  /**
   * Before any answer: the first guess, at least MIN_OUTPUT_TOKENS. After: what the model was seen to
   * write — the largest recent ratio and the largest recent output, each with headroom, plus
   * OUTPUT_BASE_TOKENS — without the first guess's floor. The floor reserved ~490 tokens of nothing
   * per call where answers are short (measured, small-quota bench: outputs of 20–40 tokens under caps
   * of 512–584, a fifth to a third of each reservation), and at quotas of a few thousand tokens a
   * minute that excess is what keeps the next call out of the window. A longer answer that
   * truncates is retried with twice the cap and counts double here (`observe`).
   */
  capFor(inputTokens: number): number {
    if (this.ratios.length < MIN_SAMPLES) return initialOutputCap(inputTokens, this.model);
    const ratio = Math.max(...this.ratios) * HEADROOM;
    const wanted = Math.max(Math.ceil(inputTokens * ratio), Math.ceil(Math.max(...this.outputs) * HEADROOM)) + OUTPUT_BASE_TOKENS;
    return Math.min(this.ceiling, wanted);
  }

  /** Records a finished call; a truncated one says the ratio is at least what it used, likely more. */
  observe(inputTokens: number, outputTokens: number, truncated: boolean): void {
    if (inputTokens <= 0) return;
    const written = outputTokens * (truncated ? 2 : 1);
    this.ratios.push(written / inputTokens);
    this.outputs.push(written);
    if (this.ratios.length > SAMPLES) this.ratios.shift();
    if (this.outputs.length > SAMPLES) this.outputs.shift();
  }

  /** The next cap to try after `cap` truncated the output; equal to `cap` when already at the ceiling. */
  grow(cap: number): number {
    return Math.min(this.ceiling, Math.max(cap * 2, MIN_OUTPUT_TOKENS));
  }
}
