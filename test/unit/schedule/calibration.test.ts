import assert from 'node:assert/strict';
import { VirtualClock } from '../../../src/core/clock';
import type { ModelConfig } from '../../../src/core/config/types';
import { batchTokenBudget, estimatePromptTokens, initialOutputCap, planBatches } from '../../../src/core/plan';
import type { ModelProvider, ModelRequest, ModelResponse } from '../../../src/core/providers/provider';
import { Dispatcher, type BatchResult } from '../../../src/core/schedule';
import { MAX_RATIO, MIN_RATIO, outputBurndownOf, PRIOR_RATIO, promptTokensOf, quotaChargeOf, TokenCalibration, WINDOW } from '../../../src/core/schedule/calibration';
import { defaultConfig } from '../../../src/core/config';
import { MemoryLogger } from '../../../src/core/logger';
import type { Group, SourceFile } from '../../../src/core/types';
import { makeBatch, seeded } from './fakes';

/** A model whose tokenizer counts `skew(n)` × the engine's estimate on call n, answering after `latencyMs`. */
function skewedProvider(clock: VirtualClock, skew: (n: number) => number, latencyMs = 1_000) {
  const started: { at: number; maxTokens: number; inputTokens: number }[] = [];
  let n = 0;
  const provider: ModelProvider = {
    converse: async (request: ModelRequest, signal: AbortSignal): Promise<ModelResponse> => {
      const inputTokens = Math.ceil(estimatePromptTokens(request.system, request.prompt) * skew(n++));
      started.push({ at: clock.now(), maxTokens: request.maxTokens, inputTokens });
      await clock.sleep(latencyMs, signal);
      return { toolInput: { findings: [] }, usage: { inputTokens, outputTokens: 100 }, stopReason: 'tool_use', latencyMs };
    },
  };
  return { provider, started };
}

async function settle(clock: VirtualClock, promises: Promise<BatchResult>[]): Promise<BatchResult[]> {
  await clock.runAll();
  return Promise.all(promises);
}

describe('TokenCalibration', () => {
  it('starts at the prior (a code tokenizer\'s count) and applies the ratio to an estimate', () => {
    const c = new TokenCalibration();
    assert.equal(c.ratio, PRIOR_RATIO);
    assert.equal(c.apply(1_000), Math.ceil(1_000 * PRIOR_RATIO));
    assert.equal(new TokenCalibration(1).apply(1_000), 1_000);
    c.observe(1_000, 1_300);
    assert.equal(c.apply(1_000), 1_300);
  });

  for (const skew of [0.7, 1.5]) {
    it(`converges on a ${skew}× skew from noisy answers (±10 %)`, () => {
      const c = new TokenCalibration();
      const random = seeded(7);
      for (let i = 0; i < 40; i++) {
        const estimate = 500 + Math.floor(random() * 5_000);
        c.observe(estimate, Math.round(estimate * skew * (0.9 + 0.2 * random())));
      }
      assert.ok(Math.abs(c.ratio - skew) < skew * 0.05, `learned ${c.ratio}, true ${skew}`);
    });
  }

  it('ignores outliers: a few absurd counts among honest ones do not move the median', () => {
    const c = new TokenCalibration();
    for (let i = 0; i < WINDOW; i++) c.observe(1_000, i % 5 === 0 ? (i % 2 === 0 ? 40_000 : 3) : 1_300);
    assert.equal(c.ratio, 1.3);
  });

  it(`is clamped to [${MIN_RATIO}, ${MAX_RATIO}] and ignores counts that are not counts`, () => {
    const high = new TokenCalibration();
    for (let i = 0; i < 5; i++) high.observe(100, 10_000);
    assert.equal(high.ratio, MAX_RATIO);
    const low = new TokenCalibration();
    for (let i = 0; i < 5; i++) low.observe(10_000, 100);
    assert.equal(low.ratio, MIN_RATIO);
    const none = new TokenCalibration();
    for (const [e, r] of [[0, 10], [10, 0], [10, Number.NaN], [10, Infinity], [-5, 10]]) assert.equal(none.observe(e!, r!), undefined);
    assert.equal(none.ratio, PRIOR_RATIO);
    assert.equal(none.observed, 0);
  });

  it('tells a material change once, and a slow drift once it adds up', () => {
    const c = new TokenCalibration(1);
    assert.deepEqual(c.observe(1_000, 1_300), { from: 1, to: 1.3 });
    assert.equal(c.observe(1_000, 1_300), undefined);
    // Small steps: each under 5 % of the last told value, together more.
    const told: number[] = [];
    for (let i = 0; i < 3 * WINDOW; i++) {
      const moved = c.observe(1_000, 1_300 + 10 * i);
      if (moved !== undefined) told.push(moved.to);
    }
    assert.ok(told.length >= 1 && told.length <= 4, `told ${told.join(', ')}`);
  });
});

describe('output burndown and quota charges', () => {
  it('knows 5× for Claude 3.7 Sonnet and the Claude 4 family, 1 for the others; the config wins', () => {
    for (const id of ['us.anthropic.claude-3-7-sonnet-20250219-v1:0', 'anthropic.claude-sonnet-4-20250514-v1:0', 'us.anthropic.claude-opus-4-1-20250805-v1:0', 'global.anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic.claude-haiku-4-5-20251001-v1:0']) {
      assert.equal(outputBurndownOf({ id }), 5, id);
    }
    for (const id of ['us.amazon.nova-pro-v1:0', 'us.meta.llama3-3-70b-instruct-v1:0', 'anthropic.claude-3-5-sonnet-20240620-v1:0', 'anthropic.claude-3-haiku-20240307-v1:0']) {
      assert.equal(outputBurndownOf({ id }), 1, id);
    }
    assert.equal(outputBurndownOf({ id: 'us.amazon.nova-pro-v1:0', outputBurndown: 3 }), 3);
    assert.equal(outputBurndownOf({ id: 'anthropic.claude-sonnet-4-20250514-v1:0', outputBurndown: 1 }), 1);
  });

  it('charges input + cache writes + output × burndown; cache reads count for the prompt, not the quota', () => {
    assert.equal(quotaChargeOf({ inputTokens: 1_000, outputTokens: 200 }, 1), 1_200);
    assert.equal(quotaChargeOf({ inputTokens: 1_000, outputTokens: 200 }, 5), 2_000);
    const cached = { inputTokens: 100, outputTokens: 200, cacheReadInputTokens: 800, cacheWriteInputTokens: 50 };
    assert.equal(quotaChargeOf(cached, 5), 100 + 50 + 1_000);
    assert.equal(promptTokensOf(cached), 950);
  });

  it('the dispatcher reserves the output cap × burndown: fewer calls fit a window at once', async () => {
    const started = async (outputBurndown: number) => {
      const clock = new VirtualClock();
      const { provider, started } = skewedProvider(clock, () => 1, 30_000);
      const model: ModelConfig = { id: 'anthropic.claude-sonnet-4-20250514-v1:0', tokensPerMinute: 40_000, maxKbPerBatch: 100, maxOutputTokens: 4_000, outputBurndown };
      const dispatcher = new Dispatcher({ models: [model], providerFor: () => provider, clock, random: seeded(), spillover: false });
      const results = Array.from({ length: 12 }, (_, i) => dispatcher.submit(makeBatch(`b${i}`, model.id, { kb: 8 })));
      await clock.advance(1_000);
      const atOnce = started.length;
      await settle(clock, results);
      dispatcher.dispose();
      return { atOnce, cap: started[0]!.maxTokens };
    };
    const plain = await started(1);
    const burned = await started(5);
    // 8 KB ≈ 2.2k input tokens, cap ≈ 600: 2.8k per call at 1×, 5.2k at 5×, within 92 % of 40k.
    assert.equal(plain.cap, burned.cap, 'the cap sent to the model is the same; only its weight on the quota differs');
    assert.ok(plain.atOnce >= 12 || plain.atOnce > burned.atOnce, `at once: ${plain.atOnce} plain vs ${burned.atOnce} burned`);
    assert.ok(burned.atOnce <= Math.floor((40_000 * 0.92) / (2_000 + 5 * plain.cap)), `${burned.atOnce} calls at once at 5×`);
  });
});

describe('calibrated reservations in the dispatcher', () => {
  for (const skew of [0.7, 1.5]) {
    it(`learns a ${skew}× count from answers, shows it in the snapshot, and reserves by it`, async () => {
      const clock = new VirtualClock();
      const { provider, started } = skewedProvider(clock, () => skew, 2_000);
      const model: ModelConfig = { id: 'skewed', tokensPerMinute: 30_000, maxKbPerBatch: 100, maxOutputTokens: 4_000 };
      const logger = new MemoryLogger();
      const dispatcher = new Dispatcher({ models: [model], providerFor: () => provider, clock, random: seeded(), spillover: false, logger });
      const batches = Array.from({ length: 30 }, (_, i) => makeBatch(`b${i}`, model.id, { kb: 8 }));
      const results = await settle(clock, batches.map((b) => dispatcher.submit(b)));
      assert.ok(results.every((r) => r.status === 'ok'));
      const snap = dispatcher.snapshot()[0]!;
      assert.ok(Math.abs(snap.tokenRatio! - skew) < 0.02, `snapshot tokenRatio ${snap.tokenRatio}`);
      assert.ok(Math.abs(dispatcher.tokenRatios().skewed! - skew) < 0.02);
      // --verbose: one debug line when the ratio moved materially, not one per answer.
      const told = logger.lines.filter((l) => l.startsWith('debug skewed: the service counts'));
      assert.ok(told.length >= 1 && told.length <= 2, told.join('\n'));
      assert.match(told.at(-1)!, new RegExp(`counts ${skew.toFixed(2)}× our token estimate`));
      // What the service charges (its own input count + output) for calls started in any 60 s window
      // after the first answers never exceeds the quota: the scheduler's window, settled and
      // reserved in the model's own tokens, is the service's. (The calls of the first instant,
      // before any answer, are reserved at the plain estimate: at most one call over.)
      const chargedUpTo = (end: number) => started.filter((o) => o.at > end - 60_000 && o.at <= end).reduce((sum, o) => sum + o.inputTokens + 100, 0);
      const perCall = started[0]!.inputTokens + 100;
      assert.ok(chargedUpTo(0) <= 30_000 + perCall, `${chargedUpTo(0)} tokens charged at the start`);
      const later = started.filter((s) => s.at >= 60_000);
      assert.ok(later.length >= 5, `${later.length} calls after the first minute`);
      for (const s of later) assert.ok(chargedUpTo(s.at) <= 30_000, `${chargedUpTo(s.at)} tokens charged in the 60 s up to ${s.at} ms`);
      dispatcher.dispose();
    });
  }
});

describe('the run budget is told the calibrated input', () => {
  it('admit() gets the input as the model counts it once learned (1.5×), the prior before', async () => {
    const clock = new VirtualClock();
    const { provider } = skewedProvider(clock, () => 1.5, 1_000);
    const model: ModelConfig = { id: 'skewed', tokensPerMinute: 100_000, maxKbPerBatch: 100, maxOutputTokens: 4_000 };
    const dispatcher = new Dispatcher({ models: [model], providerFor: () => provider, clock, random: seeded(), spillover: false });
    const told: number[] = [];
    const admit = (_cap: number, input: number) => void told.push(input);
    const first = makeBatch('first', model.id, { kb: 8 });
    await settle(clock, [dispatcher.submit(first, { admit })]);
    await settle(clock, [dispatcher.submit(makeBatch('second', model.id, { kb: 8 }), { admit })]);
    assert.equal(told[0], Math.ceil(first.estInputTokens * PRIOR_RATIO));
    assert.equal(told[1], Math.ceil(first.estInputTokens * 1.5));
    dispatcher.dispose();
  });
});

describe('calibrated batch planning', () => {
  const model: ModelConfig = { id: 'm', tokensPerMinute: 60_000, maxKbPerBatch: 200, maxOutputTokens: 4_000 };
  const config = { ...defaultConfig(), models: [model] };
  const files = new Map<string, SourceFile>();
  const groups: Group[] = [];
  for (let i = 0; i < 40; i++) {
    const path = `src/f${i}.ts`;
    const text = `export const v${i} = ${JSON.stringify('y'.repeat(1_500))};\n`;
    files.set(path, { path, text, bytes: Buffer.byteLength(text), hash: `h${i}` } as SourceFile);
    groups.push({ files: [path], score: 0.5 } as Group);
  }

  it('packs batches that fit the budget as the model counts them (ratio 1.5): more, smaller batches', () => {
    const plain = planBatches(groups, files, config, { lane: 'background' });
    const skewed = planBatches(groups, files, config, { lane: 'background', tokenRatio: { m: 1.5 } });
    assert.equal(skewed.skipped.length, 0);
    assert.ok(skewed.batches.length > plain.batches.length, `${skewed.batches.length} vs ${plain.batches.length}`);
    const budget = batchTokenBudget(model);
    for (const b of skewed.batches) {
      const counted = Math.ceil(b.estInputTokens * 1.5);
      assert.ok(counted + initialOutputCap(counted, model) <= budget, `${b.id}: ${counted} + cap over ${budget}`);
    }
    // Without the ratio, the same batches as the model counts them would not fit.
    assert.ok(plain.batches.some((b) => Math.ceil(b.estInputTokens * 1.5) + initialOutputCap(Math.ceil(b.estInputTokens * 1.5), model) > budget));
  });

  it('ignores a ratio that is not a positive number', () => {
    const plain = planBatches(groups, files, config, { lane: 'background' });
    const bad = planBatches(groups, files, config, { lane: 'background', tokenRatio: { m: Number.NaN } });
    assert.deepEqual(bad.batches.map((b) => b.files.length), plain.batches.map((b) => b.files.length));
  });
});
