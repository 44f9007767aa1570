/**
 * The per-model queues and metrics a dispatcher runs (one ModelQueue and one ModelMetrics per
 * configured model, from the resolved options), and their windows joined to other holders of the
 * same account quota (src/core/ledger/).
 */
import type { Clock } from '../clock';
import type { ModelConfig } from '../config/types';
import { ModelMetrics } from '../metrics/collector';
import { INTERACTIVE_RESERVE, ModelQueue } from './modelQueue';
import type { ResolvedDispatcherOptions } from './options';
import type { WindowPeers } from './quotaWindow';
import type { Router } from './router';

export function modelQueues(models: readonly ModelConfig[], o: ResolvedDispatcherOptions, clock: Clock): { queues: Map<string, ModelQueue>; metrics: Map<string, ModelMetrics> } {
  const queues = new Map<string, ModelQueue>();
  const metrics = new Map<string, ModelMetrics>();
  for (const model of models) {
    queues.set(model.id, new ModelQueue(model, {
      clock, random: o.random, maxConcurrency: o.maxConcurrency, windowGuardMs: o.windowGuardMs,
      quotaProbeMs: o.probeQuota ? o.windowGuardMs : 0,
      interactiveReserve: o.interactiveReserve ? INTERACTIVE_RESERVE : 0,
      fillWindow: o.fillWindow,
    }));
    metrics.set(model.id, new ModelMetrics(model));
  }
  return { queues, metrics };
}

/** Each model's window counts what the other holders reserve; with `calibrate`, its token ratio starts from theirs. */
export function shareWindows(queues: Iterable<ModelQueue>, router: Router, calibrate: boolean, peersFor: (modelId: string) => WindowPeers): void {
  for (const q of queues) {
    const peers = peersFor(q.id);
    q.window.share(peers);
    // The token ratio too: a run joining others on the account starts from what they learned.
    if (calibrate) router.calibrationOf(q.id).share(peers);
  }
}
