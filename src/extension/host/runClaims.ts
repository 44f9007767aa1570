/**
 * Ties the engine's events to the run that caused them. `analyze()` returns the run id only at the
 * end, but progress and progressive diagnostics need the events while it runs; the engine starts
 * runs in call order, so each `run-started` event belongs to the oldest waiting claim of its lane.
 */
import type { EngineEvent } from '../../core/engine/events';
import type { Lane } from '../../core/types';

export interface Claim {
  readonly lane: Lane;
  runId?: string;
  readonly listener: (event: EngineEvent) => void;
}

export class RunClaims {
  private readonly claims: Claim[] = [];

  claim(lane: Lane, listener: (event: EngineEvent) => void): Claim {
    const claim: Claim = { lane, listener };
    this.claims.push(claim);
    return claim;
  }

  release(claim: Claim): void {
    const i = this.claims.indexOf(claim);
    if (i >= 0) this.claims.splice(i, 1);
  }

  dispatch(event: EngineEvent): void {
    if (event.type === 'run-started') {
      const waiting = this.claims.find((c) => c.runId === undefined && c.lane === event.lane);
      if (waiting) waiting.runId = event.runId;
    }
    if (!('runId' in event)) return;
    for (const claim of this.claims) if (claim.runId === event.runId) claim.listener(event);
  }
}
