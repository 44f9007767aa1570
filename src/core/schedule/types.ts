/** What the dispatcher hands back and tells its listeners. */
import type { OutcomeCode } from '../outcome';
import type { ChargedResponse } from '../providers/provider';

export type BatchResult =
  | { batchId: string; status: 'ok'; model: string; response: ChargedResponse; attempts: number; reasons: string[] }
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
