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

  it('ETA: the files left × what a sent file of this run cost ÷ the current rate', () => {
    const m = model({ tokensPerMinute: 20_000 });
    const f = frame('r1', 200_000, [m], { filesTotal: 30, filesDone: 10 });
    // 10 files sent for 50,000 tokens: 5,000 a file; 20 left = 100,000 tokens ÷ 20,000 a minute = 5 min.
    assert.equal(estimateEta(f, 120_000, 50_000), 300_000);
    // 30 s into the run the sliding minute holds 30 s of charges: the rate is twice the sliding sum.
    assert.equal(estimateEta(f, 30_000, 50_000), 150_000);
  });

  it('ETA: files served from the cache cost nothing and are not counted as sent; failed ones are', () => {
    const f = frame('r1', 200_000, [model({ tokensPerMinute: 10_000 })], { filesTotal: 40, filesDone: 20 });
    // 20 done: 15 analyzed of which 10 from the cache, 5 skipped → 5 sent for 10,000 tokens: 2,000 a file.
    assert.equal(estimateEta(f, 120_000, 10_000, { analyzed: 15, cached: 10, skipped: 5, failed: 0 }), 240_000);
    assert.equal(estimateEta(f, 120_000, 10_000, { analyzed: 15, cached: 10, skipped: 0, failed: 5 }), 120_000);
  });

  it('ETA: 0 once every file is done, unknown before anything was charged or without a rate', () => {
    const f = (over: Partial<RunSnapshot>, tpm = 5_000) => frame('r', 1, [model({ inFlight: 3, tokensPerMinute: tpm })], over);
    assert.equal(estimateEta(f({ filesDone: 10 }), 60_000, 0), 0);
    assert.equal(estimateEta(f({ filesDone: 0 }), 60_000, 0), undefined, 'no file done yet');
    assert.equal(estimateEta(f({ filesDone: 4 }), 60_000, 0), undefined, 'nothing charged yet');
    assert.equal(estimateEta(f({ filesDone: 4 }, 0), 60_000, 9_000), undefined, 'no rate');
    assert.equal(estimateEta(f({ etaMs: 4_000 }), 60_000, 0), 4_000, 'an engine’s own ETA wins');
  });

  it('the tracker feeds the run’s own tokens to the ETA', () => {
    const t = new RunTracker();
    t.observe(frame('r0', 1_000, [model({ inputTokens: 90_000 })]));
    const now = frame('r1', 200_000, [model({ inputTokens: 100_000, tokensPerMinute: 10_000 })], { filesTotal: 10, filesDone: 5 });
    t.observe(frame('r1', 81_000, [model({ inputTokens: 90_000 })], { filesTotal: 10, filesDone: 0 }));
    t.observe(now);
    // 10,000 tokens this run for 5 files; 5 left = 10,000 tokens ÷ 10,000 a minute.
    assert.equal(t.figures(now).etaMs, 60_000);
  });
});
