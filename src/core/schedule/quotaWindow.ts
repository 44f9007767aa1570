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

export interface Reservation {
  /** When the service starts counting it: reservation time, moved to the send time by `restamp`. */
  at: number;
  tokens: number;
}

/**
 * The other holders of the same quota — another process, another VS Code window, another folder —
 * seen through a shared ledger (src/core/ledger/). Bedrock books a quota per account, so admission
 * must count what they reserved, and they must see what we reserve.
 */
export interface WindowPeers {
  /**
   * Reservations the others hold now (`at` on the same clock as ours). `forAdmission`: a decision to
   * reserve may follow, so nobody else may reserve between this read and our next `publish`.
   */
  others(forAdmission: boolean): readonly Reservation[];
  /** Our entries changed (reserved, restamped, settled): make them visible to the others. */
  publish(own: readonly Reservation[]): void;
  /**
   * For a ledger that cannot lock synchronously (Redis): `others` is then a mirror, good for
   * estimates, and an admission reserved locally is confirmed here, atomically against the shared
   * window. Resolves 0 when `r` is now held there too, else the emulated ms until it would fit (the
   * caller undoes its local reservation and waits). `spanMs`: how long an entry counts (the window and
   * its guard). Never rejects: a ledger that is away confirms.
   */
  confirm?(r: Reservation, tokenLimit: number, requestLimit: number, spanMs: number): Promise<number>;
  /**
   * The quota every holder may use, given the one this instance learned: the lowest that any of them
   * learned recently (another instance was throttled, so the account's real quota is lower).
   */
  sharedQuota?(own: number): number;
}

export class QuotaWindow {
  private entries: Reservation[] = [];
  private peers: WindowPeers | undefined;

  constructor(
    private readonly clock: Clock,
    readonly windowMs = 60_000,
    public guardMs = 0,
  ) {
    if (!(windowMs > 0)) throw new TypeError(`Expected a positive window in ms, got ${String(windowMs)}`);
    if (!(guardMs >= 0)) throw new TypeError(`Expected a guard ≥ 0 ms, got ${String(guardMs)}`);
  }

  /** Counts the reservations of others sharing the quota from now on. */
  share(peers: WindowPeers): void {
    this.peers = peers;
    peers.publish(this.entries);
  }

  /** Tokens and requests charged inside the window ending now, ours and our peers'. */
  usage(): { tokens: number; requests: number } {
    const all = this.live(false);
    return { tokens: all.reduce((s, e) => s + e.tokens, 0), requests: all.length };
  }

  /** Tokens and requests of this window's own calls only (what this instance spent). */
  ownUsage(): { tokens: number; requests: number } {
    this.prune();
    return { tokens: this.entries.reduce((s, e) => s + e.tokens, 0), requests: this.entries.length };
  }

  /**
   * Emulated ms until `tokens` more fit under `tokenLimit` and one more request under
   * `requestLimit`; 0 when they fit now. A need above the limit is admitted once the window is
   * empty: the only way it can ever run (the planner keeps batches to half a quota, so this happens
   * only after a learned quota fell far below the configured one).
   */
  waitFor(tokens: number, tokenLimit: number, requestLimit = Infinity): number {
    const now = this.clock.now();
    const all = this.live(true);
    const need = Math.min(tokens, tokenLimit);
    let used = all.reduce((s, e) => s + e.tokens, 0);
    let count = all.length;
    const fits = () => used + need <= tokenLimit && count + 1 <= requestLimit;
    if (fits()) return 0;
    for (const e of [...all].sort((a, b) => a.at - b.at)) {
      used -= e.tokens;
      count -= 1;
      if (fits()) return Math.max(1, e.at + this.span - now);
    }
    return 0;
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
    const i = this.entries.indexOf(r);
    if (i < 0) return;
    this.entries.splice(i, 1);
    this.publish();
  }

  reserve(tokens: number): Reservation {
    const r: Reservation = { at: this.clock.now(), tokens };
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
    if (at <= r.at) return;
    r.at = at;
    this.publish();
  }

  /** Replaces a reservation by what the call really charged (0 for a call the service refused). */
  settle(r: Reservation, tokens: number): void {
    r.tokens = Math.max(0, tokens);
    this.publish();
  }

  private get span(): number {
    return this.windowMs + this.guardMs;
  }

  /** Our entries and our peers' still inside the window (theirs read through the ledger). */
  private live(forAdmission: boolean): Reservation[] {
    this.prune();
    if (!this.peers) return this.entries;
    const horizon = this.clock.now() - this.span;
    return [...this.entries, ...this.peers.others(forAdmission).filter((e) => e.at > horizon)];
  }

  private publish(): void {
    if (!this.peers) return;
    this.prune();
    this.peers.publish(this.entries);
  }

  private prune(): void {
    const horizon = this.clock.now() - this.span;
    if (this.entries.some((e) => e.at <= horizon)) this.entries = this.entries.filter((e) => e.at > horizon);
  }
}
