/**
 * Where what happens to a batch is told: its moves between models (counted per model), each call's
 * record in the batch log, its one end (the caller's result and the `batch-finished` event) or its
 * cancellation, the listeners, and who waits for the dispatcher to be idle.
 */
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { BatchLog, type ModelMetrics } from '../metrics/collector';
import type { BatchOutcomeKind, BatchRecord } from '../metrics/types';
import type { OutcomeCode } from '../outcome';
import { ProviderError } from '../providers/provider';
import type { Job, JobOutcome } from './job';
import type { ModelQueue } from './modelQueue';
import type { DispatcherEvent } from './types';

export class Outcomes {
  /** Jobs submitted (or cut off a submitted one) that have no result yet. */
  readonly active = new Set<Job>();
  readonly log = new BatchLog<BatchRecord>();
  private readonly listeners = new Set<(e: DispatcherEvent) => void>();
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly metrics: ReadonlyMap<string, ModelMetrics>,
  ) {}

  onEvent(listener: (e: DispatcherEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once every active job has its result. */
  idle(): Promise<void> {
    if (this.active.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  move(job: Job, kind: 'fallback' | 'spillover', from: string, to: string, reason: string): void {
    job.reasons.push(reason);
    const [fromM, toM] = [this.metrics.get(from), this.metrics.get(to)];
    if (kind === 'fallback') {
      if (fromM) fromM.fallbacksOut++;
      if (toM) toM.fallbacksIn++;
    } else {
      if (fromM) fromM.spilloversOut++;
      if (toM) toM.spilloversIn++;
    }
    this.emit({ type: kind, batchId: job.batch.id, from, to, reason });
  }

  /** Ends `job` (and its pieces) as cancelled: out of its queue, its backoff and call stopped. */
  cancel(job: Job, reason: string, queues: ReadonlyMap<string, ModelQueue>): void {
    if (job.done) return;
    for (const piece of job.pieces ?? []) this.cancel(piece, reason, queues);
    // Sent in one call with another job's lines (joint.ts): the call is cancelled, which ends both.
    if (job.joint) this.cancel(job.joint, reason, queues);
    if (job.done) return;
    if (job.entry) queues.get(job.model)?.remove(job.entry);
    job.backoff?.abort();
    job.call?.abort(new ProviderError('aborted', 'AbortError', reason));
    if (job.attempts > 0) this.record(job, job.model, 'cancelled', reason, 0, 0);
    this.end(job, { status: 'cancelled', reason, ...(job.model ? { model: job.model } : {}) });
  }

  end(job: Job, outcome: JobOutcome): void {
    if (job.done) return;
    job.done = true;
    job.entry = undefined;
    job.detach?.();
    this.active.delete(job);
    const batchId = typeof job.batch?.id === 'string' ? job.batch.id : '';
    if (outcome.status !== 'ok') {
      job.reasons.push(outcome.reason);
      const code: OutcomeCode = outcome.status === 'failed' ? outcome.code : outcome.status === 'cancelled' ? 'cancelled' : 'budget';
      // A piece of a cut batch finishes with the batch (its parent), once.
      if (outcome.model && !job.parent) this.emit({ type: 'batch-finished', batchId, model: outcome.model, ok: false, error: outcome.reason, code });
    } else if (!job.parent) {
      this.emit({ type: 'batch-finished', batchId, model: outcome.model, ok: true });
    }
    job.resolve({ ...outcome, batchId, attempts: job.attempts, reasons: job.reasons });
    if (this.active.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  record(job: Job, model: string, outcome: BatchOutcomeKind, reason: string, inputTokens: number, outputTokens: number): void {
    this.log.push({ batchId: job.batch.id, model, files: job.batch.files.length, inputTokens, outputTokens, outcome, reason, at: this.clock.now() });
  }

  emit(event: DispatcherEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.logger.error(`dispatcher listener failed on ${event.type}: ${String(err)}`);
      }
    }
  }
}
