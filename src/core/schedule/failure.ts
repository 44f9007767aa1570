/**
 * What a failed call leads to (the call stage settled the window for it already): the error read in
 * the light of what the model did before, counted, models that must leave told to (leaving.ts), and
 * the next step decided (policy.ts nextStep). The dispatcher carries the step out.
 */
import type { ModelMetrics } from '../metrics/collector';
import { codeOfErrorKind } from '../outcome';
import { ProviderError } from '../providers/provider';
import type { Job } from './job';
import type { Departures } from './leaving';
import type { ModelQueue } from './modelQueue';
import { nextStep, type NextStep } from './policy';
import type { Router } from './router';
import type { DispatcherEvent } from './types';

/** Hard stop on attempts per batch, whatever the policy says. */
export const MAX_ATTEMPTS = 40;

export interface FailureContext {
  readonly router: Router;
  readonly departures: Departures;
  readonly maxThrottles: number;
  readonly retryBudget: number;
  readonly random: () => number;
  metricsOf(modelId: string): ModelMetrics;
  emit(event: DispatcherEvent): void;
  /** After a throttle: a model that would finish the batch sooner than waiting out this one's cooldown. */
  fasterTarget(job: Job, q: ModelQueue): string | undefined;
}

/** `cancelled`: the batch's own signal ended the call. Otherwise the error as it counts and the step it leads to. */
export function afterFailure(h: FailureContext, job: Job, q: ModelQueue, error: ProviderError): { cancelled: true } | { error: ProviderError; step: NextStep } {
  const m = h.metricsOf(q.id);
  if (error.kind === 'aborted') {
    if (job.signal?.aborted) return { cancelled: true };
    error = new ProviderError('transient', error.code, error.message, error.httpStatus);
  }
  // No answer from a model that did answer before is a passing network problem: retried as usual.
  if (error.kind === 'unreachable' && q.answered) error = new ProviderError('transient', error.code, error.message, error.httpStatus);
  if (error.kind === 'connections') job.throttles++;
  if (error.kind === 'throttled') {
    m.throttles++;
    job.throttles++;
    h.emit({ type: 'throttled', batchId: job.batch.id, model: q.id });
  } else {
    m.errors++;
  }
  if (error.kind === 'transient') job.transient.set(q.id, (job.transient.get(q.id) ?? 0) + 1);
  if (error.kind === 'model-unavailable' || error.kind === 'daily-quota') h.departures.disableModel(q.id, error.message, codeOfErrorKind(error.kind, error.code, error.httpStatus));
  if (error.kind === 'unreachable') error = h.departures.leaveUnanswered(q, error);
  if (error.kind === 'credentials') h.departures.disableAll(error.message, codeOfErrorKind(error.kind, error.code, error.httpStatus));
  const step: NextStep =
    job.attempts >= MAX_ATTEMPTS
      ? { kind: 'fail', reason: `gave up after ${job.attempts} attempts: ${error.message}` }
      : nextStep({
          error, model: q.id, throttles: job.throttles, maxThrottles: h.maxThrottles,
          transientOnModel: job.transient.get(q.id) ?? 0, retryBudget: h.retryBudget,
          withCapacity: error.kind === 'throttled' || error.kind === 'connections' ? h.router.alternative(job, q.id, true) ?? h.fasterTarget(job, q) : undefined,
          other: h.router.alternative(job, q.id, false), random: h.random,
        });
  return { error, step };
}
