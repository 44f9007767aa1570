/**
 * Time, injected. Everything time-based in Chorus (limiters, backoff, coalescing, the emulator's
 * quota window) reads a Clock so that tests run on virtual time and the benchmark can run the engine
 * and the emulator on one shared, scaled minute.
 *
 * All values are *emulated* milliseconds. With a ScaledClock of scale 60, one emulated minute passes
 * in one real second, and `sleep(60_000)` returns after about a second.
 */
export interface Clock {
  now(): number;
  /** Resolves after `ms` emulated milliseconds; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Real milliseconds for a span of emulated ones (for socket timeouts, which run on real time). */
  toRealMs(ms: number): number;
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError');
}

/** Wall time, sped up by `scale` (1 = real time). Two ScaledClocks with one scale agree across processes. */
export class ScaledClock implements Clock {
  constructor(readonly scale = 1) {
    if (!(scale > 0) || !Number.isFinite(scale)) {
      throw new TypeError(`Expected a positive finite time scale, got ${String(scale)}`);
    }
  }

  now(): number {
    return (performance.timeOrigin + performance.now()) * this.scale;
  }

  toRealMs(ms: number): number {
    return ms / this.scale;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortReason(signal!));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms / this.scale));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

export const systemClock: Clock = new ScaledClock(1);

interface Sleeper {
  at: number;
  seq: number;
  resolve: () => void;
}

/**
 * Virtual time for tests: nothing happens until `advance` (or `runAll`) moves the clock. Sleepers wake
 * in deadline order, and promise callbacks are flushed between wake-ups so chained work observes each
 * step.
 */
export class VirtualClock implements Clock {
  private current: number;
  private seq = 0;
  private sleepers: Sleeper[] = [];

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  toRealMs(ms: number): number {
    return ms;
  }

  get pendingSleepers(): number {
    return this.sleepers.length;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      const sleeper: Sleeper = { at: this.current + Math.max(0, ms), seq: this.seq++, resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          reject(abortReason(signal));
        },
        { once: true },
      );
    });
  }

  /** Moves time forward by `ms`, waking every sleeper due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await flushMicrotasks();
      const next = this.nextDue(target);
      if (!next) break;
      this.sleepers = this.sleepers.filter((s) => s !== next);
      this.current = Math.max(this.current, next.at);
      next.resolve();
    }
    this.current = target;
    await flushMicrotasks();
  }

  /** Advances until no sleeper is left or `limitMs` of virtual time has passed; returns time spent. */
  async runAll(limitMs = 3_600_000): Promise<number> {
    const start = this.current;
    for (;;) {
      await flushMicrotasks();
      const next = this.nextDue(start + limitMs);
      if (!next) break;
      await this.advance(next.at - this.current);
    }
    return this.current - start;
  }

  private nextDue(limit: number): Sleeper | undefined {
    let best: Sleeper | undefined;
    for (const s of this.sleepers) {
      if (s.at > limit) continue;
      if (!best || s.at < best.at || (s.at === best.at && s.seq < best.seq)) best = s;
    }
    return best;
  }
}

async function flushMicrotasks(): Promise<void> {
  // A few macrotask turns let chains of awaits (including those inside libraries) settle.
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
}
