/**
 * One model's queue: two lanes (interactive strictly before background), FIFO by arrival within a
 * lane, and admission by the model's quota window under its learned effective quota. When the head's
 * reservation does not fit the room left in the window, a smaller entry behind it in the same lane
 * that does fit starts instead (the room would otherwise stay empty until the head fits): a bounded
 * bypass, at most MAX_BYPASS per head, after which nothing overtakes it, so a large batch is never
 * starved. Background work never overtakes waiting interactive work.
 *
 * Not p-queue: its admission counts calls, ours reserves tokens, and its interval timers run on real
 * time while ours must wake on the injected clock (virtual in tests, scaled in the benchmark).
 */
import type { Clock } from '../clock';
import type { ModelConfig } from '../config/types';
import type { Lane } from '../types';
import { backoffMs } from './backoff';
import { LearnedConcurrency } from './concurrency';
import { LearnedQuota } from './learnedQuota';
import { OutputCapLearner } from './outputCap';
import { QuotaWindow, type Reservation } from './quotaWindow';
import { DEFAULT_MAX_CONCURRENCY } from './options';
import { LaneReserve } from './reserve';
import { bypassOf, cutToRoom } from './admission';

export { EDITING_MS, EDITING_RESERVE, INTERACTIVE_RESERVE, LEARNED_QUOTA_MARGIN } from './reserve';
export { FILL_CUT_SHARE, IDLE_CUT_SHARE, MAX_BYPASS } from './admission';

export interface QueueEntry {
  lane: Lane;
  /** Arrival order across the dispatcher; lower runs first within a lane. */
  seq: number;
  /** Tokens to reserve (input estimate + output cap), asked at admission time. */
  need(): number;
  /** Called once the entry is admitted and its reservation taken. */
  start(reservation: Reservation): void;
  /**
   * Cuts the entry so that its first piece reserves at most `room` (split.ts): the two pieces'
   * entries, first piece first, which take its place; undefined when it cannot be cut so.
   */
  split?(room: number): QueueEntry[] | undefined;
}

export interface ModelQueueOptions {
  clock: Clock;
  random: () => number;
  maxConcurrency?: number;
  /** Extra emulated ms each reservation is kept past the 60 s window (see QuotaWindow). */
  windowGuardMs?: number;
  /** Probe above the highest window level the service accepted, one call per this many ms (QuotaWindow); 0: off. */
  quotaProbeMs?: number;
  /** Share of the quota background work leaves to interactive work: INTERACTIVE_RESERVE, or 0 (default). */
  interactiveReserve?: number;
  /** Admit smaller entries behind a head that does not fit (bounded bypass); default true. */
  fillWindow?: boolean;
}

export class ModelQueue {
  readonly window: QuotaWindow;
  readonly quota: LearnedQuota;
  readonly outputCap: OutputCapLearner;
  private readonly fillWindow: boolean;
  /** What background work leaves free for interactive work, and when (reserve.ts). */
  private readonly reserve: LaneReserve;
  /** Times each waiting head was overtaken (bounded by MAX_BYPASS). */
  private readonly bypassed = new WeakMap<QueueEntry, number>();
  /** Calls in flight at most, learned from 503 "Too many connections" (see concurrency.ts). */
  readonly concurrency: LearnedConcurrency;
  inFlight = 0;
  disabledReason: string | undefined;
  /**
   * Whether the model's endpoint has answered anything in this dispatcher's life: a response, a
   * service error, even a dropped connection. A model that never has leaves the run after one call
   * with no answer at all (timeout, refused, no DNS name) instead of burning a timeout per retry.
   */
  answered = false;
  /** Set when the model left the run because it never answered. */
  unreachable = false;
  private readonly lanes: Record<Lane, QueueEntry[]> = { interactive: [], background: [] };
  private readonly clock: Clock;
  private readonly random: () => number;
  private cooldownUntil = 0;
  private consecutiveThrottles = 0;
  private wake: { at: number; ctrl: AbortController } | undefined;
  private disposed = false;
  private idleAnnounced = false;
  /**
   * The head whose local reservation a shared ledger is confirming (WindowPeers.confirm): out of its
   * lane meanwhile; `withdrawn` when it was removed or drained before the answer came.
   */
  private confirming: { entry: QueueEntry; withdrawn: boolean } | undefined;
  /** Called when the queue ran empty with room for more calls (the dispatcher steals work for it). */
  onIdle: (() => void) | undefined;

  constructor(
    readonly model: ModelConfig,
    options: ModelQueueOptions,
  ) {
    this.clock = options.clock;
    this.random = options.random;
    const maxConcurrency = options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
    if (!(maxConcurrency >= 1)) throw new TypeError(`Expected maxConcurrency ≥ 1, got ${String(options.maxConcurrency)}`);
    this.concurrency = new LearnedConcurrency(maxConcurrency);
    this.window = new QuotaWindow(this.clock, 60_000, options.windowGuardMs ?? 0, options.quotaProbeMs ?? 0);
    this.quota = new LearnedQuota(model.tokensPerMinute);
    this.outputCap = new OutputCapLearner(model);
    this.reserve = new LaneReserve(this.clock, options.interactiveReserve ?? 0);
    this.fillWindow = options.fillWindow ?? true;
  }

  get id(): string {
    return this.model.id;
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
    this.insert(entry);
    this.pump();
  }

  remove(entry: QueueEntry): boolean {
    if (this.confirming?.entry === entry && !this.confirming.withdrawn) {
      this.confirming.withdrawn = true;
      return true;
    }
    const lane = this.lanes[entry.lane];
    const i = lane.indexOf(entry);
    if (i < 0) return false;
    lane.splice(i, 1);
    return true;
  }

  /** Removes and returns everything queued (the model left the run). */
  drain(): QueueEntry[] {
    const all = [...this.lanes.interactive, ...this.lanes.background];
    if (this.confirming && !this.confirming.withdrawn) {
      this.confirming.withdrawn = true;
      all.unshift(this.confirming.entry);
    }
    this.lanes.interactive = [];
    this.lanes.background = [];
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

  /**
   * Estimated emulated ms until a new entry of `need` tokens in `lane` would be admitted: the tokens
   * ahead of it beyond what the window has free drain at the effective quota per minute.
   */
  estimateWaitMs(lane: Lane, need: number): number {
    const ahead = this.lanes.interactive.concat(lane === 'background' ? this.lanes.background : []);
    const backlog = ahead.reduce((s, e) => s + e.need(), 0) + need;
    const limit = this.limitFor(lane);
    const busy = this.inFlight >= this.concurrency.value ? 1 : 0;
    const cooling = this.cooldownUntil - this.clock.now();
    // Interactive work goes before anything new, so when its backlog fits one window the wait is
    // exactly when the window's entries leave (a burst's reservations expire in clusters, not evenly).
    if (lane === 'interactive' && backlog <= limit) return Math.max(this.window.waitFor(backlog, limit, this.model.requestsPerMinute) + busy, cooling, 0);
    const excess = this.window.usage().tokens + backlog - limit;
    const drain = excess > 0 ? (excess / limit) * this.window.windowMs : 0;
    return Math.max(drain + busy, cooling, 0);
  }

  /** Whether a batch of `need` tokens would start right now if it were at the head of the queue. */
  canStartNow(need: number, lane: Lane): boolean {
    return this.estimateWaitMs(lane, need) === 0 && this.admissionWaitMs(need, lane) === 0;
  }

  /**
   * A call was throttled (its reservation already released): lower the effective quota, never below
   * what the window holds of the calls the service did accept, and pause the model briefly (jittered).
   */
  noteThrottle(): void {
    this.quota.onThrottle(this.clock.now(), this.window.acceptedTokens());
    this.consecutiveThrottles++;
    this.cooldownUntil = Math.max(this.cooldownUntil, this.clock.now() + backoffMs(this.consecutiveThrottles - 1, this.random, 500, 30_000));
  }

  noteSuccess(): void {
    this.quota.onSuccess(this.clock.now());
    this.concurrency.onSuccess();
    this.consecutiveThrottles = 0;
    this.answered = true;
  }

  /**
   * A call that started at `startedAt` got 503 "Too many connections" (call this before `finish`
   * releases its slot, so that it counts as in flight): halve the concurrency toward what was in
   * flight. Not a quota signal: the learned quota stays.
   */
  noteTooManyConnections(startedAt: number): void {
    this.concurrency.onTooMany(startedAt, this.inFlight, this.clock.now());
  }

  /** A call ended: settle its reservation to what it charged and admit whatever now fits. */
  finish(reservation: Reservation, chargedTokens: number): void {
    this.window.settle(reservation, chargedTokens);
    this.inFlight--;
    this.pump();
  }

  dispose(): void {
    this.disposed = true;
    this.wake?.ctrl.abort();
    this.wake = undefined;
  }

  /** Tokens a lane may fill the window to: background work leaves the interactive reserve free (reserve.ts). */
  private limitFor(lane: Lane): number {
    return this.reserve.limitFor(lane, this.window.quotaFor(this.quota.value), this.quota);
  }

  private admissionWaitMs(need: number, lane: Lane): number {
    const cooling = this.cooldownUntil - this.clock.now();
    if (cooling > 0) return cooling;
    return this.window.waitFor(need, this.limitFor(lane), this.model.requestsPerMinute);
  }

  private pump(): void {
    while (!this.disposed && !this.disabledReason && !this.confirming && this.inFlight < this.concurrency.value) {
      const lane = this.lanes.interactive.length > 0 ? this.lanes.interactive : this.lanes.background;
      const head = lane[0];
      if (!head) return this.announceIdle();
      const need = head.need();
      const wait = this.admissionWaitMs(need, head.lane);
      const next = wait > 0 ? (this.fillWindow ? bypassOf(lane, head, this.bypassed, (n, l) => this.admissionWaitMs(n, l)) : undefined) : { entry: head, index: 0, need };
      if (!next && this.cutHead(lane, head, need, wait)) continue;
      if (!next) return this.wakeIn(wait);
      lane.splice(next.index, 1);
      this.inFlight++;
      const reservation = this.window.reserve(next.need);
      if (this.window.confirms) return this.confirm(next.entry, reservation);
      next.entry.start(reservation);
    }
  }

  /**
   * The head does not fit and nothing behind it does: cut it so that its first piece fills the room
   * left (the rest keeps its place), when the window, not a cooldown, is what it waits for.
   */
  private cutHead(lane: QueueEntry[], head: QueueEntry, need: number, wait: number): boolean {
    if (!this.fillWindow || !head.split || this.cooldownUntil > this.clock.now()) return false;
    return cutToRoom(lane, head, need, this.limitFor(head.lane) - this.window.usage().tokens, (piece) => this.insert(piece), wait, this.window.windowMs);
  }

  /** Times `entry` was overtaken while it waited at the head (for tests and the property checks). */
  bypassesOf(entry: QueueEntry): number {
    return this.bypassed.get(entry) ?? 0;
  }

  /**
   * The one asynchronous step, only with a ledger shared through a server (Redis): the reservation
   * taken locally must also fit the account's window there. One confirmation at a time per model, so
   * the queue's order holds; a refused one is taken back and its entry waits at the head of its lane.
   */
  private confirm(head: QueueEntry, reservation: Reservation): void {
    const pending = { entry: head, withdrawn: false };
    this.confirming = pending;
    void this.window.confirm(reservation, this.limitFor(head.lane), this.model.requestsPerMinute ?? Infinity).then((wait) => {
      this.confirming = undefined;
      if (wait === 0 && !pending.withdrawn && !this.disposed) {
        head.start(reservation);
      } else {
        this.inFlight--;
        // Held in the shared window already (confirmed, then withdrawn): release it; else it never was.
        if (wait === 0) this.window.settle(reservation, 0);
        else this.window.unreserve(reservation);
        if (!pending.withdrawn && !this.disposed) this.insert(head);
        if (wait > 0) return this.wakeIn(wait);
      }
      this.pump();
    });
  }

  /** Into its lane by arrival number: a retried or re-routed entry keeps its place. */
  private insert(entry: QueueEntry): void {
    const lane = this.lanes[entry.lane];
    let i = lane.length;
    while (i > 0 && lane[i - 1]!.seq > entry.seq) i--;
    lane.splice(i, 0, entry);
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

  private wakeIn(ms: number): void {
    const at = this.clock.now() + ms;
    if (this.wake && this.wake.at <= at) return;
    this.wake?.ctrl.abort();
    const wake = { at, ctrl: new AbortController() };
    this.wake = wake;
    this.clock.sleep(ms, wake.ctrl.signal).then(
      () => {
        if (this.wake === wake) this.wake = undefined;
        this.pump();
      },
      () => {},
    );
  }
}
