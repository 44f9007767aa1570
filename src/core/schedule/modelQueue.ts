/**
 * One model's queue: two lanes (interactive strictly before background), FIFO by arrival within a
 * lane, and admission by the model's quota window under its learned effective quota. When the head's
 * reservation does not fit the room left in the window, a smaller entry behind it in the same lane
 * that does fit starts instead (the room would otherwise stay empty until the head fits): a bounded
 * bypass, at most MAX_BYPASS per head, after which nothing overtakes it, so a large batch is never
 * starved. Background work never overtakes waiting interactive work.
 *
 * Not p-queue (docs/scheduler.md, "Queues"): it counts calls on real-time timers; ours reserves tokens on the injected clock.
 */
import type { ModelConfig } from '../config/types';
import type { Lane } from '../types';
import { ModelSignals, type ModelQueueOptions } from './modelSignals';
import type { Reservation } from './quotaWindow';
import { LaneReserve } from './reserve';
import { cutOversize } from './admission';
import { WindowFilling, type FillHost } from './queueFill';
import { QueueLanes, type QueueEntry } from './queueLanes';
import { QueueConfirmation } from './queueConfirm';
import { QueueWake } from './queueWake';
import { backlogWaitMs } from './windowWait';

export type { QueueEntry } from './queueLanes';
export type { ModelQueueOptions } from './modelSignals';

export { EDITING_MS, EDITING_RESERVE, INTERACTIVE_RESERVE, LEARNED_QUOTA_MARGIN } from './reserve';
export { DEFAULT_CUT_COST, FEW_BATCHES_SHARE, FILL_CUT_SHARE, IDLE_CUT_SHARE, MAX_BYPASS } from './admission';

export class ModelQueue extends ModelSignals {
  /** Filling the window around the head (queueFill.ts); none in strict head-of-line mode. */
  private readonly fill: WindowFilling | undefined;
  /** What background work leaves free for interactive work, and when (reserve.ts). */
  private readonly reserve: LaneReserve;
  private readonly lanes = new QueueLanes();
  private readonly wake: QueueWake;
  private disposed = false;
  private idleAnnounced = false;
  /** The head a shared ledger is confirming (queueConfirm.ts). */
  private readonly confirmation = new QueueConfirmation();
  /** Called when the queue ran empty with room for more calls (the dispatcher steals work for it). */
  onIdle: (() => void) | undefined;

  constructor(model: ModelConfig, options: ModelQueueOptions) {
    super(model, options);
    this.reserve = new LaneReserve(this.clock, options.interactiveReserve ?? 0);
    const host: FillHost = {
      window: this.window, cooling: () => this.cooldownUntil > this.clock.now(), limitFor: (lane) => this.limitFor(lane),
      admissionWaitMs: (need, lane) => this.admissionWaitMs(need, lane), insert: (entry) => this.lanes.insert(entry),
    };
    this.fill = (options.fillWindow ?? true) ? new WindowFilling(host) : undefined;
    this.wake = new QueueWake(this.clock, () => this.pump());
  }

  /**
   * Interactive work arrived somewhere in the dispatcher (on any model: a save's chunks may spill to
   * this one): background work leaves EDITING_RESERVE free for EDITING_MS.
   */
  noteInteractive(): void {
    this.reserve.noteInteractive();
  }

  enqueue(entry: QueueEntry): void {
    if (entry.lane === 'interactive') this.reserve.noteInteractive();
    this.lanes.insert(entry);
    this.pump();
  }

  remove(entry: QueueEntry): boolean {
    return this.confirmation.withdraw(entry) || this.lanes.remove(entry);
  }

  /** Removes and returns everything queued (the model left the run). */
  drain(): QueueEntry[] {
    const all = this.lanes.drain();
    const confirming = this.confirmation.withdrawAll();
    if (confirming) all.unshift(confirming);
    return all;
  }

  /** The entry that would run last: the newest background one, else the newest interactive one. */
  last(): QueueEntry | undefined {
    return this.lanes.last();
  }

  /** Up to `limit` entries in the order they would run last first (background, then interactive). */
  fromBack(limit: number): QueueEntry[] {
    return this.lanes.fromBack(limit);
  }

  queued(lane: Lane): number {
    return this.lanes.queued(lane);
  }

  /**
   * Estimated emulated ms until a new entry of `need` tokens in `lane` would be admitted: the tokens
   * ahead of it beyond what the window has free drain at the effective quota per minute.
   */
  estimateWaitMs(lane: Lane, need: number): number {
    const backlog = this.lanes.ahead(lane).reduce((s, e) => s + e.need(), 0) + need;
    const limit = this.limitFor(lane);
    const busy = this.inFlight >= this.concurrency.value ? 1 : 0;
    return Math.max(backlogWaitMs(this.window, backlog, limit, this.requestsPerMinute) + busy, this.cooldownUntil - this.clock.now(), 0);
  }

  /** Whether a batch of `need` tokens would start right now if it were at the head of the queue. */
  canStartNow(need: number, lane: Lane): boolean {
    return this.estimateWaitMs(lane, need) === 0 && this.admissionWaitMs(need, lane) === 0;
  }

  /** A call ended: settle its reservation to what it charged and admit whatever now fits. */
  finish(reservation: Reservation, chargedTokens: number): void {
    this.window.settle(reservation, chargedTokens);
    this.inFlight--;
    this.pump();
  }

  dispose(): void {
    this.disposed = true;
    this.wake.dispose();
  }

  /** Tokens a lane may fill the window to: background work leaves the interactive reserve free (reserve.ts). */
  private limitFor(lane: Lane): number {
    return this.reserve.limitFor(lane, this.window.quotaFor(this.quota.value), this.quota);
  }

  private admissionWaitMs(need: number, lane: Lane): number {
    const cooling = this.cooldownUntil - this.clock.now();
    if (cooling > 0) return cooling;
    return this.window.waitFor(need, this.limitFor(lane), this.requestsPerMinute);
  }

  private pump(): void {
    while (!this.disposed && !this.disabledReason && !this.confirmation.busy && this.inFlight < this.concurrency.value) {
      const lane = this.lanes.next();
      const head = lane[0];
      if (!head) return this.announceIdle();
      const need = head.need();
      if (cutOversize(lane, head, need, this.limitFor(head.lane), (piece) => this.lanes.insert(piece))) continue;
      const wait = this.admissionWaitMs(need, head.lane);
      if (wait === 0 && this.fill) {
        const grown = this.fill.grow(lane, head, need);
        if (grown === 'grown') continue;
        if (grown !== undefined) return this.wake.in(grown);
      }
      const next = wait > 0 ? this.fill?.bypass(lane, head) : { entry: head, index: 0, need };
      if (!next && this.fill?.cut(lane, head, need, wait)) continue;
      if (!next) return this.wake.in(this.fill?.lookAgain(lane, head, wait) ?? wait);
      lane.splice(next.index, 1);
      this.inFlight++;
      const reservation = this.window.reserve(next.need, next.entry.outputPart?.() ?? 0);
      if (this.window.confirms) return this.confirm(next.entry, reservation);
      next.entry.start(reservation);
    }
  }

  /** Times `entry` was overtaken while it waited at the head (for tests and the property checks). */
  bypassesOf(entry: QueueEntry): number {
    return this.fill?.bypassed.get(entry) ?? 0;
  }

  /** With a ledger shared through a server: the local reservation must hold there too before the head starts (queueConfirm.ts). */
  private confirm(head: QueueEntry, reservation: Reservation): void {
    this.confirmation.wait(head, this.window.confirm(reservation, this.limitFor(head.lane), this.requestsPerMinute), (wait, wanted) => {
      if (wait === 0 && wanted && !this.disposed) {
        head.start(reservation);
      } else {
        this.inFlight--;
        // Held in the shared window already (confirmed, then withdrawn): release it; else it never was.
        if (wait === 0) this.window.settle(reservation, 0);
        else this.window.unreserve(reservation);
        // A refused one waits at the head of its lane (its arrival number keeps its place).
        if (wanted && !this.disposed) this.lanes.insert(head);
        if (wait > 0) return this.wake.in(wait);
      }
      this.pump();
    });
  }

  /** Deferred, so a listener that enqueues work does not re-enter the pump. */
  private announceIdle(): void {
    if (!this.onIdle || this.idleAnnounced) return;
    this.idleAnnounced = true;
    queueMicrotask(() => {
      this.idleAnnounced = false;
      if (!this.disposed && !this.disabledReason) this.onIdle?.();
    });
  }
}
