/**
 * The run's ledger: every file that entered leaves with exactly one outcome. A file cut into chunks
 * across several batches is analyzed only when every chunk is; one failed chunk fails the file.
 */
import { capPerFile } from '../findings';
import { isRetryable, type OutcomeCode } from '../outcome';
import type { Finding, FileOutcome } from '../types';

export interface Completed {
  findings: Finding[];
  /** The model(s) that analyzed the file (several when its chunks went to different models). */
  model: string;
  /** Why its findings are incomplete, when some chunk's were (see FileOutcome.partial). */
  partial?: string;
}

interface Pending {
  remaining: number;
  findings: Finding[];
  models: Set<string>;
  partial: string[];
  failure?: { status: 'failed' | 'skipped'; reason: string; code: OutcomeCode };
}

export class RunLedger {
  private readonly done = new Map<string, FileOutcome>();
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly onSettled: (outcome: FileOutcome) => void) {}

  settle(outcome: FileOutcome): void {
    if (this.done.has(outcome.path)) return; // first word wins: a file never leaves twice
    this.pending.delete(outcome.path);
    this.done.set(outcome.path, outcome);
    this.onSettled(outcome);
  }

  expect(path: string, chunks: number): void {
    this.pending.set(path, { remaining: chunks, findings: [], models: new Set(), partial: [] });
  }

  /**
   * One chunk (or the whole file) was analyzed by `model`. Returns the file's findings when this was
   * its last chunk; the caller then filters, caches and `settle`s it.
   */
  chunkAnalyzed(path: string, model: string, findings: readonly Finding[], partial?: string): Completed | undefined {
    const p = this.pending.get(path);
    if (!p) return undefined;
    p.findings.push(...findings);
    if (partial) p.partial.push(partial);
    p.models.add(model);
    return this.step(path, p);
  }

  chunkNotAnalyzed(path: string, status: 'failed' | 'skipped', reason: string, code: OutcomeCode): void {
    const p = this.pending.get(path);
    if (!p) return;
    // A failure outranks a skip: the user must see that something went wrong.
    if (!p.failure || (p.failure.status === 'skipped' && status === 'failed')) p.failure = { status, reason, code };
    this.step(path, p);
  }

  /** Files still waiting for a batch (at the end of a run: cancelled). */
  pendingPaths(): string[] {
    return [...this.pending.keys()];
  }

  outcomes(): FileOutcome[] {
    return [...this.done.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  has(path: string): boolean {
    return this.done.has(path) || this.pending.has(path);
  }

  private step(path: string, p: Pending): Completed | undefined {
    p.remaining--;
    if (p.remaining > 0) return undefined;
    const model = [...p.models].join(', ');
    if (p.failure) {
      const { status, reason, code } = p.failure;
      this.settle({ path, status, reason, code, retryable: isRetryable(code), ...(model ? { model } : {}), findings: [] });
      return undefined;
    }
    // Each chunk's answer was capped on its own; the file as a whole keeps the same cap.
    const { kept, note } = capPerFile(p.findings);
    const partial = [...new Set([...p.partial, ...(note ? [note] : [])])];
    return { findings: kept, model, ...(partial.length > 0 ? { partial: partial.join('; ') } : {}) };
  }
}
