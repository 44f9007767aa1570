/**
 * Probing a quota above the highest window level the service accepted (QuotaWindow.waitFor): how
 * far above it calls may go unproven at once, and how long a sent call must go unrefused to count as
 * accepted. Bedrock refuses at arrival, so a throttle comes back within about a round trip, long
 * before an answer.
 */

import type { Reservation } from './windowPeers';

/**
 * Tokens above the proven level that may be on their way unproven at once, as a share of the limit:
 * a probe is "one call" for the batches a burst is made of, but a run of small calls (a few hundred
 * tokens each) would otherwise go one at a time through a window they fill a hundredth of. What can
 * bounce at once stays this small.
 */
export const PROBE_STEP_SHARE = 0.1;
/** Largest probe span (a refusal slower than this is not waited for). */
export const MAX_PROBE_MS = 20_000;
/** Transits the probe span follows (the slowest of them). */
const TRANSIT_SAMPLES = 16;

/** The probe span: at least the one configured, grown with the slowest recent transit. */
export class ProbeSpan {
  private transits: number[] = [];
  /** Emulated ms after which a sent, unrefused call counts as accepted; 0: no probing. */
  ms: number;

  constructor(private readonly base: number) {
    if (!(base >= 0)) throw new TypeError(`Expected a probe span ≥ 0 ms, got ${String(base)}`);
    this.ms = base;
  }

  /**
   * A call took `ms` to reach the service. A refusal comes back in about twice that, so a call sent
   * longer ago than twice the slowest recent transit (and the guard) was not refused. Under load the
   * way can take seconds of emulated time (a busy event loop, sockets queued); a fixed span proved
   * calls that were refused a moment later.
   */
  noteTransit(ms: number): void {
    if (!(this.base > 0) || !(ms >= 0)) return;
    this.transits.push(ms);
    if (this.transits.length > TRANSIT_SAMPLES) this.transits.shift();
    this.ms = Math.min(MAX_PROBE_MS, Math.max(this.base, 2 * Math.max(...this.transits) + this.base / 2));
  }
}

/** Ms until the last of our unproven calls counts as accepted (sent `probeMs` ago unrefused); 0: none left. */
export function unprovenWaitMs(entries: readonly Reservation[], now: number, probeMs: number): number {
  let until = 0;
  // A call not sent yet (signing, waiting for a socket) is not on its way: it proves nothing until it is.
  for (const e of entries) if (!e.proven && !e.refused && e.tokens > 0) until = Math.max(until, (e.sentAt ?? now) + probeMs);
  return until > now ? Math.max(1, Math.ceil(until - now)) : 0;
}

/**
 * The level an accepted call `r` proves: the service held at most what our window holds now of the
 * calls counted up to its arrival, settled ones at what they were charged (not what they reserved),
 * plus the others'. Below the level read when it was reserved: calls settle lower than they reserve,
 * and counting their reservations proved levels the service had never held (and then refused).
 */
export function acceptedLevel(r: Reservation, level: number, ours: readonly Reservation[], theirs: readonly Reservation[], windowMs: number): number {
  const from = r.at - windowMs;
  const held = (list: readonly Reservation[]) => list.reduce((s, e) => (e.at > from && e.at <= r.at ? s + e.tokens : s), 0);
  return Math.min(level, held(ours) + held(theirs));
}
