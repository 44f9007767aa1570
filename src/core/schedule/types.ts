/** What the dispatcher hands back and tells its listeners. */
import type { OutcomeCode } from '../outcome';
import type { BatchFile } from '../plan/types';
import type { ChargedResponse } from '../providers/provider';

/** One piece of a batch the dispatcher cut (split.ts), answered on its own. */
export interface BatchPart {
  files: BatchFile[];
  model: string;
  response: ChargedResponse;
}

export type BatchResult =
  /**
   * `parts`, only when the caller allowed cutting (submit's `split`) and the batch was cut: each
   * piece's files and answer, in file order; `response` is then the first piece's, with `batchUsage`
   * the whole batch's.
   */
  | { batchId: string; status: 'ok'; model: string; response: ChargedResponse; parts?: BatchPart[]; attempts: number; reasons: string[] }
  | { batchId: string; status: 'failed'; reason: string; code: OutcomeCode; model?: string; attempts: number; reasons: string[] }
  | { batchId: string; status: 'skipped' | 'cancelled'; reason: string; model?: string; attempts: number; reasons: string[] };

/**
 * The EngineEvent kinds the dispatcher emits, without `runId` (the engine adds it): a listener can
 * forward `{ ...event, runId }` as an EngineEvent unchanged.
 */
export type DispatcherEvent =
  | { type: 'batch-started'; batchId: string; model: string; files: string[]; reason: string; attempt: number }
  | { type: 'batch-finished'; batchId: string; model: string; ok: boolean; error?: string; code?: OutcomeCode }
  | { type: 'throttled'; batchId: string; model: string }
  | { type: 'fallback'; batchId: string; from: string; to: string; reason: string }
  | { type: 'spillover'; batchId: string; from: string; to: string; reason: string }
  | { type: 'model-disabled'; model: string; reason: string; code: OutcomeCode };
