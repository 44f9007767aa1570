/**
 * What the engine tells its hosts while a run goes. Hosts (extension, CLI) subscribe; nothing in the
 * engine knows who listens.
 */
import type { RunSnapshot } from '../metrics/types';
import type { FileOutcome, Lane, OutcomeCode } from '../types';

export type EngineEvent =
  | { type: 'run-started'; runId: string; files: number; lane: Lane }
  /** A file reached its final state in this run (analyzed, skipped or failed). */
  | { type: 'file-done'; runId: string; outcome: FileOutcome }
  | { type: 'batch-started'; runId: string; batchId: string; model: string; files: string[]; reason: string }
  | { type: 'batch-finished'; runId: string; batchId: string; model: string; ok: boolean; error?: string; code?: OutcomeCode }
  | { type: 'throttled'; runId: string; batchId: string; model: string }
  | { type: 'fallback'; runId: string; batchId: string; from: string; to: string; reason: string }
  | { type: 'spillover'; runId: string; batchId: string; from: string; to: string; reason: string }
  /** `code`: why, as data (access-denied, quota-per-day, credentials-expired, unreachable, …). */
  | { type: 'model-disabled'; runId: string; model: string; reason: string; code?: OutcomeCode }
  /** Periodic (≤ 1 s) throughput snapshot. */
  | { type: 'metrics'; runId: string; snapshot: RunSnapshot }
  | { type: 'run-finished'; runId: string; cancelled: boolean };

export type EngineListener = (event: EngineEvent) => void;

/** A run's own listeners as its handle's `events` (Run.events): subscribe adds, the returned function removes. */
export function runEvents(own: Set<EngineListener>): { subscribe(listener: EngineListener): () => void } {
  return {
    subscribe: (listener) => {
      own.add(listener);
      return () => own.delete(listener);
    },
  };
}
