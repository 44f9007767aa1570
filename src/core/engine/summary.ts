/**
 * Per-run numbers out of the long-lived dispatcher's cumulative counters: a run's summary is the
 * difference between the snapshot at its end and the one at its start.
 */
import type { ModelSnapshot, RunSnapshot, BatchRecord } from '../metrics/types';
import type { ModelSummary } from './api';

export function summarize(before: readonly ModelSnapshot[], after: readonly ModelSnapshot[]): ModelSummary[] {
  return after.map((end) => {
    const start = before.find((m) => m.id === end.id);
    const d = (key: 'requests' | 'inputTokens' | 'outputTokens' | 'throttles' | 'fallbacksIn' | 'fallbacksOut' | 'costUsd') =>
      end[key] - (start?.[key] ?? 0);
    return {
      id: end.id,
      requests: d('requests'),
      inputTokens: d('inputTokens'),
      outputTokens: d('outputTokens'),
      throttled: d('throttles'),
      fallbacksIn: d('fallbacksIn'),
      fallbacksOut: d('fallbacksOut'),
      costUsd: Math.max(0, d('costUsd')),
      usageEstimated: (end.usageEstimated ?? 0) - (start?.usageEstimated ?? 0),
    };
  });
}

export function runSnapshot(
  at: number,
  filesTotal: number,
  filesDone: number,
  models: ModelSnapshot[],
  recentBatches: BatchRecord[],
): RunSnapshot {
  const quota = models.reduce((s, m) => s + (m.disabledReason ? 0 : m.quotaTpm), 0);
  const achieved = models.reduce((s, m) => s + m.tokensPerMinute, 0);
  return { at, filesTotal, filesDone, models, utilization: quota > 0 ? achieved / quota : 0, recentBatches };
}
