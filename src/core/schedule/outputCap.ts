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

  constructor(private readonly model: ModelConfig) {}

  get ceiling(): number {
    return maxOutputCap(this.model);
  }

  capFor(inputTokens: number): number {
    if (this.ratios.length < MIN_SAMPLES) return initialOutputCap(inputTokens, this.model);
    const ratio = Math.max(...this.ratios) * HEADROOM;
    const wanted = Math.ceil(inputTokens * ratio) + OUTPUT_BASE_TOKENS;
    return Math.min(this.ceiling, Math.max(MIN_OUTPUT_TOKENS, wanted));
  }

  /** Records a finished call; a truncated one says the ratio is at least what it used, likely more. */
  observe(inputTokens: number, outputTokens: number, truncated: boolean): void {
    if (inputTokens <= 0) return;
    const ratio = (outputTokens * (truncated ? 2 : 1)) / inputTokens;
    this.ratios.push(ratio);
    if (this.ratios.length > SAMPLES) this.ratios.shift();
  }

  /** The next cap to try after `cap` truncated the output; equal to `cap` when already at the ceiling. */
  grow(cap: number): number {
    return Math.min(this.ceiling, Math.max(cap * 2, MIN_OUTPUT_TOKENS));
  }
}
