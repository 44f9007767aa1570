/**
 * The service tier on the way out and in the cost column: a model set to Flex for background work
 * asks for it on background batches only, and the dashboard's cost (the snapshot) and the run's
 * budget price what the answering tier costs.
 */
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../src/core/clock';
import type { ModelConfig } from '../../../src/core/config/types';
import { Budget } from '../../../src/core/engine/budget';
import type { ModelProvider, ModelRequest } from '../../../src/core/providers/provider';
import { Dispatcher } from '../../../src/core/schedule';
import { makeBatch, seeded } from '../schedule/fakes';

const MODEL: ModelConfig = { id: 'tiered', tokensPerMinute: 1_000_000, maxKbPerBatch: 350, maxOutputTokens: 4_000, costPer1kInput: 1, costPer1kOutput: 2, serviceTier: { background: 'flex' } };

describe('service tiers in the dispatcher and the cost', () => {
  it('asks for Flex on background batches only and prices each answer at its tier', async () => {
    const clock = new VirtualClock();
    const sent: ModelRequest[] = [];
    const provider: ModelProvider = {
      converse: async (request) => {
        sent.push(request);
        await clock.sleep(1_000);
        return { toolInput: { findings: [] }, usage: { inputTokens: 1_000, outputTokens: 500 }, stopReason: 'tool_use', latencyMs: 1_000, ...(request.serviceTier ? { serviceTier: request.serviceTier } : {}) };
      },
    };
    const dispatcher = new Dispatcher({ models: [MODEL], providerFor: () => provider, clock, random: seeded(), spillover: false, priorTokenRatio: 1 });
    const background = dispatcher.submit(makeBatch('bg', 'tiered', { lane: 'background' }));
    await clock.runAll();
    const [bg] = await Promise.all([background]);
    assert.equal(bg.status, 'ok');
    const afterBackground = dispatcher.snapshot()[0]!.costUsd;
    // 1,000 in × $1/1k + 500 out × $2/1k = $2 at Standard; Flex is half.
    assert.equal(afterBackground, 1);
    const interactive = dispatcher.submit(makeBatch('it', 'tiered', { lane: 'interactive' }));
    await clock.runAll();
    await interactive;
    assert.deepEqual(sent.map((r) => r.serviceTier ?? 'standard'), ['flex', 'standard']);
    assert.equal(dispatcher.snapshot()[0]!.costUsd, 1 + 2);
  });

  it('the budget charges at the tier’s price', () => {
    const budget = new Budget({ maxCost: 10 }, [MODEL]);
    budget.charge('tiered', 1_000, 500, 0.5);
    budget.charge('tiered', 1_000, 500);
    assert.equal(budget.spent.costUsd, 3);
  });
});
