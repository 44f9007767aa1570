/**
 * Stealing and re-packing: an idle model takes the batch that would run last elsewhere, if it would
 * finish it sooner (steal), or the first piece of one too large for it (repackFor), or looks again
 * later (stealLater). Why: docs/scheduler.md ("Spillover").
 */
import type { Clock } from '../clock';
import type { BatchFile } from '../plan/types';
import { secs } from './call';
import type { Job } from './job';
import type { ModelQueue, QueueEntry } from './modelQueue';
import { SPILL_MARGIN_MS, type Router } from './router';
import { bytesOf, cutToFit, type Cut } from './split';

/** Queued batches an idle model looks at, from the back of each other queue, for one to take. */
const STEAL_SCAN = 16;
/**
 * Times one batch may be taken by an idle model. Twice, so that the tail can still move a batch back
 * to a model that ran dry later (the last batches on one model while another idles); the margin a
 * move must win (SPILL_MARGIN_MS) and this bound keep two models from passing it back and forth.
 */
const MAX_STEALS = 2;
/** Emulated ms an idle model waits before it looks again for work to take. */
const STEAL_RETRY_MS = 5_000;

/** What stealing needs from the dispatcher (scheduling stays there: moving, queueing, cutting jobs). */
export interface StealHost {
  readonly router: Router;
  readonly clock: Clock;
  readonly retryBudget: number;
  disposed(): boolean;
  /** The job a queue entry belongs to. */
  jobOf(entry: QueueEntry): Job | undefined;
  inputOf(files: readonly BatchFile[]): number;
  move(job: Job, kind: 'fallback' | 'spillover', from: string, to: string, reason: string): void;
  enqueue(job: Job, modelId: string): void;
  cutJob(job: Job, cut: Cut): [Job, Job];
}

export class Stealing {
  /** Per idle model, the pending second look for work to take (stealLater). */
  private readonly stealRetry = new Map<string, AbortController>();

  constructor(private readonly h: StealHost) {}

  dispose(): void {
    for (const ctrl of this.stealRetry.values()) ctrl.abort();
  }

  /**
   * Spillover, late: `idle` ran out of work while another model still has a backlog. It takes the
   * batch that would run last elsewhere if it would finish it sooner (and it fits). The submit-time
   * estimate cannot foresee latencies and throttles; this corrects it as the run unfolds.
   */
  steal(idle: ModelQueue): void {
    let best: { job: Job; from: ModelQueue; stay: number; finish: number } | undefined;
    for (const from of this.h.router.enabled()) {
      if (from === idle) continue;
      // The batch that would run last there and may move (one that moved once already never moves again).
      const job = this.movableFrom(from, (j) => (j.steals ?? 0) < MAX_STEALS && this.h.router.canTake(j, idle));
      // Not only when it could start at once: the estimate counts the idle model's window too.
      if (!job) continue;
      const stay = this.h.router.finishEstimate(job, from);
      const finish = this.h.router.finishEstimate(job, idle);
      if (finish + SPILL_MARGIN_MS < stay && (!best || stay - finish > best.stay - best.finish)) best = { job, from, stay, finish };
    }
    if (!best) return this.repackFor(idle);
    best.from.remove(best.job.entry!);
    best.job.entry = undefined;
    best.job.steals = (best.job.steals ?? 0) + 1;
    this.h.move(best.job, 'spillover', best.from.id, idle.id, `spillover: ${idle.id} idle, ${best.from.id} would finish in ~${secs(best.stay)}`);
    this.h.enqueue(best.job, idle.id);
  }

  /**
   * Spillover with re-packing: no batch left elsewhere fits `idle`'s KB/token limits, so the one that
   * would run last is cut so that its first piece does (split.ts), if `idle` would finish that piece
   * sooner than the batch would finish where it waits; the rest keeps its place there.
   */
  private repackFor(idle: ModelQueue): void {
    const fits = (q: ModelQueue) => (files: BatchFile[]) => this.h.router.fits(bytesOf(files), this.h.inputOf(files), q);
    for (const from of this.h.router.enabled()) {
      if (from === idle) continue;
      const job = this.movableFrom(from, (j) => j.splittable === true && j.attempts === 0 && this.mayMoveTo(idle, j));
      const entry = job?.entry;
      if (!job || !entry) continue;
      const cut = cutToFit(job.batch.files, fits(idle));
      if (!cut) continue;
      const stay = this.h.router.finishEstimate(job, from);
      const finish = this.h.router.finishFor(job.batch.lane, this.h.router.needFor(this.h.inputOf(cut.piece), idle, cut.piece.length), idle);
      if (finish + SPILL_MARGIN_MS >= stay) continue;
      from.remove(entry);
      const [piece, rest] = this.h.cutJob(job, cut);
      piece.steals = (job.steals ?? 0) + 1;
      this.h.move(piece, 'spillover', from.id, idle.id, `spillover, re-packed: ${idle.id} idle and the batch exceeds its per-batch limits, so ${cut.piece.length} of ${job.batch.files.length} file(s)/range(s) move there (~${secs(finish)} vs ~${secs(stay)})`);
      this.h.enqueue(piece, idle.id);
      this.h.enqueue(rest, from.id);
      return;
    }
    this.stealLater(idle);
  }

  /**
   * Nothing was worth taking now, but other models still have a backlog: look again in a while.
   * A queue announces itself idle only when it runs empty, so without this a model that found
   * nothing once (the estimates said stay) idled to the end of the run while another had work.
   */
  private stealLater(idle: ModelQueue): void {
    if (this.stealRetry.has(idle.id) || this.h.disposed()) return;
    if (!this.h.router.enabled().some((q) => q !== idle && q.queued('background') + q.queued('interactive') > 0)) return;
    const ctrl = new AbortController();
    this.stealRetry.set(idle.id, ctrl);
    this.h.clock.sleep(STEAL_RETRY_MS, ctrl.signal).then(
      () => {
        this.stealRetry.delete(idle.id);
        if (!this.h.disposed() && !idle.disabledReason && idle.queued('background') + idle.queued('interactive') === 0) this.steal(idle);
      },
      () => {},
    );
  }

  /**
   * Where a head that fits `idle`'s window may take lines to fill the room beside it when nothing
   * waits behind it there (WindowFilling.grow, queueFill.ts): the job that would run last on the model that would
   * finish it latest, of those `may` allows, if it would not start there within SPILL_MARGIN_MS.
   */
  donorFor(idle: ModelQueue, may: (job: Job) => boolean): { job: Job; from: ModelQueue } | undefined {
    let best: { job: Job; from: ModelQueue; stay: number } | undefined;
    for (const from of this.h.router.enabled()) {
      if (from === idle) continue;
      const job = this.movableFrom(from, (j) => this.mayMoveTo(idle, j) && may(j));
      const stay = job ? this.h.router.finishEstimate(job, from) : 0;
      if (job && stay > SPILL_MARGIN_MS && (!best || stay > best.stay)) best = { job, from, stay };
    }
    return best;
  }

  /** Whether `job` may still move to `idle`: taken fewer than MAX_STEALS times, retries left there. */
  private mayMoveTo(idle: ModelQueue, job: Job): boolean {
    return (job.steals ?? 0) < MAX_STEALS && (job.transient.get(idle.id) ?? 0) <= this.h.retryBudget;
  }

  /** The queued job on `from` that would run last among those `may` allows (the last STEAL_SCAN looked at). */
  private movableFrom(from: ModelQueue, may: (job: Job) => boolean): Job | undefined {
    for (const entry of from.fromBack(STEAL_SCAN)) {
      const job = this.h.jobOf(entry);
      if (job && job.entry === entry && !job.done && may(job)) return job;
    }
    return undefined;
  }

  /** After a throttle: a model that would finish the batch sooner than waiting out this one's cooldown. */
  fasterTarget(job: Job, q: ModelQueue): string | undefined {
    const faster = this.h.router.fasterElsewhere(job, q);
    return faster && 'to' in faster ? faster.to : undefined;
  }
}
