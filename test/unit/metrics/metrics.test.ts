import assert from 'node:assert/strict';
import { ModelMetrics, percentile } from '../../../src/core/metrics';

const model = { id: 'm', label: 'Model', tokensPerMinute: 10_000, maxKbPerBatch: 10, costPer1kInput: 0.001, costPer1kOutput: 0.004 };
const live = { effectiveTpm: 8_000, inFlight: 1, queued: { interactive: 0, background: 2 } };

describe('ModelMetrics', () => {
  it('counts requests and tokens, prices them, and reports sliding tokens per minute', () => {
    const m = new ModelMetrics(model);
    m.recordRequest(0);
    m.recordSuccess(1_000, 900, 2_000, 500);
    m.recordRequest(30_000);
    m.recordSuccess(31_000, 1_100, 1_000, 250);
    const s = m.snapshot(40_000, live);
    assert.deepEqual([s.requests, s.inputTokens, s.outputTokens, s.tokensPerMinute, s.requestsPerMinute], [2, 3_000, 750, 3_750, 2]);
    assert.equal(s.costUsd, 0.003 + 0.003);
    assert.deepEqual([s.quotaTpm, s.effectiveTpm, s.inFlight, s.queued.background, s.label], [10_000, 8_000, 1, 2, 'Model']);
    assert.equal(m.snapshot(70_000, live).tokensPerMinute, 1_250, 'the first call left the window');
  });

  it('reports latency percentiles and a tokens-per-minute series', () => {
    const m = new ModelMetrics(model);
    for (let i = 1; i <= 100; i++) m.recordSuccess(i * 1_000, i * 10, 10, 0);
    const s = m.snapshot(100_000, live);
    assert.deepEqual([s.latencyP50Ms, s.latencyP95Ms], [500, 950]);
    const series = s.tpmSeries!;
    assert.equal(series.at(-1)!.at, 100_000);
    assert.equal(series.at(-1)!.tpm, 600);
    assert.ok(series.every((p, i) => i === 0 || p.at - series[i - 1]!.at === 10_000));
  });

  it('percentile of nothing is 0', () => {
    assert.equal(percentile([], 95), 0);
  });
});
