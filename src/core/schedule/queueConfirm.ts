/**
 * The one asynchronous step of admission, only with a ledger shared through a server (Redis): the
 * reservation taken locally must also fit the account's window there. One confirmation at a time per
 * model, so the queue's order holds (ModelQueue admits nothing while one is pending); an entry
 * removed or drained meanwhile is withdrawn, out of its lane, and does not start when the answer comes.
 */
import type { QueueEntry } from './queueLanes';

export class QueueConfirmation {
  private pending: { entry: QueueEntry; withdrawn: boolean } | undefined;

  get busy(): boolean {
    return this.pending !== undefined;
  }

  /** Withdraws `entry` if it is the one being confirmed (true: it is out of the queue). */
  withdraw(entry: QueueEntry): boolean {
    if (this.pending?.entry !== entry || this.pending.withdrawn) return false;
    this.pending.withdrawn = true;
    return true;
  }

  /** Withdraws whatever is being confirmed and returns it (the model left the run). */
  withdrawAll(): QueueEntry | undefined {
    const entry = this.pending?.entry;
    return entry && this.withdraw(entry) ? entry : undefined;
  }

  /** Holds `entry` until `confirmed` says the ms to wait (0: held there too); `then` hears it, and whether the entry is still wanted. */
  wait(entry: QueueEntry, confirmed: Promise<number>, then: (wait: number, wanted: boolean) => void): void {
    const pending = { entry, withdrawn: false };
    this.pending = pending;
    void confirmed.then((wait) => {
      this.pending = undefined;
      then(wait, !pending.withdrawn);
    });
  }
}
