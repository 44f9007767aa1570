/**
 * The call stage: what happens to one batch on one model. The request built once (prompt, tool
 * choice, tier, cap), the timeout, the provider call, usage charged (usage.ts), the window settled
 * and restamped, calibration observed, the output cap observed and its growth decided. What the call
 * came to is handed back as data (CallResult); the dispatcher decides what comes next.
 */
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { ModelMetrics } from '../metrics/collector';
import { classifyError, neverConnected } from '../providers/classify';
import { ProviderError, type ChargedResponse, type ModelResponse, type ModelProvider } from '../providers/provider';
import { priceRatio, serviceTierFor } from '../providers/serviceTier';
import { defaultToolChoice } from '../providers/toolChoice';
import { raceAbort, type Job } from './job';
import type { ModelQueue } from './modelQueue';
import type { Reservation } from './quotaWindow';
import type { Router } from './router';
import type { DispatcherEvent } from './types';
import { outputBurndownOf, promptTokensOf, quotaChargeOf } from './calibration';
import { chargedUsage } from './usage';

export const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** What the call stage needs from the dispatcher that runs it. */
export interface CallContext {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly router: Router;
  readonly system: string;
  readonly requestTimeoutMs: number;
  readonly calibrate: boolean;
  readonly providerFor: (modelId: string) => ModelProvider;
  metricsOf(modelId: string): ModelMetrics;
  emit(event: DispatcherEvent): void;
}

/**
 * What one call came to. `answered`: charged and settled; `biggerCap` is set when the answer stopped
 * at max_tokens and the batch is still open (the grown cap; not larger than `cap` when it cannot grow).
 * `error`: the window is settled for it already; what comes next is the dispatcher's (failure.ts).
 */
export type CallResult =
  | { kind: 'answered'; response: ChargedResponse; inputTokens: number; outputTokens: number; truncated: boolean; biggerCap?: number }
  | { kind: 'error'; error: ProviderError; startedAt: number };

/**
 * Runs one call of `job` on `q` under `reservation` with output cap `cap`. `done` is told the result
 * at once, in the same turn as the call settled (the window's next admission follows the same order).
 */
export async function callModel(ctx: CallContext, job: Job, q: ModelQueue, reservation: Reservation, cap: number, done: (result: CallResult) => void): Promise<void> {
  const m = ctx.metricsOf(q.id);
  const call = new AbortController();
  const timer = new AbortController();
  job.call = call;
  job.attempts++;
  const started = ctx.clock.now();
  const onSent = () => q.window.restamp(reservation, ctx.clock.now());
  ctx.clock.sleep(ctx.requestTimeoutMs, timer.signal).then(
    () => call.abort(new ProviderError('unreachable', 'TimeoutError', `TimeoutError: no answer from ${q.id} within ${secs(ctx.requestTimeoutMs)}`)),
    () => {},
  );
  m.recordRequest(started);
  ctx.emit({ type: 'batch-started', batchId: job.batch.id, model: q.id, files: job.batch.files.map((f) => f.path), reason: job.reasons.at(-1) ?? '', attempt: job.attempts });
  const tier = serviceTierFor(q.model, job.batch.lane);
  const request = { modelId: q.id, system: ctx.system, prompt: job.prompt, maxTokens: cap, toolChoice: q.model.toolChoice ?? defaultToolChoice(q.id), onSent, ...(tier ? { serviceTier: tier } : {}) };
  let response: ModelResponse;
  try {
    response = await raceAbort(Promise.resolve().then(() => ctx.providerFor(q.id).converse(request, call.signal)), call.signal);
  } catch (err) {
    const reason: unknown = call.signal.aborted ? call.signal.reason : err;
    const error = reason instanceof ProviderError ? reason : classifyError(reason);
    settleFailed(ctx, job, q, reservation, error, started);
    return done({ kind: 'error', error, startedAt: started });
  } finally {
    timer.abort();
    job.call = undefined;
  }
  // Missing or implausible usage is charged at the reservation, here, for the window and the budget alike.
  // Against the input as this model counts it (calibrated), the same the reservation was made of.
  const charged = chargedUsage(response.usage, ctx.router.inputOf(job, q), cap);
  const { inputTokens, outputTokens } = charged.usage;
  if (charged.estimated) m.usageEstimated++;
  // Every answered call of the batch, those cut at max_tokens and asked again included: the budget's charge.
  job.answered = { inputTokens: (job.answered?.inputTokens ?? 0) + inputTokens, outputTokens: (job.answered?.outputTokens ?? 0) + outputTokens };
  const settledResponse: ChargedResponse = { ...response, usage: charged.usage, batchUsage: job.answered, toolChoice: response.toolChoice ?? request.toolChoice, ...(charged.estimated ? { usageEstimated: charged.estimated } : {}) };
  const now = ctx.clock.now();
  // The service counts this call from its arrival, at least `latencyMs` before its answer reached
  // us: our entry leaves the window when the service's does (QuotaWindow.restampAnswered).
  if (response.latencyMs > 0) q.window.restampAnswered(reservation, now - response.latencyMs);
  // Settled as Bedrock settles it (input + cache writes + output × burndown), and the estimate
  // calibrated from the service's own count, unless that count was not believable.
  q.finish(reservation, quotaChargeOf(charged.usage, outputBurndownOf(q.model)));
  if (!charged.estimated && ctx.calibrate) {
    const moved = ctx.router.calibrationOf(q.id).observe(job.input, promptTokensOf(charged.usage));
    if (moved) {
      // Cuts of the learned quota were measured in the old count: an undercount made them too deep.
      if (moved.to > moved.from) q.quota.rescale(moved.to / moved.from);
      ctx.logger.debug(`${q.id}: the service counts ${moved.to.toFixed(2)}× our token estimate; reservations and later batches use it`);
    }
  }
  q.noteSuccess();
  m.recordSuccess(now, response.latencyMs || now - started, inputTokens, outputTokens, priceRatio(response.serviceTier));
  const truncated = response.stopReason === 'max_tokens';
  q.outputCap.observe(inputTokens, outputTokens, truncated, job.batch.files.length);
  const biggerCap = truncated && !job.done ? q.outputCap.grow(cap) : undefined;
  done({ kind: 'answered', response: settledResponse, inputTokens, outputTokens, truncated, ...(biggerCap !== undefined ? { biggerCap } : {}) });
}

/** A failed call, on the model's side: what it shows about the endpoint, and the window settled for it. */
function settleFailed(ctx: CallContext, job: Job, q: ModelQueue, reservation: Reservation, error: ProviderError, startedAt: number): void {
  // Any answer, even an error or a dropped connection, shows the endpoint is there.
  if (error.kind !== 'unreachable' && error.kind !== 'aborted') q.answered = true;
  // Before the slot is released, so that the refused call counts among those in flight.
  if (error.kind === 'connections') q.noteTooManyConnections(startedAt);
  // A throttle lowers the quota and starts the cooldown before the slot is released (the refused
  // call settled first, so it is not counted as held): finish() admits the next call at once, which
  // must see the lower quota, not go out into the same refusal.
  if (error.kind === 'throttled') {
    q.noteThrottle(reservation, error);
  }
  // A refused call charges nothing, nor one whose connection never opened (refused port, no DNS
  // name: nothing reached the service); one that ran into a timeout or a 5xx may have used its input.
  const mayHaveCounted = (error.kind === 'transient' || error.kind === 'unreachable') && !neverConnected(error.code);
  q.finish(reservation, mayHaveCounted ? ctx.router.inputOf(job, q) : 0);
}
