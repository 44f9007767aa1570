/**
 * schedule/limits.ts: the one table of per-model limits the planner packs to and the router
 * reserves by. These check that the two uses agree, so a packed batch is always admissible.
 */
import assert from 'node:assert/strict';
import type { ModelConfig } from '../../../src/core/config/types';
import { outputBurndownOf } from '../../../src/core/schedule/calibration';
import * as limits from '../../../src/core/schedule/limits';
import * as estimate from '../../../src/core/plan/estimate';

const model = (over: Partial<ModelConfig> = {}): ModelConfig => ({ id: 'test.model-v1', tokensPerMinute: 60_000, maxKbPerBatch: 200, minComplexity: 0, ...over });

describe('schedule/limits', () => {
  it('is what plan/estimate exports: one implementation, not two copies', () => {
    for (const name of ['batchFits', 'batchTokenBudget', 'batchTokenLimit', 'maxBatchInputTokens', 'initialOutputCap', 'maxOutputCap'] as const) {
      assert.equal(estimate[name], limits[name], name);
    }
  });

  it('a batch packed to the budget fits the hard limit, and its reservation stays within the budget', () => {
    for (const tpm of [2_000, 8_000, 15_000, 60_000, 100_000, 1_000_000]) {
      const m = model({ tokensPerMinute: tpm });
      const input = limits.maxBatchInputTokens(m);
      assert.ok(limits.batchTokenBudget(m) <= limits.batchTokenLimit(m), `tpm ${tpm}`);
      assert.ok(input + limits.initialOutputCap(input, m) * outputBurndownOf(m) <= limits.batchTokenBudget(m), `tpm ${tpm}`);
      assert.equal(limits.batchFits(limits.batchByteLimit(m), input, m), true, `tpm ${tpm}`);
    }
  });

  it('batchFits refuses one byte over the KB limit and input over the hard limit', () => {
    const m = model();
    assert.equal(limits.batchFits(limits.batchByteLimit(m) + 1, 10, m), false);
    assert.equal(limits.batchFits(10, limits.maxBatchInputTokens(m, limits.batchTokenLimit(m)) + 1, m), false);
  });

  it('outputCapWithinLimit keeps the reservation within the hard limit, never cut below the minimum cap', () => {
    const m = model({ tokensPerMinute: 20_000 });
    const limit = limits.batchTokenLimit(m);
    const cap = limits.outputCapWithinLimit(50_000, 8_000, m);
    assert.ok(8_000 + cap * outputBurndownOf(m) <= limit);
    // A learned cap below the minimum (short answers, outputCap.ts) stays; the floor is for the hard limit's cut.
    assert.equal(limits.outputCapWithinLimit(300, 1_000, m), 300);
    assert.equal(limits.outputCapWithinLimit(2_000, limit, m), limits.MIN_OUTPUT_TOKENS);
    assert.equal(limits.outputCapWithinLimit(700, 1_000, m), 700);
  });
});
