/**
 * The highest window level (tokens, ours and our peers') the service was seen to accept, and what
 * probing above it waits for (QuotaWindow.waitFor). A call is accepted when it is answered, or when it
 * was sent a probe span ago without a refusal (quotaProbe.ts); a refusal lowers the level to what is
 * known to be held, because a level proven earlier (another tenant since, a count recalibrated) may no
 * longer hold.
 */
import { acceptedLevel, PROBE_STEP_SHARE, type ProbeSpan, unprovenWaitMs } from './quotaProbe';
import type { Reservation } from './windowPeers';

export class ProvenLevel {
  private level = 0;
  /** The proven level right before the last refusal lowered it (undefined: that call was never sent). */
  lastRefusal: { provenBefore: number } | undefined;

  /** `others`: the peers' reservations now (read through the ledger). */
  constructor(
    private readonly probe: ProbeSpan,
    private readonly windowMs: number,
    private readonly others: () => readonly Reservation[],
  ) {}

  get value(): number {
    return this.level;
  }

  /** `r` (one of `own`) was accepted: the level it reached is proven (acceptedLevel, quotaProbe.ts). */
  prove(r: Reservation, own: readonly Reservation[]): void {
    if (r.proven || r.refused) return;
    r.proven = true;
    if (r.level !== undefined) this.level = Math.max(this.level, acceptedLevel(r, r.level, own, this.others(), this.windowMs));
  }

  /**
   * Calls sent a probe span ago and not refused were accepted: the levels they reached are proven. A
   * provider that does not report sending (ModelRequest.onSent) proves levels by its answers only.
   */
  fold(own: readonly Reservation[], now: number): void {
    for (const e of own) if (!e.proven && !e.refused && e.tokens > 0 && e.sentAt !== undefined && e.sentAt + this.probe.ms <= now) this.prove(e, own);
  }

  /** 0, or the ms until the last unproven call of ours counts as accepted, for a call lifting the window to `level`. */
  waitMs(level: number, tokenLimit: number, own: readonly Reservation[], now: number): number {
    if (this.probe.ms <= 0) return 0;
    this.fold(own, now);
    // Free up to the proven level (and the first PROBE_STEP_SHARE of the limit, so a run's first small
    // calls go together); above it one unproven call at a time. A free band *above* the proven level
    // (proven + a tenth of the limit, as before) let two calls cross an unknown real quota together, and
    // both bounced: with quotas configured 2× too high the band was two batches (bench wrong-quotas).
    if (level <= Math.max(this.level, PROBE_STEP_SHARE * tokenLimit)) return 0;
    return unprovenWaitMs(own, now, this.probe.ms);
  }

  /**
   * `r` was refused (or never sent): the level it probed was not accepted. `accepted`: what the
   * window is known to hold now. A refusal slower than the probe span means the span is too short to
   * tell an accepted call from one about to bounce.
   */
  refused(r: Reservation, now: number, accepted: () => number): void {
    r.refused = true;
    this.lastRefusal = undefined;
    if (r.sentAt === undefined) return;
    this.probe.noteTransit((now - r.sentAt) / 2);
    this.lastRefusal = { provenBefore: this.level };
    if (this.probe.ms > 0) this.level = Math.min(this.level, accepted());
  }
}
