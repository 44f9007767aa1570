/**
 * What a call's result (call.ts, already charged and settled) leads to for its batch: an answer ends
 * it, or — stopped at max_tokens with room to grow — asks again with the larger cap; a failure is
 * read by failure.ts and its step carried out here (fail, fall back, or retry after a backoff).
 */
import type { Clock } from '../clock';
import type { ModelMetrics } from '../metrics/collector';
import { codeOfErrorKind } from '../outcome';
import type { ProviderError } from '../providers/provider';
import type { CallResult } from './call';
import { afterFailure, MAX_ATTEMPTS, type FailureContext } from './failure';
import type { Job } from './job';
import type { ModelQueue } from './modelQueue';
import type { Outcomes } from './outcomes';

export interface AfterCallHost {
  readonly clock: Clock;
  readonly outcomes: Outcomes;
  readonly failure: FailureContext;
  metricsOf(modelId: string): ModelMetrics;
  enqueue(job: Job, modelId: string): void;
}

/** The batch's next step after one call of it on `q` with output cap `cap`. */
export function afterCall(h: AfterCallHost, job: Job, q: ModelQueue, cap: number, result: CallResult): void {
  if (result.kind === 'error') return failed(h, job, q, result.error);
  answered(h, job, q, cap, result);
}

function answered(h: AfterCallHost, job: Job, q: ModelQueue, cap: number, result: Extract<CallResult, { kind: 'answered' }>): void {
  const { inputTokens, outputTokens } = result;
  if (result.truncated && !job.done) {
    const bigger = result.biggerCap!;
    if (bigger > cap && job.attempts < MAX_ATTEMPTS) {
      job.capOverride = { model: q.id, cap: bigger };
      h.metricsOf(q.id).retries++;
      h.outcomes.record(job, q.id, 'retried', `output reached maxTokens ${cap}: retry with ${bigger}`, inputTokens, outputTokens);
      return h.enqueue(job, q.id);
    }
    job.reasons.push(`output truncated at ${q.id}'s largest cap (${cap} tokens)`);
  }
  h.outcomes.record(job, q.id, 'ok', job.reasons.at(-1) ?? '', inputTokens, outputTokens);
  h.outcomes.end(job, { status: 'ok', model: q.id, response: result.response });
}

function failed(h: AfterCallHost, job: Job, q: ModelQueue, error: ProviderError): void {
  if (job.done) return;
  const next = afterFailure(h.failure, job, q, error);
  if ('cancelled' in next) return h.outcomes.end(job, { status: 'cancelled', reason: 'cancelled', model: q.id });
  const { step } = next;
  error = next.error;
  h.outcomes.record(job, q.id, step.kind === 'fail' ? 'failed' : error.kind === 'throttled' ? 'throttled' : 'retried', step.reason, 0, 0);
  if (step.kind === 'fail') return h.outcomes.end(job, { status: 'failed', reason: step.reason, model: q.id, code: codeOfErrorKind(error.kind, error.code, error.httpStatus) });
  if (step.kind === 'fallback') {
    h.outcomes.move(job, 'fallback', q.id, step.to, step.reason);
    return h.enqueue(job, step.to);
  }
  job.reasons.push(step.reason);
  h.metricsOf(q.id).retries++;
  if (step.delayMs <= 0) return h.enqueue(job, q.id);
  const backoff = new AbortController();
  job.backoff = backoff;
  h.clock.sleep(step.delayMs, backoff.signal).then(
    () => {
      job.backoff = undefined;
      h.enqueue(job, q.id);
    },
    () => {},
  );
}
