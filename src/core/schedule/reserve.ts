/**
 * What background work leaves free in a model's window for interactive work (a save), and for the
 * edge of a quota learned from throttles; interactive work may use the whole quota.
 */
import type { Clock } from '../clock';
import type { Lane } from '../types';
import type { LearnedQuota } from './learnedQuota';

/**
 * Share of the effective quota background work leaves free for interactive work, where there is any
 * (ModelQueueOptions.interactiveReserve). Without it a burst reserves the whole window (all at once at
 * its start), and a save waits until those reservations expire: up to a minute. Interactive work may
 * use the whole quota. A host with no interactive source (the CLI) keeps no reserve: nobody would use it.
 */
export const INTERACTIVE_RESERVE = 0.08;

/**
 * The reserve while the user is saving (an interactive batch came within EDITING_MS). Each save holds
 * its reservation for the whole 60 s window, so saves every 20 s hold three saves' worth at once, and
 * a file of several chunks needs several batches' worth together: with 8 % (8k of 100k, 4.8k of 60k
 * tokens/min) a three-chunk save during a burst waited ~35 s for the burst's reservations to expire.
 * Outside editing spells the reserve falls back to INTERACTIVE_RESERVE, so the first save still starts.
 */
export const EDITING_RESERVE = 0.16;
export const EDITING_MS = 120_000;

/**
 * A quota learned from throttles (below the configured ceiling: another tenant, a lower account
 * limit) is where the service began to refuse, not a known limit: background work stays this share
 * below it, or it would probe the edge with every window. Measured with another tenant spending 25 %
 * of tiny quotas (test/reliability/tokenizerSkew.test.ts): 4–6 of ~91 late requests throttled filling
 * the learned quota, 4 of 92 (three runs) with an 8 % margin. Since a measured cut rests at what the
 * service held (learnedQuota.ts) instead of climbing back into the next refusal, 3 % covers the
 * tenant's own unevenness: 0 of 90 late there; the benchmark's foreign-tenant workload measured 0.90–0.91
 * of what is left with 3 % (0.81–0.83 with 8 %, though on a more loaded machine). A quota that was
 * never cut is filled whole.
 */
export const LEARNED_QUOTA_MARGIN = 0.03;

export class LaneReserve {
  /** When interactive work last arrived (EDITING_RESERVE holds for EDITING_MS after it). */
  private lastInteractiveAt = Number.NEGATIVE_INFINITY;

  /** `interactiveReserve`: INTERACTIVE_RESERVE, or 0 where no interactive source exists (the CLI). */
  constructor(
    private readonly clock: Clock,
    private readonly interactiveReserve: number,
  ) {}

  noteInteractive(): void {
    this.lastInteractiveAt = this.clock.now();
  }

  /** Tokens `lane` may fill the window to, of `quota` (the window's quota under the learned one). */
  limitFor(lane: Lane, quota: number, learned: LearnedQuota): number {
    if (lane === 'interactive') return quota;
    const margin = learned.value < learned.ceiling ? LEARNED_QUOTA_MARGIN : 0;
    const editing = this.interactiveReserve > 0 && this.clock.now() - this.lastInteractiveAt < EDITING_MS;
    return quota * (1 - Math.max(editing ? Math.max(this.interactiveReserve, EDITING_RESERVE) : this.interactiveReserve, margin));
  }
}
