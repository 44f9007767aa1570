/**
 * The run budget is a hard limit on what the service charges, whatever it counts: a fake service that
 * counts input at 1.5× and 2× our estimate, and a truncated batch asked again near the limit, never
 * charge above `maxTokens`; what does not fit is skipped with the reason. The service's own record of
 * what it charged is the truth here, not the budget's bookkeeping.
 */
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../src/core/clock';
import { Budget, FIRST_INPUT_FACTOR, INPUT_MARGIN } from '../../../src/core/engine/budget';
import { dispatchWithRetry } from '../../../src/core/engine/dispatchBatch';
import type { ModelProvider, ModelRequest, ModelResponse } from '../../../src/core/providers/provider';
import { Dispatcher } from '../../../src/core/schedule';
import type { Batch } from '../../../src/core/plan/types';
import type { SourceFile } from '../../../src/core/types';
import { makeBatch, seeded, STRONG } from '../schedule/fakes';

/** A service that counts input at `inputRatio` × our 4-bytes estimate and records what it charged. */
class CountingService {
  readonly charged: { input: number; output: number; maxTokens: number }[] = [];
  constructor(
    private readonly clock: VirtualClock,
    private readonly inputRatio: number,
    private readonly answer: (n: number, request: ModelRequest) => { outputTokens: number; stopReason?: string },
  ) {}

  readonly providerFor = (): ModelProvider => ({
    converse: async (request: ModelRequest, signal: AbortSignal): Promise<ModelResponse> => {
      const n = this.charged.length;
      const input = Math.ceil(((request.system.length + request.prompt.length) / 4) * this.inputRatio);
      const { outputTokens, stopReason } = this.answer(n, request);
      const output = Math.min(request.maxTokens, outputTokens);
      this.charged.push({ input, output, maxTokens: request.maxTokens });
      await this.clock.sleep(2_000, signal);
      return { toolInput: { findings: [] }, usage: { inputTokens: input, outputTokens: output }, stopReason: stopReason ?? 'tool_use', latencyMs: 2_000 };
    },
  });

  get total(): number {
    return this.charged.reduce((s, c) => s + c.input + c.output, 0);
  }
}

function sourcesOf(batch: Batch): Map<string, SourceFile> {
  return new Map(batch.files.map((f) => [f.path, { path: f.path, text: f.text, bytes: f.bytes, hash: f.hash, redactions: 0 }]));
}

async function run(clock: VirtualClock, promise: Promise<unknown>): Promise<void> {
  let done = false;
  void promise.finally(() => (done = true));
  for (let i = 0; i < 10_000 && !done; i++) await clock.advance(1_000);
  await promise;
}

async function analyze(service: CountingService, clock: VirtualClock, batches: Batch[], budget: Budget) {
  const dispatcher = new Dispatcher({ models: [STRONG], providerFor: service.providerFor, clock, random: seeded() });
  const all = Promise.all(batches.map((b) => dispatchWithRetry(dispatcher, b, budget, undefined, sourcesOf(b))));
  let results: Awaited<typeof all> = [];
  await run(clock, all.then((r) => (results = r)));
  dispatcher.dispose();
  return results.flatMap((r) => [...r.files.values()]);
}

describe('the run budget holds whatever the service counts', () => {
  for (const ratio of [1.5, 2]) {
    it(`a service counting input at ${ratio}× the estimate never charges above --max-tokens`, async () => {
      const clock = new VirtualClock();
      // Answers that use most of their cap: the caps' slack cannot hide the input's undercount.
      const service = new CountingService(clock, ratio, (_n, request) => ({ outputTokens: Math.floor(request.maxTokens * 0.9) }));
      const batches = Array.from({ length: 12 }, (_, i) => makeBatch(`r${i}`, 'strong', { kb: 24 }));
      const limit = 60_000;
      const budget = new Budget({ maxTokens: limit }, [STRONG]);
      const files = await analyze(service, clock, batches, budget);
      assert.ok(service.total <= limit, `the service charged ${service.total} of ${limit}`);
      assert.equal(budget.spent.tokens, service.total, 'the budget charged what the service reported');
      const skipped = files.filter((f) => f.kind === 'skipped');
      assert.ok(skipped.length > 0 && skipped.length < files.length, `${skipped.length} of ${files.length} skipped`);
      assert.ok(skipped.every((f) => f.kind === 'skipped' && f.code === 'budget' && /token budget reached/.test(f.reason)));
    });
  }

  it('a truncated batch asked again with a larger cap near the limit charges no more than the limit', async () => {
    const clock = new VirtualClock();
    // Every call fills its cap and stops at max_tokens: the dispatcher asks again with a larger cap,
    // each call charging its input + its whole cap.
    const service = new CountingService(clock, 1.3, (_n, request) => ({ outputTokens: request.maxTokens, stopReason: 'max_tokens' }));
    const batch = makeBatch('t0', 'strong', { kb: 8 });
    // Room for the first call and a little: the retry with a doubled cap must not go out beside it.
    const limit = Math.ceil(batch.estInputTokens * 1.3) * 2 + 4_000;
    const budget = new Budget({ maxTokens: limit }, [STRONG]);
    const files = await analyze(service, clock, [batch], budget);
    assert.ok(service.charged.length >= 1);
    assert.ok(service.total <= limit, `the service charged ${service.total} of ${limit} over ${service.charged.length} call(s), caps ${service.charged.map((c) => c.maxTokens).join(', ')}`);
    // The retry did not fit beside the truncated call: skipped with the reason, not sent.
    assert.equal(service.charged.length, 1, `caps ${service.charged.map((c) => c.maxTokens).join(', ')}`);
    assert.ok(files.length === 1 && files[0]!.kind === 'skipped' && files[0]!.code === 'budget' && /token budget reached/.test(files[0]!.reason), JSON.stringify(files));
    // No usage came back for that batch, so its call's reservation stays as charged: what the service
    // may have left is all another call may take.
    const left = limit - service.total;
    assert.ok('reason' in budget.reserve('strong', 0, left + 1), 'room the truncated call spent was handed out again');
  });

  it('the pieces of a cut batch each reserve their own call', async () => {
    const clock = new VirtualClock();
    const service = new CountingService(clock, 2, (_n, request) => ({ outputTokens: Math.floor(request.maxTokens * 0.9) }));
    // A model whose window is smaller than the batch: the dispatcher cuts it into pieces, each its own call.
    const small = { ...STRONG, tokensPerMinute: 6_000 };
    const dispatcher = new Dispatcher({ models: [small], providerFor: service.providerFor, clock, random: seeded() });
    const batch = makeBatch('p0', 'strong', { kb: 32, files: 8 });
    const limit = 12_000;
    const budget = new Budget({ maxTokens: limit }, [small]);
    let out: Awaited<ReturnType<typeof dispatchWithRetry>> | undefined;
    await run(clock, dispatchWithRetry(dispatcher, batch, budget, undefined, sourcesOf(batch)).then((r) => (out = r)));
    dispatcher.dispose();
    assert.ok(service.charged.length >= 2, `${service.charged.length} call(s): the batch was cut`);
    assert.ok(service.total <= limit, `the service charged ${service.total} of ${limit} over ${service.charged.length} pieces`);
    const outcomes = [...out!.files.values()];
    assert.equal(outcomes.length, 8);
    assert.ok(outcomes.every((f) => f.kind === 'ok' || (f.kind === 'skipped' && /budget reached/.test(f.reason))), JSON.stringify(outcomes));
  });

  it('reserves input at the largest plausible count before a model answers, at its learned high ratio after', () => {
    const budget = new Budget({ maxTokens: 10_000 }, [STRONG]);
    const first = budget.reserve('strong', 1_000, 500);
    assert.ok('release' in first);
    // Before the model's first answer: input at the largest plausible count.
    const held = Math.ceil(1_000 * FIRST_INPUT_FACTOR) + 500;
    const second = budget.reserve('strong', 1_000, 500);
    assert.ok('release' in second, 'a second call fits beside the first');
    const third = budget.reserve('strong', (10_000 - 2 * held) / FIRST_INPUT_FACTOR, 0);
    assert.ok('release' in third, 'exactly what is left fits');
    const refused = budget.reserve('strong', 1, 0);
    assert.ok('reason' in refused && /token budget reached/.test(refused.reason) && refused.settling, 'nothing more, until a release');
    first.release();
    second.release();
    third.release();
    // After answers: the highest recent ratio of reported to reserved-for, with a margin.
    budget.observeInput('strong', 1_000, 1_300);
    budget.observeInput('strong', 1_000, 900);
    assert.equal(budget.inputFactor('strong'), 1.3 * INPUT_MARGIN);
    assert.equal(budget.inputFactor('other'), FIRST_INPUT_FACTOR, 'a model that has not answered');
  });

  it('a call whose model is not known is reserved at the dearest configured model', () => {
    const cheap = { ...STRONG, id: 'cheap', costPer1kInput: 0.001, costPer1kOutput: 0.001 };
    const dear = { ...STRONG, id: 'dear', costPer1kInput: 0.01, costPer1kOutput: 0.01, serviceTier: { interactive: 'priority' as const } };
    const budget = new Budget({ maxCost: 0.05 }, [cheap, dear]);
    budget.observeInput('cheap', 1_000, 1_000);
    budget.observeInput('dear', 1_000, 1_000);
    // 1,100 input + 1,000 output at $0.01/1k × 1.75 (Priority) = $0.03675: one fits, two do not.
    const one = budget.reserve(undefined, 1_000, 1_000);
    assert.ok('release' in one);
    assert.ok('reason' in budget.reserve(undefined, 1_000, 1_000));
    assert.ok('release' in budget.reserve('cheap', 1_000, 1_000), 'on the cheap model it fits');
  });
});
