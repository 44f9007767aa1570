/**
 * Bedrock-style admission over a sliding window: a call reserves its estimated input + maxTokens when
 * it starts and is settled to its real usage when it ends. Over any window of `windowMs` the reserved
 * tokens stay within the limit, and so do the requests. (A window is stricter than a token bucket of
 * the same size, so calls admitted here are never throttled by a bucket-based service that charges the
 * same estimate.)
 *
 * `guardMs` keeps each entry a little longer than the window: the service starts its clock when the
 * request arrives, a moment after we reserved, so without it our entry would expire first and the
 * next call could be admitted here yet throttled there. `restamp` moves each entry to the service's
 * count, so the guard only covers what remains: the last leg of a call still in flight.
 */
import type { Clock } from '../clock';
import { ProvenLevel } from './provenLevel';
import { ProbeSpan } from './quotaProbe';
import { expiryWaitMs } from './windowWait';
import { WindowEntries } from './windowEntries';
import type { Reservation } from './windowPeers';

export type { Reservation, WindowPeers } from './windowPeers';

export class QuotaWindow extends WindowEntries {
  /** How long a sent call must go unrefused to count as accepted (quotaProbe.ts). */
  private readonly probe: ProbeSpan;
  /** The highest window level the service accepted; above it the window is probed (provenLevel.ts). */
  private readonly proven: ProvenLevel;
  /** The window's tokens at the last admission read (waitFor). */
  private lastUsed = 0;

  constructor(clock: Clock, windowMs = 60_000, guardMs = 0, probeMs?: number) {
    super(clock, windowMs, guardMs);
    this.probe = new ProbeSpan(probeMs ?? guardMs);
    this.proven = new ProvenLevel(this.probe, windowMs, () => this.peers?.others(false) ?? []);
  }

  /** The proven level right before the last refusal lowered it (undefined: that call was never sent). */
  get lastRefusal(): { provenBefore: number } | undefined {
    return this.proven.lastRefusal;
  }

  /** Emulated ms after which a sent call that was not refused counts as accepted; 0: no probing (ProbeSpan). */
  get probeMs(): number {
    return this.probe.ms;
  }

  /** The highest window level the service was seen to accept (0 before any). */
  get provenLevel(): number {
    this.proven.fold(this.entries, this.clock.now());
    return this.proven.value;
  }

  /**
   * Tokens the service is known to hold now: the others' and those of our calls it accepted (answered,
   * or sent a probe span ago without a refusal). What a throttle says the quota holds at least; the
   * calls still on their way may bounce with it. Without probing, every live call counts (usage()).
   */
  acceptedTokens(): number {
    const all = this.live(false);
    if (this.probeMs <= 0) return all.reduce((s, e) => s + e.tokens, 0);
    this.proven.fold(this.entries, this.clock.now());
    const own = new Set(this.entries);
    return all.reduce((s, e) => (!own.has(e) || e.proven ? s + e.tokens : s), 0);
  }

  /**
   * Emulated ms until `tokens` more fit under `tokenLimit` and one more request under
   * `requestLimit`; 0 when they fit now. A need above the limit is admitted once the window is
   * empty: the only way it can ever run (the planner keeps batches to half a quota, so this happens
   * only after a learned quota fell far below the configured one).
   *
   * Probing: a call that would lift the window above the highest level the service accepted waits
   * until none of our calls is still unproven (sent less than `probeMs` ago, unanswered). A limit
   * below the one configured (configured too high, another tenant) then shows as one throttle, at
   * the first call past it, instead of a whole burst bouncing at once; a throttle is the only signal
   * of a lower limit, and this makes it come as early and as cheap as possible.
   */
  waitFor(tokens: number, tokenLimit: number, requestLimit = Infinity): number {
    const now = this.clock.now();
    const all = this.live(true);
    const need = Math.min(tokens, tokenLimit);
    this.lastUsed = all.reduce((s, e) => s + e.tokens, 0);
    const wait = expiryWaitMs(all, need, tokenLimit, requestLimit, this.span, now);
    return wait === 0 ? this.proven.waitMs(this.lastUsed + need, tokenLimit, this.entries, now) : wait;
  }

  /** Whether an admission must be confirmed by the peers (see WindowPeers.confirm). */
  get confirms(): boolean {
    return this.peers?.confirm !== undefined;
  }

  /** Resolves 0 once `r` holds in the shared window too; else ms to wait (then `unreserve` it). */
  confirm(r: Reservation, tokenLimit: number, requestLimit = Infinity): Promise<number> {
    return this.peers?.confirm ? this.peers.confirm(r, tokenLimit, requestLimit, this.span) : Promise.resolve(0);
  }

  /** The learned quota, lowered to what another holder of the same quota learned recently. */
  quotaFor(own: number): number {
    return this.peers?.sharedQuota ? Math.min(own, this.peers.sharedQuota(own)) : own;
  }

  /** Takes back a reservation the shared window refused: it never started. */
  unreserve(r: Reservation): void {
    this.drop(r);
    this.publish();
  }

  /** `releasable`: of `tokens`, the output cap's part, which settling usually gives back (Reservation). */
  reserve(tokens: number, releasable = 0): Reservation {
    // The level as the admission just read it (waitFor, right before): no second read of the ledger.
    const level = Math.max(this.lastUsed, this.ownUsage().tokens) + tokens;
    const r: Reservation = { at: this.clock.now(), tokens, level, ...(releasable > 0 ? { releasable: Math.min(releasable, tokens) } : {}) };
    this.entries.push(r);
    this.publish();
    return r;
  }

  /**
   * The service started counting the request no earlier than `at`: when it was sent (signing,
   * connecting and a busy event loop can take a while), and once answered, its answer time minus the
   * latency the service reports. Count its window from there, as the service does.
   */
  restamp(r: Reservation, at: number): void {
    if (this.stamp(r, at)) this.publish();
  }

  /**
   * The call was answered: the service counted it from `serviceStart` (the answer's arrival minus the
   * latency the service reported), which is no earlier than its true arrival: the answer's way back is
   * in it. The guard covers the unknown last leg of a call in flight; with the service's start known
   * there is none, so the entry leaves when the service's does — up to a guard (a second) earlier at
   * every window's turn, a sixtieth of the quota (measured, small-quota bench). A start before our send
   * stamp does not add up (a latency longer than the round trip): the guard stays.
   */
  restampAnswered(r: Reservation, serviceStart: number): void {
    const moved = this.stamp(r, serviceStart);
    const known = serviceStart >= (r.sentAt ?? r.at);
    if (known) r.at = serviceStart - this.guardMs;
    // One publish for both moves: with a shared ledger each is a write to it.
    if (moved || known) this.publish();
  }

  /** restamp without publishing; whether `r` moved. */
  private stamp(r: Reservation, at: number): boolean {
    // The second restamp (the answer's arrival) after the first (sent): how long the way there took.
    if (r.sentAt !== undefined && at > r.sentAt) this.probe.noteTransit(at - r.sentAt);
    r.sentAt ??= Math.max(r.at, at);
    if (at <= r.at) return false;
    r.at = at;
    return true;
  }

  /**
   * Replaces a reservation by what the call really charged (0 for a call the service refused). A
   * refused call leaves the window: the service counted it for neither tokens nor requests.
   */
  settle(r: Reservation, tokens: number): void {
    delete r.releasable;
    if (r.refused) return;
    r.tokens = Math.max(0, tokens);
    if (r.tokens > 0) this.proven.prove(r, this.entries);
    else if (!r.proven) {
      this.drop(r);
      this.proven.refused(r, this.clock.now(), () => this.acceptedTokens());
    }
    this.publish();
  }

  /**
   * `r` was refused for the request count ("Too many requests"): it leaves the window, and the token
   * level it reached says nothing about the token quota (the proven level stays).
   */
  refuseRequest(r: Reservation): void {
    r.tokens = 0;
    r.refused = true;
    this.drop(r);
    this.publish();
  }

  protected override beforePrune(): void {
    if (this.probeMs > 0) this.proven.fold(this.entries, this.clock.now());
  }
}
