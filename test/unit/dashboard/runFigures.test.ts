/** The dashboard's headline figures over the run (webview/runFigures.ts), from plain snapshots. */
import assert from 'node:assert/strict';
import type { ModelSnapshot, RunSnapshot } from '../../../src/core/metrics/types';
import type { Frame } from '../../../src/core/webviewProtocol';
import { estimateEta, reportUtilization, RunTracker, utilizationOver } from '../../../src/webview/runFigures';

function model(over: Partial<ModelSnapshot> = {}): ModelSnapshot {
  return {
    id: 'm', label: 'M', quotaTpm: 60_000, effectiveTpm: 60_000, requests: 0, inputTokens: 0, outputTokens: 0, throttles: 0,
    errors: 0, retries: 0, fallbacksIn: 0, fallbacksOut: 0, spilloversIn: 0, spilloversOut: 0, inFlight: 0,
    queued: { interactive: 0, background: 0 }, latencyP50Ms: 0, latencyP95Ms: 0, costUsd: 0, tokensPerMinute: 0, requestsPerMinute: 0, ...over,
  };
}

function frame(runId: string, at: number, models: ModelSnapshot[], over: Partial<RunSnapshot> = {}): Frame {
  return { runId, snapshot: { at, filesTotal: 10, filesDone: 0, models, utilization: 0, recentBatches: [], ...over } };
}

describe('dashboard run figures', () => {
  it('utilization is the run’s tokens over the quotas times the run’s time (at least a minute), not the last sample', () => {
    assert.equal(utilizationOver(60_000, 60_000, 120_000), 0.5);
    assert.equal(utilizationOver(30_000, 60_000, 10_000), 0.5, 'a 10 s run is measured against a minute of quota');
    assert.equal(utilizationOver(10, 0, 60_000), 0, 'no quota: 0, never NaN');
    assert.equal(reportUtilization({ files: 3, analyzed: 3, cached: 0, skipped: 0, failed: 0, requests: 4, tokens: 90_000, quotaTpm: 30_000, elapsedMs: 180_000 }), 1);
  });

  it('tracks a run from its first snapshot and the previous run’s last counters', () => {
    const t = new RunTracker();
    t.observe(frame('r1', 5_000, [model({ inputTokens: 40_000, outputTokens: 2_000, requests: 4 })]));
    const start = frame('r2', 100_000, [model({ inputTokens: 40_000, outputTokens: 2_000, requests: 4 })]);
    t.observe(start);
    assert.deepEqual(t.mark, { runId: 'r2', startAt: 99_000, baseTokens: 42_000, baseRequests: 4 });
    // 2 minutes into r2 the counters moved by 72k tokens: 72k of 2 × 60k.
    const later = frame('r2', 219_000, [model({ inputTokens: 100_000, outputTokens: 14_000, requests: 10, tokensPerMinute: 50_000 })]);
    t.observe(later);
    const f = t.figures(later);
    assert.equal(f.tokens, 72_000);
    assert.equal(f.requests, 6);
    assert.equal(f.elapsedMs, 120_000);
    assert.equal(f.utilization, 0.6);
    assert.notEqual(f.utilization, 50_000 / 60_000, 'not the last sample’s rate');
  });

  it('a new engine (counters back at 0) starts its run from 0, not from the old counters', () => {
    const t = new RunTracker();
    t.observe(frame('old', 5_000, [model({ inputTokens: 40_000 })]));
    t.observe(frame('new', 1_000, [model({ inputTokens: 500 })]));
    assert.equal(t.mark?.baseTokens, 0);
  });

  it('ETA: batches still queued or in flight × tokens an answered batch of this run charged ÷ the current rate', () => {
    const m = model({ inFlight: 2, queued: { interactive: 1, background: 7 }, tokensPerMinute: 20_000 });
    const batches = [
      { batchId: 'r1-b1', model: 'm', files: 2, inputTokens: 3_000, outputTokens: 1_000, outcome: 'ok' as const, reason: '', at: 1 },
      { batchId: 'r1-b2', model: 'm', files: 2, inputTokens: 5_000, outputTokens: 1_000, outcome: 'ok' as const, reason: '', at: 2 },
      { batchId: 'r0-b9', model: 'm', files: 2, inputTokens: 90_000, outputTokens: 0, outcome: 'ok' as const, reason: '', at: 0 },
    ];
    const f = frame('r1', 200_000, [m], { recentBatches: batches });
    // 10 batches × 5,000 tokens ÷ 20,000 tokens/min = 2.5 min.
    assert.equal(estimateEta(f, 120_000), 150_000);
    // 30 s into the run the sliding minute holds 30 s of charges: the rate is twice the sliding sum.
    assert.equal(estimateEta(f, 30_000), 75_000);
  });

  it('ETA: 0 once every file is done, unknown before any batch was answered or with nothing queued', () => {
    const busy = model({ inFlight: 3, tokensPerMinute: 0 });
    assert.equal(estimateEta(frame('r', 1, [busy], { filesDone: 10 }), 60_000), 0);
    assert.equal(estimateEta(frame('r', 1, [busy]), 60_000), undefined);
    assert.equal(estimateEta(frame('r', 1, [model()]), 60_000), undefined);
    assert.equal(estimateEta(frame('r', 1, [busy], { etaMs: 4_000 }), 60_000), 4_000, 'an engine’s own ETA wins');
  });
});
