/**
 * What a quota window holds: our reservations and, through a shared ledger (WindowPeers), those of
 * the others holding the same quota. The bookkeeping under QuotaWindow (quotaWindow.ts), which decides
 * what is admitted into it.
 */
import type { Clock } from '../clock';
import type { Reservation, WindowPeers } from './windowPeers';

export class WindowEntries {
  protected entries: Reservation[] = [];
  protected peers: WindowPeers | undefined;

  constructor(
    protected readonly clock: Clock,
    readonly windowMs: number,
    public guardMs: number,
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

  /** Output-cap tokens our calls in flight hold (Reservation.releasable): room their answers will likely free. */
  releasing(): number {
    return this.entries.reduce((s, e) => s + (e.releasable ?? 0), 0);
  }

  /**
   * The oldest entry still in the window (ours or a peer's): emulated ms until it leaves, and the
   * tokens it frees then; undefined when the window is empty.
   */
  nextDeparture(): { ms: number; tokens: number } | undefined {
    const all = this.live(false);
    if (all.length === 0) return undefined;
    const oldest = all.reduce((min, e) => (e.at < min.at ? e : min));
    return { ms: Math.max(1, oldest.at + this.span - this.clock.now()), tokens: oldest.tokens };
  }

  /** Requests the service held in the minute up to `at` (ours it did not refuse, and our peers'). */
  requestsHeldAt(at: number): number {
    return this.live(false).filter((e) => !e.refused && e.at > at - this.windowMs && e.at <= at).length;
  }

  /** How long an entry counts: the window and its guard. */
  protected get span(): number {
    return this.windowMs + this.guardMs;
  }

  protected drop(r: Reservation): void {
    const i = this.entries.indexOf(r);
    if (i >= 0) this.entries.splice(i, 1);
  }

  /** Our entries and our peers' still inside the window (theirs read through the ledger). */
  protected live(forAdmission: boolean): Reservation[] {
    this.prune();
    if (!this.peers) return this.entries;
    const horizon = this.clock.now() - this.span;
    return [...this.entries, ...this.peers.others(forAdmission).filter((e) => e.at > horizon)];
  }

  protected publish(): void {
    if (!this.peers) return;
    this.prune();
    this.peers.publish(this.entries);
  }

  /** Drops what left the window; `beforePrune` first (the proven level folds entries as they age). */
  protected prune(): void {
    this.beforePrune();
    const horizon = this.clock.now() - this.span;
    if (this.entries.some((e) => e.at <= horizon)) this.entries = this.entries.filter((e) => e.at > horizon);
  }

  protected beforePrune(): void {}
}
