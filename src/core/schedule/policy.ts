/**
 * What to do with a batch after a failed call: the fallback policy, as one pure function.
 * - throttled: another model that can take it now, else back behind this model's limiter (the model
 *   cools down and its learned quota drops); never dropped, only failed after `maxThrottles` throttles.
 * - transient: jittered backoff on the same model within the per-model retry budget, then another
 *   model, then failed with the reason.
 * - connections (503 "Too many connections"): like a throttle for the batch (another model that can
 *   take it now, else back on this one after a short jittered pause; the dispatcher has halved the
 *   model's concurrency), bounded by `maxThrottles`; the learned quota is not cut.
 * - model-unavailable, daily-quota, unreachable: another model, else failed (the dispatcher has
 *   taken the model out of the run, so it is never retried there).
 * - quota-exceeded: another model, else failed with the message; not retried on this model.
 * - credentials, invalid-request: failed; retrying cannot help.
 */
import type { ProviderError } from '../providers/provider';
import { backoffMs } from './backoff';

export type NextStep =
  | { kind: 'retry'; delayMs: number; reason: string }
  | { kind: 'fallback'; to: string; reason: string }
  | { kind: 'fail'; reason: string };

export interface FailureContext {
  error: ProviderError;
  model: string;
  /** Throttles this batch has met so far (this one included). */
  throttles: number;
  maxThrottles: number;
  /** Transient failures of this batch on this model (this one included). */
  transientOnModel: number;
  /** Retries on one model before moving on. */
  retryBudget: number;
  /** An enabled model, not this one, that fits the batch and could start it now. */
  withCapacity?: string;
  /** An enabled model, not this one, that fits the batch and where it has not exhausted its retries. */
  other?: string;
  random: () => number;
}

export function nextStep(c: FailureContext): NextStep {
  const what = `${c.error.code} on ${c.model}`;
  switch (c.error.kind) {
    case 'throttled':
      if (c.throttles > c.maxThrottles) return { kind: 'fail', reason: `throttled ${c.throttles} times, last ${what}` };
      if (c.withCapacity) return { kind: 'fallback', to: c.withCapacity, reason: `fallback after ${what}` };
      return { kind: 'retry', delayMs: 0, reason: `${what}: back behind its limiter` };
    case 'transient':
      if (c.transientOnModel <= c.retryBudget) {
        const delayMs = backoffMs(c.transientOnModel - 1, c.random);
        return { kind: 'retry', delayMs, reason: `${what}: retry ${c.transientOnModel} of ${c.retryBudget} in ${Math.round(delayMs)} ms` };
      }
      if (c.other) return { kind: 'fallback', to: c.other, reason: `fallback after ${c.transientOnModel} × ${what}` };
      return { kind: 'fail', reason: `${c.error.message} (after ${c.transientOnModel} attempts on ${c.model}, no other model left)` };
    case 'connections':
      if (c.throttles > c.maxThrottles) return { kind: 'fail', reason: `refused ${c.throttles} times, last ${what}: ${c.error.message}` };
      if (c.withCapacity) return { kind: 'fallback', to: c.withCapacity, reason: `fallback after ${what} (too many connections)` };
      return { kind: 'retry', delayMs: backoffMs(c.throttles - 1, c.random, 500, 10_000), reason: `${what}: too many connections, retry with fewer calls in flight` };
    case 'model-unavailable':
      if (c.other) return { kind: 'fallback', to: c.other, reason: `fallback: ${c.model} unavailable (${c.error.code})` };
      return { kind: 'fail', reason: c.error.message };
    case 'daily-quota':
      if (c.other) return { kind: 'fallback', to: c.other, reason: `fallback: ${c.model}'s daily token quota is used up` };
      return { kind: 'fail', reason: c.error.message };
    case 'unreachable':
      if (c.other) return { kind: 'fallback', to: c.other, reason: `fallback: ${c.model} did not answer (${c.error.code})` };
      return { kind: 'fail', reason: c.error.message };
    case 'quota-exceeded':
      if (c.other) return { kind: 'fallback', to: c.other, reason: `fallback after ${what}` };
      return { kind: 'fail', reason: c.error.message };
    case 'credentials':
    case 'invalid-request':
    case 'aborted':
      return { kind: 'fail', reason: c.error.message };
  }
}
