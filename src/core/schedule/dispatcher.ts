/**
 * The dispatcher: one long-lived set of per-model queues (one per engine). Each submitted batch ends
 * exactly once, as ok, failed, skipped or cancelled, with the reasons of every routing decision on
 * the way (spillover, fallback, retries). How admission, spillover, fallback, learned quotas and
 * output caps work, and why: docs/scheduler.md.
 */
import { systemClock, type Clock } from '../clock';
import { silentLogger, type Logger } from '../logger';
import { BatchLog, ModelMetrics } from '../metrics/collector';
import type { BatchOutcomeKind, BatchRecord, ModelSnapshot } from '../metrics/types';
import { estimateRequestTokens } from '../plan/estimate';
import type { Batch, BatchFile } from '../plan/types';
import { codeOfErrorKind, type OutcomeCode } from '../outcome';
import { ProviderError } from '../providers/provider';
import { invalidBatch, newJob, type Job, type JobOutcome, type SubmitOptions } from './job';
import { INTERACTIVE_RESERVE, ModelQueue, type QueueEntry } from './modelQueue';
import { afterFailure, MAX_ATTEMPTS, type FailureContext } from './failure';
import { Departures } from './leaving';
import type { Reservation, WindowPeers } from './quotaWindow';
import type { BatchResult, DispatcherEvent } from './types';
import type { Cut } from './split';
import { Stealing } from './stealing';
import { pieceJobs, roomCut } from './pieces';
import { modelSnapshots } from './snapshot';
import { resolveDispatcherOptions, validateDispatcherOptions, type DispatcherOptions, type ResolvedDispatcherOptions } from './options';
import { Router } from './router';
import { callModel, secs, type CallContext, type CallResult } from './call';

export class Dispatcher {
  private readonly queues = new Map<string, ModelQueue>();
  private readonly metrics = new Map<string, ModelMetrics>();
  private readonly listeners = new Set<(e: DispatcherEvent) => void>();
  private readonly log = new BatchLog<BatchRecord>();
  private readonly router: Router;
  private readonly active = new Set<Job>();
  /** The job each queue entry belongs to (stealing looks at entries). */
  private readonly jobOf = new WeakMap<QueueEntry, Job>();
  private idleWaiters: (() => void)[] = [];
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly o: ResolvedDispatcherOptions;
  /** Where calls go, for messages about an endpoint that does not answer. */
  private readonly destination: string;
  private readonly callContext: CallContext;
  private readonly failureContext: FailureContext;
  private readonly departures: Departures;
  private readonly stealing: Stealing;
  private seq = 0;
  private disposed = false;

  constructor(options: DispatcherOptions) {
    validateDispatcherOptions(options);
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.destination = options.destination ?? "the models' endpoint";
    this.o = resolveDispatcherOptions(options, this.clock);
    for (const model of options.models) {
      this.queues.set(model.id, new ModelQueue(model, {
        clock: this.clock,
        random: this.o.random,
        maxConcurrency: this.o.maxConcurrency,
        windowGuardMs: this.o.windowGuardMs,
        quotaProbeMs: this.o.probeQuota ? this.o.windowGuardMs : 0,
        interactiveReserve: this.o.interactiveReserve ? INTERACTIVE_RESERVE : 0,
        fillWindow: this.o.fillWindow,
      }));
      this.metrics.set(model.id, new ModelMetrics(model));
    }
    this.router = new Router(this.queues, this.metrics, this.o.retryBudget, this.o.priorTokenRatio);
    this.callContext = {
      clock: this.clock, logger: this.logger, router: this.router, system: this.o.system,
      requestTimeoutMs: this.o.requestTimeoutMs, calibrate: this.o.calibrate, providerFor: this.o.providerFor,
      metricsOf: (id) => this.metrics.get(id)!, emit: (e) => this.emit(e),
    };
    this.stealing = new Stealing({
      router: this.router, clock: this.clock, retryBudget: this.o.retryBudget, disposed: () => this.disposed,
      jobOf: (entry) => this.jobOf.get(entry), inputOf: (files) => this.inputOf(files),
      move: (job, kind, from, to, reason) => this.move(job, kind, from, to, reason),
      enqueue: (job, modelId) => this.enqueue(job, modelId), cutJob: (job, cut) => this.cutJob(job, cut),
    });
    this.departures = new Departures({
      queues: this.queues, logger: this.logger, destination: this.destination, activeJobs: () => [...this.active],
      emit: (e) => this.emit(e), reroute: (job, from, why) => this.reroute(job, from, why), end: (job, outcome) => this.end(job, outcome),
    });
    this.failureContext = {
      router: this.router, departures: this.departures, maxThrottles: this.o.maxThrottles, retryBudget: this.o.retryBudget, random: this.o.random,
      metricsOf: (id) => this.metrics.get(id)!, emit: (e) => this.emit(e), fasterTarget: (job, q) => this.stealing.fasterTarget(job, q),
    };
    if (this.o.spillover) for (const q of this.queues.values()) q.onIdle = () => this.stealing.steal(q);
  }

  /**
   * `split`: the caller reads BatchResult.parts, so the batch may be cut along its files and lines to
   * fill a window's room or to fit a model it would move to (split.ts).
   */
  submit(batch: Batch, options: SubmitOptions = {}): Promise<BatchResult> {
    return new Promise<BatchResult>((resolve) => {
      const problem = invalidBatch(batch);
      const job = newJob(batch, problem, this.seq++, options, this.o.system, this.o.instructions, resolve);
      if (problem) return this.end(job, { status: 'failed', reason: problem, code: 'internal' });
      if (batch.reason) job.reasons.push(batch.reason);
      if (this.disposed) return this.end(job, { status: 'cancelled', reason: 'the dispatcher was disposed' });
      if (options.signal?.aborted) return this.end(job, { status: 'cancelled', reason: 'cancelled before it was queued' });
      this.active.add(job);
      if (batch.lane === 'interactive') for (const q of this.queues.values()) q.noteInteractive();
      if (options.signal) {
        const onAbort = () => this.cancel(job, 'cancelled');
        options.signal.addEventListener('abort', onAbort, { once: true });
        job.detach = () => options.signal?.removeEventListener('abort', onAbort);
      }
      const first = this.firstModel(job);
      if (first) this.enqueue(job, first);
    });
  }

  onEvent(listener: (e: DispatcherEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): ModelSnapshot[] {
    return modelSnapshots(this.queues.values(), this.metrics, this.router, this.windowsShared, this.clock.now());
  }

  recentBatches(): BatchRecord[] {
    return this.log.list();
  }

  /** Per model: the service's input tokens per token of our estimate, learned so far (for planning later runs). */
  tokenRatios(): Record<string, number> {
    return Object.fromEntries([...this.queues.keys()].map((id) => [id, this.router.calibrationOf(id).ratio]));
  }

  /** Set by shareWindows: snapshots then carry the account's usage beside this instance's. */
  private windowsShared = false;

  /** Lets each model's quota window count what other holders of the same quota reserve (src/core/ledger/). */
  shareWindows(peersFor: (modelId: string) => WindowPeers): void {
    this.windowsShared = true;
    for (const q of this.queues.values()) {
      const peers = peersFor(q.id);
      q.window.share(peers);
      // The token ratio too: a run joining others on the account starts from what they learned.
      if (this.o.calibrate) this.router.calibrationOf(q.id).share(peers);
    }
  }

  /** Resolves once every submitted batch has its result. */
  idle(): Promise<void> {
    if (this.active.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const job of [...this.active]) this.cancel(job, 'the dispatcher was disposed');
    for (const q of this.queues.values()) q.dispose();
    this.stealing.dispose();
  }

  // ── routing ────────────────────────────────────────────────────────────────────────────────

  /** The model a new batch starts on: its preferred one, unless unusable or (spillover) slower. */
  private firstModel(job: Job): string | undefined {
    const preferred = this.queues.get(job.batch.preferredModel);
    if (!preferred || preferred.disabledReason) {
      const why = preferred ? `${preferred.id} left the run` : `${job.batch.preferredModel} is not configured`;
      const to = this.router.alternative(job, job.batch.preferredModel, false);
      if (!to) return void this.end(job, { status: 'failed', reason: this.departures.noModelAnswered() ?? preferred?.disabledReason ?? `${why}, and no other model fits the batch`, code: this.departures.leftCode(preferred?.disabledReason ? preferred.id : undefined) });
      this.move(job, 'fallback', job.batch.preferredModel, to, `fallback: ${why}`);
      return to;
    }
    if (!this.o.spillover) return preferred.id;
    const faster = this.router.fasterElsewhere(job, preferred);
    if (!faster) return preferred.id;
    if ('tooLarge' in faster) {
      job.reasons.push(`no spillover to ${faster.tooLarge}: the batch exceeds its per-batch limits`);
      return preferred.id;
    }
    this.move(job, 'spillover', preferred.id, faster.to, `spillover: ${preferred.id} would finish in ~${secs(faster.stay)}, ${faster.to} in ~${secs(faster.finish)}`);
    return faster.to;
  }

  private inputOf(files: readonly BatchFile[]): number {
    return estimateRequestTokens(files, this.o.system, this.o.instructions);
  }

  private move(job: Job, kind: 'fallback' | 'spillover', from: string, to: string, reason: string): void {
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

  // ── running ────────────────────────────────────────────────────────────────────────────────

  private enqueue(job: Job, modelId: string): void {
    if (job.done) return;
    const q = this.queues.get(modelId)!;
    if (q.disabledReason) return this.reroute(job, modelId, q.disabledReason);
    job.model = modelId;
    job.entry = this.entryOf(job, q);
    q.enqueue(job.entry);
  }

  private entryOf(job: Job, q: ModelQueue): QueueEntry {
    const split = job.splittable ? (room: number) => this.cutForRoom(job, q, room) : undefined;
    const entry: QueueEntry = { lane: job.batch.lane, seq: job.seq, need: () => this.router.needOf(job, q), start: (r) => this.start(job, q, r), ...(split ? { split } : {}) };
    this.jobOf.set(entry, job);
    return entry;
  }

  /** Cuts a queued job (no call made yet) into two pieces that run as active jobs of their own (pieces.ts). */
  private cutJob(job: Job, cut: Cut): [Job, Job] {
    job.entry = undefined;
    const pieces = pieceJobs(job, cut, this.o.system, this.o.instructions, (parent, outcome) => this.end(parent, outcome));
    for (const piece of pieces) this.active.add(piece);
    return pieces;
  }

  /** Filling the window (ModelQueue.cutHead): a first piece that reserves at most `room` on `q`. */
  private cutForRoom(job: Job, q: ModelQueue, room: number): QueueEntry[] | undefined {
    const cut = roomCut(job, q, room, this.router, (files) => this.inputOf(files));
    if (!cut) return undefined;
    const pieces = this.cutJob(job, cut);
    pieces[0].reasons.push(`cut to fill ${q.id}'s window: ${pieces[0].batch.files.length} of ${job.batch.files.length} file(s)/range(s) now, the rest when it fits`);
    return pieces.map((piece) => (piece.entry = this.entryOf(piece, q)));
  }

  private start(job: Job, q: ModelQueue, reservation: Reservation): void {
    job.entry = undefined;
    const skip = job.done ? 'already ended' : job.admit?.(this.router.capOf(job, q), this.router.inputOf(job, q));
    if (skip !== undefined) {
      q.finish(reservation, 0);
      return this.end(job, { status: 'skipped', reason: skip, model: q.id });
    }
    this.attempt(job, q, reservation, this.router.capOf(job, q));
  }

  private attempt(job: Job, q: ModelQueue, reservation: Reservation, cap: number): void {
    void callModel(this.callContext, job, q, reservation, cap, (result) => {
      if (result.kind === 'error') return this.failed(job, q, result.error);
      this.answered(job, q, cap, result);
    });
  }

  /** The call answered (call.ts charged and settled it): the batch ends, or is asked again with a larger cap. */
  private answered(job: Job, q: ModelQueue, cap: number, result: Extract<CallResult, { kind: 'answered' }>): void {
    const m = this.metrics.get(q.id)!;
    const { inputTokens, outputTokens } = result;
    if (result.truncated && !job.done) {
      const bigger = result.biggerCap!;
      if (bigger > cap && job.attempts < MAX_ATTEMPTS) {
        job.capOverride = { model: q.id, cap: bigger };
        m.retries++;
        this.record(job, q.id, 'retried', `output reached maxTokens ${cap}: retry with ${bigger}`, inputTokens, outputTokens);
        return this.enqueue(job, q.id);
      }
      job.reasons.push(`output truncated at ${q.id}'s largest cap (${cap} tokens)`);
    }
    this.record(job, q.id, 'ok', job.reasons.at(-1) ?? '', inputTokens, outputTokens);
    this.end(job, { status: 'ok', model: q.id, response: result.response });
  }

  /** The call failed (call.ts settled the window for it): what that leads to. */
  private failed(job: Job, q: ModelQueue, error: ProviderError): void {
    const m = this.metrics.get(q.id)!;
    if (job.done) return;
    const next = afterFailure(this.failureContext, job, q, error);
    if ('cancelled' in next) return this.end(job, { status: 'cancelled', reason: 'cancelled', model: q.id });
    const { step } = next;
    error = next.error;
    this.record(job, q.id, step.kind === 'fail' ? 'failed' : error.kind === 'throttled' ? 'throttled' : 'retried', step.reason, 0, 0);
    if (step.kind === 'fail') return this.end(job, { status: 'failed', reason: step.reason, model: q.id, code: codeOfErrorKind(error.kind, error.code, error.httpStatus) });
    if (step.kind === 'fallback') {
      this.move(job, 'fallback', q.id, step.to, step.reason);
      return this.enqueue(job, step.to);
    }
    job.reasons.push(step.reason);
    m.retries++;
    if (step.delayMs <= 0) return this.enqueue(job, q.id);
    const backoff = new AbortController();
    job.backoff = backoff;
    this.clock.sleep(step.delayMs, backoff.signal).then(
      () => {
        job.backoff = undefined;
        this.enqueue(job, q.id);
      },
      () => {},
    );
  }

  // ── models leaving, cancellation, the end ───────────────────────────────────────────────────

  private reroute(job: Job, from: string, why: string): void {
    const to = this.router.alternative(job, from, false);
    if (!to) return this.end(job, { status: 'failed', reason: this.departures.noModelAnswered() ?? why, model: from, code: this.departures.leftCode(from) });
    this.move(job, 'fallback', from, to, `fallback: ${from} left the run`);
    this.enqueue(job, to);
  }

  private cancel(job: Job, reason: string): void {
    if (job.done) return;
    for (const piece of job.pieces ?? []) this.cancel(piece, reason);
    if (job.entry) this.queues.get(job.model)?.remove(job.entry);
    job.backoff?.abort();
    job.call?.abort(new ProviderError('aborted', 'AbortError', reason));
    if (job.attempts > 0) this.record(job, job.model, 'cancelled', reason, 0, 0);
    this.end(job, { status: 'cancelled', reason, ...(job.model ? { model: job.model } : {}) });
  }

  private end(job: Job, outcome: JobOutcome): void {
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

  private record(job: Job, model: string, outcome: BatchOutcomeKind, reason: string, inputTokens: number, outputTokens: number): void {
    this.log.push({ batchId: job.batch.id, model, files: job.batch.files.length, inputTokens, outputTokens, outcome, reason, at: this.clock.now() });
  }

  private emit(event: DispatcherEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.logger.error(`dispatcher listener failed on ${event.type}: ${String(err)}`);
      }
    }
  }
}

