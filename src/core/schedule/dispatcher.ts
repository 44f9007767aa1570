/**
 * The dispatcher: one long-lived set of per-model queues (one per engine). Each submitted batch ends
 * exactly once, as ok, failed, skipped or cancelled, with the reasons of every routing decision on
 * the way (spillover, fallback, retries). This file wires the parts and runs a job through its queue:
 * where it starts and moves (moves.ts, router.ts, stealing.ts), the call (call.ts), what the result
 * leads to (afterCall.ts, failure.ts), models leaving (leaving.ts), and its end (outcomes.ts). How
 * admission, spillover, fallback, learned quotas and output caps work, and why: docs/scheduler.md.
 */
import { systemClock, type Clock } from '../clock';
import { silentLogger } from '../logger';
import type { ModelMetrics } from '../metrics/collector';
import type { BatchRecord, ModelSnapshot } from '../metrics/types';
import { estimateRequestTokens } from '../plan/estimate';
import type { Batch, BatchFile } from '../plan/types';
import { invalidBatch, newJob, type Job, type SubmitOptions } from './job';
import type { ModelQueue, QueueEntry } from './modelQueue';
import type { FailureContext } from './failure';
import { Departures } from './leaving';
import type { Reservation, WindowPeers } from './quotaWindow';
import type { BatchResult, DispatcherEvent } from './types';
import { Stealing } from './stealing';
import { Reshaping } from './reshape';
import { modelSnapshots } from './snapshot';
import { resolveDispatcherOptions, validateDispatcherOptions, type DispatcherOptions, type ResolvedDispatcherOptions } from './options';
import { Router } from './router';
import { callModel, type CallContext } from './call';
import { afterCall, type AfterCallHost } from './afterCall';
import { firstModel, rerouteTarget, type MoveHost } from './moves';
import { Outcomes } from './outcomes';
import { modelQueues, shareWindows } from './queues';

export class Dispatcher {
  private readonly queues: ReadonlyMap<string, ModelQueue>;
  private readonly metrics: ReadonlyMap<string, ModelMetrics>;
  private readonly outcomes: Outcomes;
  private readonly router: Router;
  /** The job each queue entry belongs to (stealing looks at entries). */
  private readonly jobOf = new WeakMap<QueueEntry, Job>();
  private readonly clock: Clock;
  private readonly o: ResolvedDispatcherOptions;
  private readonly callContext: CallContext;
  private readonly afterCallHost: AfterCallHost;
  private readonly moveHost: MoveHost;
  private readonly stealing: Stealing;
  private readonly reshaping: Reshaping;
  private seq = 0;
  private disposed = false;
  /** Set by shareWindows: snapshots then carry the account's usage beside this instance's. */
  private windowsShared = false;

  constructor(options: DispatcherOptions) {
    validateDispatcherOptions(options);
    const clock = (this.clock = options.clock ?? systemClock);
    const logger = options.logger ?? silentLogger;
    const o = (this.o = resolveDispatcherOptions(options, clock));
    ({ queues: this.queues, metrics: this.metrics } = modelQueues(options.models, o, clock));
    const outcomes = (this.outcomes = new Outcomes(clock, logger, this.metrics));
    const emit = (e: DispatcherEvent) => outcomes.emit(e);
    const metricsOf = (id: string) => this.metrics.get(id)!;
    const enqueue = (job: Job, modelId: string) => this.enqueue(job, modelId);
    const router = (this.router = new Router(this.queues, this.metrics, o.retryBudget, o.priorTokenRatio));
    const reshaping = (this.reshaping = new Reshaping({
      system: o.system, instructions: o.instructions, maxBatchInputTokens: o.maxBatchInputTokens, router, outcomes, inputOf: (files) => this.inputOf(files),
      entryOf: (job, q) => this.entryOf(job, q), jobOf: (entry) => this.jobOf.get(entry),
      donorFor: (q, may) => (o.spillover ? this.stealing.donorFor(q, may) : undefined), move: (job, from, to, reason) => outcomes.move(job, 'spillover', from, to, reason), enqueue,
    }));
    this.callContext = {
      clock, logger, router, system: o.system, requestTimeoutMs: o.requestTimeoutMs, calibrate: o.calibrate, providerFor: o.providerFor, metricsOf, emit,
    };
    this.stealing = new Stealing({
      router, clock, retryBudget: o.retryBudget, disposed: () => this.disposed,
      jobOf: (entry) => this.jobOf.get(entry), inputOf: (files) => this.inputOf(files),
      move: (job, kind, from, to, reason) => outcomes.move(job, kind, from, to, reason),
      enqueue, cutJob: (job, cut) => reshaping.cutJob(job, cut),
    });
    const departures = new Departures({
      queues: this.queues, logger, destination: options.destination ?? "the models' endpoint", activeJobs: () => [...outcomes.active],
      emit, reroute: (job, from, why) => this.reroute(job, from, why), end: (job, outcome) => outcomes.end(job, outcome),
    });
    const failure: FailureContext = {
      router, departures, maxThrottles: o.maxThrottles, retryBudget: o.retryBudget, random: o.random,
      metricsOf, emit, fasterTarget: (job, q) => this.stealing.fasterTarget(job, q),
    };
    this.afterCallHost = { clock, outcomes, failure, metricsOf, enqueue };
    this.moveHost = { queues: this.queues, router, departures, outcomes, spillover: o.spillover };
    if (o.spillover) for (const q of this.queues.values()) q.onIdle = () => this.stealing.steal(q);
  }

  /**
   * `split`: the caller reads BatchResult.parts, so the batch may be cut along its files and lines to
   * fill a window's room or to fit a model it would move to (split.ts).
   */
  submit(batch: Batch, options: SubmitOptions = {}): Promise<BatchResult> {
    return new Promise<BatchResult>((resolve) => {
      const problem = invalidBatch(batch);
      const job = newJob(batch, problem, this.seq++, options, this.o.system, this.o.instructions, resolve);
      const end = this.outcomes.end.bind(this.outcomes);
      if (problem) return end(job, { status: 'failed', reason: problem, code: 'internal' });
      if (batch.reason) job.reasons.push(batch.reason);
      if (this.disposed) return end(job, { status: 'cancelled', reason: 'the dispatcher was disposed' });
      if (options.signal?.aborted) return end(job, { status: 'cancelled', reason: 'cancelled before it was queued' });
      this.outcomes.active.add(job);
      if (batch.lane === 'interactive') for (const q of this.queues.values()) q.noteInteractive();
      if (options.signal) {
        const onAbort = () => this.outcomes.cancel(job, 'cancelled', this.queues);
        options.signal.addEventListener('abort', onAbort, { once: true });
        job.detach = () => options.signal?.removeEventListener('abort', onAbort);
      }
      const first = firstModel(this.moveHost, job);
      if (first) this.enqueue(job, first);
    });
  }

  onEvent(listener: (e: DispatcherEvent) => void): () => void {
    return this.outcomes.onEvent(listener);
  }

  snapshot(): ModelSnapshot[] {
    return modelSnapshots(this.queues.values(), this.metrics, this.router, this.windowsShared, this.clock.now());
  }

  recentBatches(): BatchRecord[] {
    return this.outcomes.log.list();
  }

  /** Per model: the service's input tokens per token of our estimate, learned so far (for planning later runs). */
  tokenRatios(): Record<string, number> {
    return Object.fromEntries([...this.queues.keys()].map((id) => [id, this.router.calibrationOf(id).ratio]));
  }

  /** Lets each model's quota window count what other holders of the same quota reserve (src/core/ledger/). */
  shareWindows(peersFor: (modelId: string) => WindowPeers): void {
    this.windowsShared = true;
    shareWindows(this.queues.values(), this.router, this.o.calibrate, peersFor);
  }

  /** Resolves once every submitted batch has its result. */
  idle(): Promise<void> {
    return this.outcomes.idle();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const job of [...this.outcomes.active]) this.outcomes.cancel(job, 'the dispatcher was disposed', this.queues);
    for (const q of this.queues.values()) q.dispose();
    this.stealing.dispose();
  }

  // A job through its queue.
  private inputOf(files: readonly BatchFile[]): number {
    return estimateRequestTokens(files, this.o.system, this.o.instructions);
  }

  private enqueue(job: Job, modelId: string): void {
    if (job.done) return;
    const q = this.queues.get(modelId)!;
    if (q.disabledReason) return this.reroute(job, modelId, q.disabledReason);
    job.model = modelId;
    job.entry = this.entryOf(job, q);
    q.enqueue(job.entry);
  }

  private entryOf(job: Job, q: ModelQueue): QueueEntry {
    const entry: QueueEntry = { lane: job.batch.lane, seq: job.seq, need: () => this.router.needOf(job, q), outputPart: () => this.router.outputPartOf(job, q), start: (r) => this.start(job, q, r) };
    if (job.splittable) {
      entry.split = (room) => this.reshaping.cutForRoom(job, q, room);
      entry.grow = (room, next) => this.reshaping.growForRoom(job, q, room, next);
      entry.cutCost = this.router.inputFor(this.inputOf([]), q);
    }
    this.jobOf.set(entry, job);
    return entry;
  }

  /** Admitted: the run's budget asked (the job's `admit`), then the call, then what its result leads to. */
  private start(job: Job, q: ModelQueue, reservation: Reservation): void {
    job.entry = undefined;
    const cap = this.router.capOf(job, q);
    const skip = job.done ? 'already ended' : job.admit?.(cap, this.router.inputOf(job, q));
    if (skip !== undefined) {
      q.finish(reservation, 0);
      return this.outcomes.end(job, { status: 'skipped', reason: skip, model: q.id });
    }
    void callModel(this.callContext, job, q, reservation, cap, (result) => afterCall(this.afterCallHost, job, q, cap, result));
  }

  private reroute(job: Job, from: string, why: string): void {
    const to = rerouteTarget(this.moveHost, job, from, why);
    if (to) this.enqueue(job, to);
  }
}
