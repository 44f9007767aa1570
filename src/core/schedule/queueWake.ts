/** One pending wake-up of a model queue on the injected clock: the earliest asked for wins. */
import type { Clock } from '../clock';

export class QueueWake {
  private pending: { at: number; ctrl: AbortController } | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly fire: () => void,
  ) {}

  /** Fires in `ms` unless an earlier wake-up is pending (then that one stands). */
  in(ms: number): void {
    const at = this.clock.now() + ms;
    if (this.pending && this.pending.at <= at) return;
    this.pending?.ctrl.abort();
    const wake = { at, ctrl: new AbortController() };
    this.pending = wake;
    this.clock.sleep(ms, wake.ctrl.signal).then(
      () => {
        if (this.pending === wake) this.pending = undefined;
        this.fire();
      },
      () => {},
    );
  }

  dispose(): void {
    this.pending?.ctrl.abort();
    this.pending = undefined;
  }
}
