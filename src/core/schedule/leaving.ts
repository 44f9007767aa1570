/**
 * Models leaving the run: one that is unavailable, out of its daily quota or never answered leaves,
 * and the batches it held move or fail with why; bad credentials make every model leave. The reason
 * each model left is kept as data (an outcome code), so the batches it held fail with that code.
 */
import type { Logger } from '../logger';
import { codeOfErrorKind, type OutcomeCode } from '../outcome';
import { ProviderError } from '../providers/provider';
import type { Job, JobOutcome } from './job';
import type { ModelQueue } from './modelQueue';
import type { DispatcherEvent } from './types';

/** What models leaving needs from the dispatcher. */
export interface LeavingHost {
  readonly queues: ReadonlyMap<string, ModelQueue>;
  readonly logger: Logger;
  /** Where calls go, for messages about an endpoint that does not answer. */
  readonly destination: string;
  /** The batches submitted and not yet ended. */
  activeJobs(): Job[];
  emit(event: DispatcherEvent): void;
  /** Moves a batch whose model left to another, or ends it. */
  reroute(job: Job, from: string, why: string): void;
  end(job: Job, outcome: JobOutcome): void;
}

export class Departures {
  /** Why each model that never answered left the run (model id → error code). */
  private readonly unanswered = new Map<string, string>();
  /** Why each model that left the run left, as data: the batches it held fail with that code. */
  private readonly leftWith = new Map<string, OutcomeCode>();

  constructor(private readonly h: LeavingHost) {}

  /**
   * `why` the model leaves; its queue's reason (what the files it held fail or move with) names the
   * model, the event carries `why` alone — hosts say which model themselves.
   */
  disableModel(id: string, why: string, code: OutcomeCode): void {
    const q = this.h.queues.get(id);
    if (!q || q.disabledReason) return;
    const reason = `${id} left the run: ${why}`;
    q.disabledReason = reason;
    this.h.logger.warn(reason);
    this.leftWith.set(id, code);
    this.h.emit({ type: 'model-disabled', model: id, reason: why, code });
    q.drain();
    for (const job of this.h.activeJobs()) {
      if (job.model === id && job.entry) {
        job.entry = undefined;
        this.h.reroute(job, id, reason);
      }
    }
  }

  /**
   * A model that has never answered got no answer again (timeout, refused, no DNS name): it leaves
   * the run at once, so a hung endpoint costs one request timeout per model, not one per retry.
   * Returns the error the batch fails with if no model is left.
   */
  leaveUnanswered(q: ModelQueue, error: ProviderError): ProviderError {
    if (!q.disabledReason) {
      this.unanswered.set(q.id, error.code);
      q.unreachable = true;
      this.disableModel(q.id, `${error.message}, and it has not answered anything yet — check that ${this.h.destination} is reachable from here (network, proxy, VPC endpoint, region)`, codeOfErrorKind(error.kind, error.code, error.httpStatus));
    }
    const all = this.noModelAnswered();
    return all ? new ProviderError('unreachable', error.code, all, error.httpStatus) : error;
  }

  /** The code a batch fails with when no model is left for it (`from`: the model it was on). */
  leftCode(from: string | undefined): OutcomeCode {
    if (this.noModelAnswered()) return 'unreachable';
    return (from ? this.leftWith.get(from) : undefined) ?? 'no-model';
  }

  /** The message when every model left because none ever answered; undefined while one is left or one answered. */
  noModelAnswered(): string | undefined {
    const queues = [...this.h.queues.values()];
    if (!queues.every((q) => q.unreachable)) return undefined;
    const each = queues.map((q) => `${q.id} (${this.unanswered.get(q.id) ?? 'no answer'})`).join(', ');
    return `no model answered: ${each} — ${this.h.destination} is unreachable or does not answer; check the network, proxy or VPC endpoint, the region and the endpoint setting`;
  }

  /** Credentials fail for every model alike: every model leaves, every waiting batch fails with the reason. */
  disableAll(reason: string, code: OutcomeCode): void {
    for (const q of this.h.queues.values()) {
      if (q.disabledReason) continue;
      q.disabledReason = reason;
      q.drain();
      this.leftWith.set(q.id, code);
      this.h.emit({ type: 'model-disabled', model: q.id, reason, code });
    }
    this.h.logger.error(reason);
    for (const job of this.h.activeJobs()) {
      if (job.entry || job.backoff) {
        job.entry = undefined;
        job.backoff?.abort();
        this.h.end(job, { status: 'failed', reason, model: job.model, code });
      }
    }
  }
}
