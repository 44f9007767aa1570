/**
 * Where a batch should run, by estimates over the per-model queues: how long each model would take to
 * finish it (tokens ahead of it beyond the window's free room, drained at the effective quota, plus
 * the model's median latency), whether it fits a model's limits, and the output cap it would get.
 * The dispatcher asks; the router never moves anything itself.
 */
import type { ModelMetrics } from '../metrics/collector';
import { batchFits, outputCapWithinLimit } from './limits';
import { outputBurndownOf, TokenCalibration } from './calibration';
import type { Job } from './job';
import type { ModelQueue } from './modelQueue';

/** A move must win at least this much (emulated ms) to be worth it; avoids flapping on noise. */
export const SPILL_MARGIN_MS = 2_000;
/**
 * A refused job's input is reserved this much higher on its retries. At small quotas most throttles
 * are a call the service counted a few % above the calibrated estimate, sent into a window packed to
 * the limit, and the same call sent into the same packed window was refused again (one run in three,
 * measured: 4,214 tokens counted where ~4,070 were reserved, refused twice within a second).
 */
export const RETRY_INPUT_SPREAD = 1.05;
/** Latency assumed for a model before any call finished. */
const DEFAULT_LATENCY_MS = 5_000;

export type Faster = { to: string; stay: number; finish: number } | { tooLarge: string } | undefined;

export class Router {
  /** Per model: reported / estimated input tokens, learned from answers (calibration.ts). */
  private readonly calibrations = new Map<string, TokenCalibration>();

  constructor(
    private readonly queues: ReadonlyMap<string, ModelQueue>,
    private readonly metrics: ReadonlyMap<string, ModelMetrics>,
    private readonly retryBudget: number,
    /** Token ratio before a model's first answer (calibration.ts). */
    private readonly priorRatio = 1,
  ) {}

  enabled(): ModelQueue[] {
    return [...this.queues.values()].filter((q) => !q.disabledReason);
  }

  calibrationOf(modelId: string): TokenCalibration {
    let c = this.calibrations.get(modelId);
    if (!c) this.calibrations.set(modelId, (c = new TokenCalibration(this.priorRatio)));
    return c;
  }

  /** The job's input as this model's tokenizer will count it: the estimate times the learned ratio. */
  inputOf(job: Job, q: ModelQueue): number {
    return this.inputFor(job.input, q);
  }

  /** An input estimate as this model counts it. */
  inputFor(estimate: number, q: ModelQueue): number {
    return this.calibrationOf(q.id).apply(estimate);
  }

  /** Output cap of this job on this model (its own tokens): learned, within the model's batch limit when possible. */
  capOf(job: Job, q: ModelQueue): number {
    if (job.capOverride?.model === q.id) return job.capOverride.cap;
    return this.capFor(job.input, q, job.batch.files.length);
  }

  /** Output cap of a request of this input estimate (and number of files) on this model, before any truncation. */
  capFor(estimate: number, q: ModelQueue, files = 1): number {
    const input = this.inputFor(estimate, q);
    const learned = q.outputCap.capFor(input, files);
    return outputCapWithinLimit(learned, input, q.model);
  }

  /**
   * What the service reserves for the call: input as it counts it, plus its output part (outputPartOf);
   * for a job the service refused before, the input with RETRY_INPUT_SPREAD more.
   */
  needOf(job: Job, q: ModelQueue): number {
    const input = this.inputOf(job, q);
    return (job.throttles > 0 ? Math.ceil(input * RETRY_INPUT_SPREAD) : input) + this.outputPartOf(job, q);
  }

  /** Of needOf, the output cap times the burndown rate: what the call's answer usually gives back. */
  outputPartOf(job: Job, q: ModelQueue): number {
    return Math.ceil(this.capOf(job, q) * outputBurndownOf(q.model));
  }

  /** What a request of this input estimate would reserve on this model (a piece of a batch, split.ts). */
  needFor(estimate: number, q: ModelQueue, files = 1): number {
    return this.inputFor(estimate, q) + Math.ceil(this.capFor(estimate, q, files) * outputBurndownOf(q.model));
  }

  finishEstimate(job: Job, q: ModelQueue): number {
    return this.finishFor(job.batch.lane, this.needOf(job, q), q);
  }

  /** Emulated ms until a request reserving `need` in `lane` would be answered by this model. */
  finishFor(lane: Job['batch']['lane'], need: number, q: ModelQueue): number {
    const m = this.metrics.get(q.id)!;
    const latency = m.hasLatency ? m.latencyPercentile(50) : DEFAULT_LATENCY_MS;
    return q.estimateWaitMs(lane, need) + latency;
  }

  /** Whether a request of these bytes and input estimate fits this model's per-batch limits. */
  fits(bytes: number, estimate: number, q: ModelQueue): boolean {
    return batchFits(bytes, this.inputFor(estimate, q), q.model);
  }

  /** Whether the job can run on q at all: enabled, within its limits, retries left there. */
  canTake(job: Job, q: ModelQueue): boolean {
    return !q.disabledReason && batchFits(job.bytes, this.inputOf(job, q), q.model) && (job.transient.get(q.id) ?? 0) <= this.retryBudget;
  }

  /** The best other model that can take the job (and, if asked, start it right now). */
  alternative(job: Job, exclude: string, needCapacity: boolean): string | undefined {
    let best: { id: string; finish: number } | undefined;
    for (const q of this.enabled()) {
      if (q.id === exclude || !this.canTake(job, q)) continue;
      if (needCapacity && !q.canStartNow(this.needOf(job, q), job.batch.lane)) continue;
      const finish = this.finishEstimate(job, q);
      if (!best || finish < best.finish) best = { id: q.id, finish };
    }
    return best?.id;
  }

  /**
   * Another model that would finish the job more than SPILL_MARGIN_MS sooner than `from`, or the
   * first such model it is too large for (so the decision not to move can be explained).
   */
  fasterElsewhere(job: Job, from: ModelQueue): Faster {
    const stay = this.finishEstimate(job, from);
    let best: { to: string; stay: number; finish: number } | undefined;
    let tooLarge: string | undefined;
    for (const q of this.enabled()) {
      if (q === from) continue;
      const finish = this.finishEstimate(job, q);
      if (finish + SPILL_MARGIN_MS >= stay) continue;
      if (!this.canTake(job, q)) tooLarge ??= q.id;
      else if (!best || finish < best.finish) best = { to: q.id, stay, finish };
    }
    return best ?? (tooLarge ? { tooLarge } : undefined);
  }
}
