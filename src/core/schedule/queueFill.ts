/**
 * A model queue's filling of its window around the head (the rules are admission.ts's): the head
 * grown into the room it leaves, an entry behind a head that does not fit started instead (bounded
 * bypass), the head cut to the room left, and when to look again as the window turns. Not used in
 * strict head-of-line mode (ModelQueueOptions.fillWindow false).
 */
import type { Lane } from '../types';
import { bypassOf, cutToRoom, growHead, lookAgainMs, RELEASE_WAIT_MS } from './admission';
import type { QueueEntry } from './queueLanes';
import type { QuotaWindow } from './quotaWindow';

/** What filling reads from, and does to, its queue. */
export interface FillHost {
  readonly window: QuotaWindow;
  /** Whether the model is cooling down after a throttle (then the window is not what it waits for). */
  cooling(): boolean;
  /** Tokens a lane may fill the window to. */
  limitFor(lane: Lane): number;
  admissionWaitMs(need: number, lane: Lane): number;
  /** Puts an entry (a piece, a rest) back into its lane. */
  insert(entry: QueueEntry): void;
}

export class WindowFilling {
  /** Times each waiting head was overtaken (bounded by MAX_BYPASS). */
  readonly bypassed = new WeakMap<QueueEntry, number>();
  /** Heads that waited (once) for the answers in flight to give back their output caps before growing. */
  private readonly waitedForAnswers = new WeakSet<QueueEntry>();

  constructor(private readonly q: FillHost) {}

  /**
   * The head fits: grown with the first lines of the entry behind it when the room it leaves would stay
   * empty ('grown': the joint call is the head now), or the ms to wait for the answers in flight first.
   */
  grow(lane: QueueEntry[], head: QueueEntry, need: number): 'grown' | number | undefined {
    const releasing = this.waitedForAnswers.has(head) ? 0 : this.q.window.releasing();
    const grown = growHead(lane, head, need, this.growthRoom(head.lane), this.q.limitFor(head.lane), releasing, (e) => this.q.insert(e));
    if (grown !== 'wait') return grown;
    this.waitedForAnswers.add(head);
    return RELEASE_WAIT_MS;
  }

  /** The head does not fit: an entry behind it that does, while the head may still be overtaken. */
  bypass(lane: QueueEntry[], head: QueueEntry): { entry: QueueEntry; index: number; need: number } | undefined {
    return bypassOf(lane, head, this.bypassed, (n, l) => this.q.admissionWaitMs(n, l));
  }

  /**
   * The head does not fit and nothing behind it does: cut it so that its first piece fills the room
   * left (the rest keeps its place), when the window, not a cooldown, is what it waits for, and no
   * call in flight still holds an output cap its answer will mostly give back (QuotaWindow.releasing;
   * why: docs/scheduler.md, "Admission").
   */
  cut(lane: QueueEntry[], head: QueueEntry, need: number, wait: number): boolean {
    if (!head.split || this.q.cooling() || this.q.window.releasing() > 0) return false;
    const limit = this.q.limitFor(head.lane);
    return cutToRoom(lane, head, need, this.roomFor(head.lane), (piece) => this.q.insert(piece), { waitMs: wait, windowMs: this.q.window.windowMs, limit });
  }

  /** When to pump again while nothing can start (lookAgainMs): when the head fits, or sooner for room around it. */
  lookAgain(lane: readonly QueueEntry[], head: QueueEntry, wait: number): number {
    if (this.q.cooling() || (!head.split && lane.length < 2)) return wait;
    return lookAgainMs(wait, this.roomFor(head.lane), this.q.window.nextDeparture(), head.cutCost, this.q.window.windowMs);
  }

  /** Tokens `lane` may still reserve in the window now. */
  private roomFor(lane: Lane): number {
    return this.q.limitFor(lane) - this.q.window.usage().tokens;
  }

  /**
   * Room a head may grow into: with probing, no higher than the level the service was seen to accept.
   * A joint call is not cut again, so grown into room a lower real quota does not have (a quota
   * configured far too high) it was refused until it failed.
   */
  private growthRoom(lane: Lane): number {
    const used = this.q.window.usage().tokens;
    const room = this.q.limitFor(lane) - used;
    return this.q.window.probeMs > 0 ? Math.min(room, this.q.window.provenLevel - used) : room;
  }
}
