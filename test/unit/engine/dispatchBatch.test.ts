/**
 * dispatchWithRetry on virtual time with in-memory models: what the run's budget is charged (every
 * answered call, the ones cut at max_tokens and asked again included; the reservation when usage
 * cannot be true) and what it holds before a call (input + the call's cap).
 */
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../src/core/clock';
import { Budget } from '../../../src/core/engine/budget';
import { dispatchWithRetry } from '../../../src/core/engine/dispatchBatch';
import { Dispatcher } from '../../../src/core/schedule';
import type { SourceFile } from '../../../src/core/types';
import { initialOutputCap } from '../../../src/core/plan/estimate';
import type { Batch } from '../../../src/core/plan/types';
import { FakeModels, makeBatch, seeded, STRONG } from '../schedule/fakes';

function sourcesOf(batch: Batch): Map<string, SourceFile> {
  return new Map(batch.files.map((f) => [f.path, { path: f.path, text: f.text, bytes: f.bytes, hash: f.hash, redactions: 0 }]));
}

async function run(clock: VirtualClock, promise: Promise<unknown>): Promise<void> {
  let done = false;
  void promise.finally(() => (done = true));
  for (let i = 0; i < 10_000 && !done; i++) await clock.advance(1_000);
  await promise;
}

describe('dispatchWithRetry and the run budget', () => {
  it('charges every answered call of a batch, the ones cut at max_tokens and asked again included', async () => {
    const clock = new VirtualClock();
    const fakes = new FakeModels(clock, 1_000);
    const seen: { input: number; output: number }[] = [];
    fakes.script('strong', (_n, request) => {
      seen.push({ input: Math.ceil(request.prompt.length / 4) + 200, output: Math.min(request.maxTokens, 100) });
      return { stopReason: 'max_tokens' };
    });
    const dispatcher = new Dispatcher({ models: [STRONG], providerFor: fakes.providerFor, clock, random: seeded() });
    const budget = new Budget({ maxTokens: 1_000_000 }, [STRONG]);
    const batch = makeBatch('b', 'strong');
    let out: Awaited<ReturnType<typeof dispatchWithRetry>> | undefined;
    await run(clock, dispatchWithRetry(dispatcher, batch, budget, undefined, sourcesOf(batch)).then((r) => (out = r)));
    dispatcher.dispose();
    assert.ok(fakes.calls.length >= 2, `the cap grew: ${fakes.calls.map((c) => c.maxTokens).join(', ')}`);
    assert.equal(budget.spent.tokens, seen.reduce((s, c) => s + c.input + c.output, 0), 'every call is charged, not only the last');
    const file = out!.files.get('b/f0.ts')!;
    assert.ok(file.kind === 'ok' && /max_tokens/.test(file.partial ?? ''), JSON.stringify(file));
  });

  it('holds input + the call cap while a call runs, so concurrent batches cannot overshoot', async () => {
    const clock = new VirtualClock();
    const fakes = new FakeModels(clock, 5_000);
    // Answers long enough that the learned cap (outputCap.ts) stays at least the first guess: the
    // reservations this test counts are the first guess's.
    fakes.script('strong', () => ({ outputTokens: 420 }));
    const dispatcher = new Dispatcher({ models: [STRONG], providerFor: fakes.providerFor, clock, random: seeded() });
    // Small batches: the cap, not the input, is most of what a call may charge.
    const batches = Array.from({ length: 6 }, (_, i) => makeBatch(`c${i}`, 'strong', { kb: 1 }));
    const perCall = batches[0]!.estInputTokens + initialOutputCap(batches[0]!.estInputTokens, STRONG);
    // Room for two reservations and a half: a guess of a quarter of the input would let a third in.
    const budget = new Budget({ maxTokens: perCall * 2 + Math.floor(perCall / 2) }, [STRONG]);
    const all = Promise.all(batches.map((b) => dispatchWithRetry(dispatcher, b, budget, undefined, sourcesOf(b))));
    let results: Awaited<typeof all> = [];
    await run(clock, all.then((r) => (results = r)));
    dispatcher.dispose();
    // Never more than two calls at once; batches held back by reservations ask again when calls settle.
    const overlap = Math.max(...fakes.calls.map((c) => fakes.calls.filter((o) => o.start <= c.start && (o.end ?? Infinity) > c.start).length));
    assert.equal(overlap, 2, `${overlap} calls in flight at once for a budget of two reservations`);
    assert.ok(budget.spent.tokens <= perCall * 2 + Math.floor(perCall / 2), `spent ${budget.spent.tokens}`);
    const skipped = results.flatMap((r) => [...r.files.values()]).filter((f) => f.kind === 'skipped');
    assert.equal(skipped.length + fakes.calls.length, 6);
    assert.ok(skipped.length > 0 && skipped.every((f) => f.kind === 'skipped' && /token budget reached/.test(f.reason)));
  });
});
