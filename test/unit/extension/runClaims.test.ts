import { strict as assert } from 'node:assert';
import type { EngineEvent } from '../../../src/core/engine/events';
import { RunClaims } from '../../../src/extension/host/runClaims';

describe('RunClaims', () => {
  it('gives each run-started to the oldest waiting claim of its lane, then routes that run\'s events to it', () => {
    const claims = new RunClaims();
    const seen: Record<string, string[]> = { save: [], workspace: [] };
    claims.claim('background', (e) => seen.workspace!.push(`${e.type}:${'runId' in e ? e.runId : ''}`));
    claims.claim('interactive', (e) => seen.save!.push(`${e.type}:${'runId' in e ? e.runId : ''}`));
    const events: EngineEvent[] = [
      { type: 'run-started', runId: 'r1', files: 1, lane: 'interactive' },
      { type: 'run-started', runId: 'r2', files: 9, lane: 'background' },
      { type: 'file-done', runId: 'r1', outcome: { path: 'a', status: 'analyzed', findings: [] } },
      { type: 'run-finished', runId: 'r2', cancelled: false },
      { type: 'run-finished', runId: 'r3', cancelled: false },
    ];
    for (const e of events) claims.dispatch(e);
    assert.deepEqual(seen.save, ['run-started:r1', 'file-done:r1']);
    assert.deepEqual(seen.workspace, ['run-started:r2', 'run-finished:r2']);
  });

  it('forgets a released claim', () => {
    const claims = new RunClaims();
    const got: string[] = [];
    const claim = claims.claim('interactive', (e) => got.push(e.type));
    claims.release(claim);
    claims.dispatch({ type: 'run-started', runId: 'r1', files: 1, lane: 'interactive' });
    assert.deepEqual(got, []);
  });
});
