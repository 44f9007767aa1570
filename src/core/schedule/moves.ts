/**
 * Which model a batch goes to when it arrives (its preferred one, unless that one is unusable or,
 * with spillover, slower) and when its model leaves the run. The router estimates; these decide and
 * record the move.
 */
import { secs } from './call';
import type { Job } from './job';
import type { Departures } from './leaving';
import type { ModelQueue } from './modelQueue';
import type { Outcomes } from './outcomes';
import type { Router } from './router';

export interface MoveHost {
  readonly queues: ReadonlyMap<string, ModelQueue>;
  readonly router: Router;
  readonly departures: Departures;
  readonly outcomes: Outcomes;
  readonly spillover: boolean;
}

/** The model a new batch starts on, or undefined when it ended here (no model can take it). */
export function firstModel(h: MoveHost, job: Job): string | undefined {
  const preferred = h.queues.get(job.batch.preferredModel);
  if (!preferred || preferred.disabledReason) {
    const why = preferred ? `${preferred.id} left the run` : `${job.batch.preferredModel} is not configured`;
    const to = h.router.alternative(job, job.batch.preferredModel, false);
    if (!to) return void h.outcomes.end(job, { status: 'failed', reason: h.departures.noModelAnswered() ?? preferred?.disabledReason ?? `${why}, and no other model fits the batch`, code: h.departures.leftCode(preferred?.disabledReason ? preferred.id : undefined) });
    h.outcomes.move(job, 'fallback', job.batch.preferredModel, to, `fallback: ${why}`);
    return to;
  }
  if (!h.spillover) return preferred.id;
  const faster = h.router.fasterElsewhere(job, preferred);
  if (!faster) return preferred.id;
  if ('tooLarge' in faster) {
    job.reasons.push(`no spillover to ${faster.tooLarge}: the batch exceeds its per-batch limits`);
    return preferred.id;
  }
  h.outcomes.move(job, 'spillover', preferred.id, faster.to, `spillover: ${preferred.id} would finish in ~${secs(faster.stay)}, ${faster.to} in ~${secs(faster.finish)}`);
  return faster.to;
}

/** The model `job` should go to now that `from` left the run (`why`), or undefined when it ended here. */
export function rerouteTarget(h: MoveHost, job: Job, from: string, why: string): string | undefined {
  const to = h.router.alternative(job, from, false);
  if (!to) return void h.outcomes.end(job, { status: 'failed', reason: h.departures.noModelAnswered() ?? why, model: from, code: h.departures.leftCode(from) });
  h.outcomes.move(job, 'fallback', from, to, `fallback: ${from} left the run`);
  return to;
}
