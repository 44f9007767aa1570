/**
 * A model queue's two lanes: interactive strictly before background, FIFO by arrival number within
 * a lane (a retried or re-routed entry keeps its place). What waits, not what is admitted: that is
 * modelQueue.ts.
 */
import type { Lane } from '../types';
import type { Reservation } from './windowPeers';

export interface QueueEntry {
  lane: Lane;
  /** Arrival order across the dispatcher; lower runs first within a lane. */
  seq: number;
  /** Tokens to reserve (input estimate + output cap), asked at admission time. */
  need(): number;
  /** Of need(), the output cap's part (what the call's answer usually gives back to the window). */
  outputPart?(): number;
  /** Called once the entry is admitted and its reservation taken. */
  start(reservation: Reservation): void;
  /**
   * Cuts the entry so that its first piece reserves at most `room` (split.ts): the two pieces'
   * entries, first piece first, which take its place; undefined when it cannot be cut so.
   */
  split?(room: number): QueueEntry[] | undefined;
  /**
   * Sends the entry together with the first lines of `next` (the entry behind it), or of work queued
   * on another model when there is none, in one call that reserves at most `room` (joint.ts): that
   * call's entry, and the entry for the rest of `next` (none for another model's, which stays there).
   */
  grow?(room: number, next: QueueEntry | undefined): { joint: QueueEntry; rest?: QueueEntry } | undefined;
  /** Tokens a cut adds for good: the second piece's system prompt and tool spec, as the model counts them. */
  cutCost?: number;
}

export class QueueLanes {
  private lanes: Record<Lane, QueueEntry[]> = { interactive: [], background: [] };

  /** The lane whose head runs next: interactive while any waits. */
  next(): QueueEntry[] {
    return this.lanes.interactive.length > 0 ? this.lanes.interactive : this.lanes.background;
  }

  /** Into its lane by arrival number. */
  insert(entry: QueueEntry): void {
    const lane = this.lanes[entry.lane];
    let i = lane.length;
    while (i > 0 && lane[i - 1]!.seq > entry.seq) i--;
    lane.splice(i, 0, entry);
  }

  remove(entry: QueueEntry): boolean {
    const lane = this.lanes[entry.lane];
    const i = lane.indexOf(entry);
    if (i < 0) return false;
    lane.splice(i, 1);
    return true;
  }

  /** Removes and returns everything, interactive first. */
  drain(): QueueEntry[] {
    const all = [...this.lanes.interactive, ...this.lanes.background];
    this.lanes = { interactive: [], background: [] };
    return all;
  }

  /** The entry that would run last: the newest background one, else the newest interactive one. */
  last(): QueueEntry | undefined {
    return this.lanes.background.at(-1) ?? this.lanes.interactive.at(-1);
  }

  /** Up to `limit` entries in the order they would run last first (background, then interactive). */
  fromBack(limit: number): QueueEntry[] {
    return [...this.lanes.background].reverse().concat([...this.lanes.interactive].reverse()).slice(0, limit);
  }

  queued(lane: Lane): number {
    return this.lanes[lane].length;
  }

  /** What a new entry in `lane` would wait behind: its lane and the lanes before it. */
  ahead(lane: Lane): QueueEntry[] {
    return this.lanes.interactive.concat(lane === 'background' ? this.lanes.background : []);
  }
}
