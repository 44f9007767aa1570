/**
 * Turns a stream of file-change events into runs: changes are collected until no new one arrived
 * for `quietMs`, or until `maxWaitMs` after the first one (so a generator that never stops still
 * gets analyzed). A path changed several times in one burst is flushed once; its newest content is
 * read when the run starts, not when the change was seen.
 *
 * Time comes from a Clock, so tests drive it on virtual time.
 */
import type { Clock } from '../../core/clock';

export interface CoalescerOptions {
  quietMs: number;
  maxWaitMs: number;
  clock: Clock;
  /** Receives each burst's distinct paths, in first-seen order. */
  onFlush: (paths: string[]) => void;
}

export class BurstCoalescer {
  private pending = new Set<string>();
  private firstAt = 0;
  private timer: AbortController | undefined;
  private disposed = false;

  constructor(private options: CoalescerOptions) {
    if (!(options.quietMs >= 0) || !(options.maxWaitMs >= 0)) {
      throw new TypeError(`Expected quietMs and maxWaitMs ≥ 0, got ${options.quietMs} and ${options.maxWaitMs}`);
    }
  }

  get size(): number {
    return this.pending.size;
  }

  has(path: string): boolean {
    return this.pending.has(path);
  }

  add(path: string): void {
    if (this.disposed) return;
    const now = this.options.clock.now();
    if (this.pending.size === 0) this.firstAt = now;
    this.pending.add(path);
    const deadline = Math.min(now + this.options.quietMs, this.firstAt + this.options.maxWaitMs);
    this.arm(deadline - now);
  }

  /** Drops a path another trigger took over (a save analyzes it now) or that no longer exists. */
  remove(path: string): void {
    this.pending.delete(path);
    if (this.pending.size === 0) this.cancelTimer();
  }

  /** New timings apply from the next change; the running burst keeps its deadline. */
  reconfigure(quietMs: number, maxWaitMs: number): void {
    this.options = { ...this.options, quietMs, maxWaitMs };
  }

  flush(): void {
    this.cancelTimer();
    if (this.pending.size === 0) return;
    const paths = [...this.pending];
    this.pending = new Set();
    this.options.onFlush(paths);
  }

  dispose(): void {
    this.disposed = true;
    this.cancelTimer();
    this.pending.clear();
  }

  private arm(delayMs: number): void {
    this.cancelTimer();
    const timer = new AbortController();
    this.timer = timer;
    this.options.clock.sleep(Math.max(0, delayMs), timer.signal).then(
      () => {
        if (this.timer === timer) this.flush();
      },
      () => {
        // Re-armed or disposed: a newer timer owns the burst.
      },
    );
  }

  private cancelTimer(): void {
    this.timer?.abort();
    this.timer = undefined;
  }
}
