/**
 * A call whose connection never opened (refused port, no DNS name) reached no service: it charges
 * neither the model's quota window nor the run's budget, and batches held back only by such calls'
 * reservations are not skipped "for the budget" — they fail fast with the one connection message.
 */
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../src/core/clock';
import { Budget } from '../../../src/core/engine/budget';
import { dispatchWithRetry } from '../../../src/core/engine/dispatchBatch';
import { ProviderError } from '../../../src/core/providers/provider';
import { Dispatcher } from '../../../src/core/schedule';
import type { Batch } from '../../../src/core/plan/types';
import type { SourceFile } from '../../../src/core/types';
import { initialOutputCap } from '../../../src/core/plan/estimate';
import { FakeModels, makeBatch, seeded, STRONG } from '../schedule/fakes';

const refused = () => ({ error: new ProviderError('unreachable', 'ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9'), latencyMs: 5 });

/** The model's own usage in its sliding window: what the local quota believes was spent. */
function windowTokens(dispatcher: Dispatcher, model: string): number {
  const queues = (dispatcher as unknown as { queues: Map<string, { window: { ownUsage(): { tokens: number } } }> }).queues;
  return queues.get(model)!.window.ownUsage().tokens;
}

function sourcesOf(batch: Batch): Map<string, SourceFile> {
  return new Map(batch.files.map((f) => [f.path, { path: f.path, text: f.text, bytes: f.bytes, hash: f.hash, redactions: 0 }]));
}

async function run(clock: VirtualClock, promise: Promise<unknown>): Promise<void> {
  let done = false;
  void promise.finally(() => (done = true));
  for (let i = 0; i < 10_000 && !done; i++) await clock.advance(100);
  await promise;
}

describe('connection failures never charge', () => {
  it('a refused connection leaves the quota window empty; a timed-out call keeps its input charged', async () => {
    for (const [script, charged] of [[refused, false], [() => ({ hang: true }), true]] as const) {
      const clock = new VirtualClock();
      const fakes = new FakeModels(clock).script('strong', script);
      const dispatcher = new Dispatcher({ models: [STRONG], providerFor: fakes.providerFor, clock, random: seeded(), requestTimeoutMs: 1_000 });
      const result = dispatcher.submit(makeBatch('a', 'strong'));
      await run(clock, result);
      assert.equal((await result).status, 'failed');
      const tokens = windowTokens(dispatcher, 'strong');
      dispatcher.dispose();
      if (charged) assert.ok(tokens > 0, 'a call that may have reached the service stays counted');
      else assert.equal(tokens, 0, 'nothing reached the service, nothing is counted');
    }
  });

  it('batches held back by reservations of refused calls fail with the connection message, not "budget reached"', async () => {
    const clock = new VirtualClock();
    const fakes = new FakeModels(clock).script('strong', refused);
    const dispatcher = new Dispatcher({ models: [STRONG], providerFor: fakes.providerFor, clock, random: seeded() });
    const batches = Array.from({ length: 6 }, (_, i) => makeBatch(`c${i}`, 'strong', { kb: 1 }));
    const perCall = batches[0]!.estInputTokens + initialOutputCap(batches[0]!.estInputTokens, STRONG);
    const budget = new Budget({ maxTokens: perCall * 2 }, [STRONG]);
    const all = Promise.all(batches.map((b) => dispatchWithRetry(dispatcher, b, budget, undefined, sourcesOf(b))));
    let results: Awaited<typeof all> = [];
    await run(clock, all.then((r) => (results = r)));
    dispatcher.dispose();
    const files = results.flatMap((r) => [...r.files.values()]);
    assert.equal(files.length, 6);
    for (const f of files) assert.ok(f.kind === 'failed' && /no model answered/.test(f.reason), JSON.stringify(f));
    assert.equal(budget.spent.tokens, 0);
    assert.ok(clock.now() < 10_000, `ended after ${clock.now()} ms of virtual time`);
  });

  it('Budget.reserve: "settling" only when the calls in flight, not what was spent, are in the way', () => {
    const budget = new Budget({ maxTokens: 1_000 }, [STRONG]);
    const first = budget.reserve('strong', 600, 0);
    assert.ok('release' in first);
    const blocked = budget.reserve('strong', 600, 0);
    assert.ok('reason' in blocked && blocked.settling, 'would fit once the first call settles');
    let woke = false;
    void blocked.settling.then(() => (woke = true));
    first.release();
    return Promise.resolve().then(() => {
      assert.ok(woke, 'a release wakes the batch that waits');
      budget.charge('strong', 700, 0);
      const spent = budget.reserve('strong', 600, 0);
      assert.ok('reason' in spent && spent.settling === undefined, 'over what was really spent: skipped for good');
    });
  });
});
