/** What Dispatcher.snapshot shows per model: its metrics, its queue and window now, its token ratio. */
import type { ModelMetrics } from '../metrics/collector';
import { sharedQuotaUsage } from '../metrics/shared';
import type { ModelSnapshot } from '../metrics/types';
import type { ModelQueue } from './modelQueue';
import type { Router } from './router';

/** `shared`: the windows are shared (Dispatcher.shareWindows), so each carries the account's usage too. */
export function modelSnapshots(queues: Iterable<ModelQueue>, metrics: ReadonlyMap<string, ModelMetrics>, router: Router, shared: boolean, now: number): ModelSnapshot[] {
  return [...queues].map((q) => ({
    ...metrics.get(q.id)!.snapshot(now, {
      effectiveTpm: q.quota.value,
      inFlight: q.inFlight,
      queued: { interactive: q.queued('interactive'), background: q.queued('background') },
      ...(q.disabledReason ? { disabledReason: q.disabledReason } : {}),
    }),
    tokenRatio: Math.round(router.calibrationOf(q.id).ratio * 100) / 100,
    ...(Number.isFinite(q.requestsPerMinute) ? { effectiveRpm: q.requestsPerMinute } : {}),
    ...(shared ? { shared: sharedQuotaUsage(q.window) } : {}),
  }));
}
