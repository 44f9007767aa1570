/**
 * Which results are still worth showing. Every run takes a ticket; a ticket claims its paths, and a
 * later ticket claiming the same path supersedes the earlier one for that path. Results are shown
 * only when (1) no later run claimed the path and (2) the open document's version is the one the run
 * started from — so a result computed for text the user has since changed never appears.
 *
 * A run whose every path was superseded is aborted: its work can no longer be shown anyway.
 */

export interface Ticket {
  readonly seq: number;
  /** Explicit paths of the run; undefined for a whole-folder run (which claims nothing). */
  readonly paths: ReadonlySet<string> | undefined;
  /** Versions of the open documents when the run started. */
  readonly versions: ReadonlyMap<string, number>;
  readonly controller: AbortController;
}

export class VersionLedger {
  private seq = 0;
  private lastClaim = new Map<string, number>();
  private active = new Set<Ticket>();

  /** `currentVersion(path)` is the open document's version, or undefined when it is not open. */
  constructor(private readonly currentVersion: (path: string) => number | undefined) {}

  begin(paths: readonly string[] | undefined, versions: ReadonlyMap<string, number>): Ticket {
    const ticket: Ticket = {
      seq: ++this.seq,
      paths: paths ? new Set(paths) : undefined,
      versions,
      controller: new AbortController(),
    };
    for (const path of paths ?? []) this.lastClaim.set(path, ticket.seq);
    this.active.add(ticket);
    this.abortFullySuperseded();
    return ticket;
  }

  /** A path whose pending results must be dropped (the file was deleted). */
  supersede(path: string): void {
    this.lastClaim.set(path, ++this.seq);
    this.abortFullySuperseded();
  }

  isCurrent(ticket: Ticket, path: string): boolean {
    if ((this.lastClaim.get(path) ?? 0) > ticket.seq) return false;
    const now = this.currentVersion(path);
    const then = ticket.versions.get(path);
    // Not open now: the disk is the truth and the run read it. Opened since: compare nothing.
    return now === undefined || then === undefined || now === then;
  }

  end(ticket: Ticket): void {
    this.active.delete(ticket);
  }

  get activeCount(): number {
    return this.active.size;
  }

  private abortFullySuperseded(): void {
    for (const ticket of this.active) {
      if (!ticket.paths || ticket.paths.size === 0 || ticket.controller.signal.aborted) continue;
      const superseded = [...ticket.paths].every((p) => (this.lastClaim.get(p) ?? 0) > ticket.seq);
      if (superseded) ticket.controller.abort(new DOMException('Superseded by a newer version of its files', 'AbortError'));
    }
  }
}
