import assert from 'node:assert/strict';
import { VirtualClock } from '../../../src/core/clock';
import { ProviderError } from '../../../src/core/providers/provider';
import { Dispatcher, type BatchResult, type DispatcherEvent } from '../../../src/core/schedule';
import { FakeModels, LIGHT, makeBatch, seeded, STRONG } from './fakes';

function setup(options: { spillover?: boolean; models?: typeof STRONG[]; latencyMs?: number; interactiveReserve?: boolean } = {}) {
  const clock = new VirtualClock();
  const fakes = new FakeModels(clock, options.latencyMs);
  // The fake service counts exactly our estimate (fakes.ts): no prior skew to assume before it answers.
  const dispatcher = new Dispatcher({ models: options.models ?? [STRONG, LIGHT], providerFor: fakes.providerFor, clock, random: seeded(), spillover: options.spillover ?? false, priorTokenRatio: 1, interactiveReserve: options.interactiveReserve ?? false });
  const events: DispatcherEvent[] = [];
  dispatcher.onEvent((e) => events.push(e));
  return { clock, fakes, dispatcher, events };
}

async function settle(clock: VirtualClock, promises: Promise<BatchResult>[]): Promise<BatchResult[]> {
  await clock.runAll();
  return Promise.all(promises);
}

describe('Dispatcher', () => {
  it('runs a batch on its preferred model and reports usage in the snapshot', async () => {
    const { clock, fakes, dispatcher } = setup();
    const [result] = await settle(clock, [dispatcher.submit(makeBatch('a', 'strong'))]);
    assert.equal(result!.status, 'ok');
    assert.equal(result!.model, 'strong');
    assert.equal(result!.attempts, 1);
    assert.deepEqual(fakes.calls.map((c) => c.model), ['strong']);
    const strong = dispatcher.snapshot().find((m) => m.id === 'strong')!;
    assert.equal(strong.requests, 1);
    assert.ok(strong.inputTokens > 1000);
    assert.equal(strong.outputTokens, 100);
  });

  it('throttled: moves the batch to a model with capacity and records why', async () => {
    const { clock, fakes, dispatcher, events } = setup();
    fakes.script('strong', () => ({ error: new ProviderError('throttled', 'ThrottlingException', 'Too many tokens'), latencyMs: 100 }));
    const [result] = await settle(clock, [dispatcher.submit(makeBatch('a', 'strong'))]);
    assert.equal(result!.status, 'ok');
    assert.equal(result!.model, 'light');
    assert.ok(result!.reasons.some((r) => r.includes('fallback after ThrottlingException on strong')), result!.reasons.join('; '));
    assert.ok(events.some((e) => e.type === 'throttled' && e.model === 'strong'));
    assert.ok(events.some((e) => e.type === 'fallback' && e.from === 'strong' && e.to === 'light'));
    const [strong, light] = dispatcher.snapshot();
    assert.equal(strong!.throttles, 1);
    assert.equal(strong!.fallbacksOut, 1);
    assert.equal(light!.fallbacksIn, 1);
    assert.ok(strong!.effectiveTpm < strong!.quotaTpm, 'a throttle lowers the effective quota');
  });

  it('AccessDenied: the model leaves the run once, its batches go to the other model', async () => {
    const { clock, fakes, dispatcher, events } = setup();
    fakes.script('strong', () => ({ error: new ProviderError('model-unavailable', 'AccessDeniedException', 'no access'), latencyMs: 50 }));
    const results = await settle(clock, ['a', 'b', 'c'].map((id) => dispatcher.submit(makeBatch(id, 'strong'))));
    assert.deepEqual(results.map((r) => [r.status, r.model]), [['ok', 'light'], ['ok', 'light'], ['ok', 'light']]);
    assert.equal(events.filter((e) => e.type === 'model-disabled').length, 1);
    assert.match(dispatcher.snapshot()[0]!.disabledReason ?? '', /AccessDeniedException|no access/);
  });

  it('credentials: every model leaves and every batch fails with the one clear reason, without spinning', async () => {
    const { clock, fakes, dispatcher } = setup();
    const expired = () => ({ error: new ProviderError('credentials', 'ExpiredTokenException', 'ExpiredTokenException: token expired'), latencyMs: 10 });
    fakes.script('strong', expired).script('light', expired);
    const results = await settle(clock, ['a', 'b', 'c', 'd'].map((id) => dispatcher.submit(makeBatch(id, id < 'c' ? 'strong' : 'light'))));
    for (const r of results) {
      assert.equal(r.status, 'failed');
      assert.match((r as { reason: string }).reason, /token expired/);
    }
    const firstFailure = Math.min(...fakes.calls.map((c) => c.end!));
    assert.ok(fakes.calls.every((c) => c.start <= firstFailure), 'no call starts after the credentials error');
  });

  it('transient errors: retries with backoff within the budget, then another model, then fails with the reason', async () => {
    const { clock, fakes, dispatcher } = setup();
    const unavailable = () => ({ error: new ProviderError('transient', 'ServiceUnavailableException', 'ServiceUnavailableException: try later'), latencyMs: 10 });
    fakes.script('strong', unavailable).script('light', unavailable);
    const [result] = await settle(clock, [dispatcher.submit(makeBatch('a', 'strong'))]);
    assert.equal(result!.status, 'failed');
    assert.equal(result!.attempts, 6, 'three attempts on each model (retry budget 2)');
    assert.deepEqual(fakes.calls.map((c) => c.model), ['strong', 'strong', 'strong', 'light', 'light', 'light']);
    assert.match((result as { reason: string }).reason, /ServiceUnavailableException/);
    const gaps = fakes.calls.slice(1, 3).map((c, i) => c.start - fakes.calls[i]!.end!);
    for (const gap of gaps) assert.ok(gap >= 500, `backoff between retries, got ${gap} ms`);
  });

  it('a hung call on a model that answered before times out on the injected clock and is retried', async () => {
    const clock = new VirtualClock();
    const fakes = new FakeModels(clock);
    fakes.script('strong', (n) => (n === 1 ? { hang: true } : {}));
    const dispatcher = new Dispatcher({ models: [STRONG], providerFor: fakes.providerFor, clock, random: seeded(), requestTimeoutMs: 30_000 });
    await settle(clock, [dispatcher.submit(makeBatch('warm', 'strong'))]);
    const [result] = await settle(clock, [dispatcher.submit(makeBatch('a', 'strong'))]);
    assert.equal(result!.status, 'ok');
    assert.equal(result!.attempts, 2);
    assert.equal(fakes.calls[1]!.end! - fakes.calls[1]!.start, 30_000);
    assert.ok(result!.reasons.some((r) => r.includes('TimeoutError')));
  });

  it('max_tokens: retries with a larger output cap', async () => {
    const { clock, fakes, dispatcher } = setup();
    fakes.script('strong', (n) => (n === 0 ? { stopReason: 'max_tokens', outputTokens: 100_000 } : {}));
    const [result] = await settle(clock, [dispatcher.submit(makeBatch('a', 'strong'))]);
    assert.equal(result!.status, 'ok');
    assert.equal(fakes.calls.length, 2);
    assert.ok(fakes.calls[1]!.maxTokens > fakes.calls[0]!.maxTokens);
    assert.equal(dispatcher.recentBatches().filter((b) => b.outcome === 'retried').length, 1);
  });

  it('cancel: a queued batch ends cancelled and never reaches the model', async () => {
    const { clock, fakes, dispatcher } = setup({ models: [{ ...STRONG, tokensPerMinute: 12_000 }] });
    const ctrl = new AbortController();
    const first = dispatcher.submit(makeBatch('a', 'strong', { kb: 30 }));
    const second = dispatcher.submit(makeBatch('b', 'strong', { kb: 30 }), { signal: ctrl.signal });
    await clock.advance(100);
    ctrl.abort();
    const [r1, r2] = await settle(clock, [first, second]);
    assert.equal(r1!.status, 'ok');
    assert.equal(r2!.status, 'cancelled');
    assert.deepEqual(fakes.calls.flatMap((c) => c.batchIds), ['a']);
  });

  it('admit: a budget check that refuses skips the batch with its reason', async () => {
    const { clock, fakes, dispatcher } = setup();
    const [result] = await settle(clock, [dispatcher.submit(makeBatch('a', 'strong'), { admit: () => 'budget of 1,000 tokens reached' })]);
    assert.deepEqual([result!.status, (result as { reason: string }).reason], ['skipped', 'budget of 1,000 tokens reached']);
    assert.equal(fakes.calls.length, 0);
  });

  it('interactive work goes ahead of background work that is waiting for quota', async () => {
    const { clock, fakes, dispatcher } = setup({ models: [{ ...STRONG, tokensPerMinute: 40_000 }] });
    // Two of these fit in a minute's quota; the third waits.
    const background = ['b1', 'b2', 'b3'].map((id) => dispatcher.submit(makeBatch(id, 'strong', { kb: 60 })));
    await clock.advance(10);
    const save = dispatcher.submit(makeBatch('save', 'strong', { lane: 'interactive', kb: 4 }));
    await settle(clock, [...background, save]);
    const order = fakes.calls.map((c) => c.batchIds[0]);
    assert.deepEqual(order, ['b1', 'b2', 'save', 'b3']);
  });

  it('background work leaves an interactive reserve free: a save starts at once during a burst', async () => {
    const { clock, fakes, dispatcher } = setup({ models: [{ ...STRONG, tokensPerMinute: 100_000 }], latencyMs: 30_000, interactiveReserve: true });
    const burst = Array.from({ length: 30 }, (_, i) => dispatcher.submit(makeBatch(`b${i}`, 'strong', { kb: 16 })));
    await clock.advance(10_000);
    assert.ok(fakes.calls.length < 30, 'the burst waits for the window');
    const before = fakes.calls.length;
    // Larger than what the burst's window leaves over, within the reserve.
    const save = dispatcher.submit(makeBatch('save', 'strong', { lane: 'interactive', kb: 20 }));
    await clock.advance(1);
    assert.equal(fakes.calls[before]?.batchIds[0], 'save', 'the save started without waiting for the window');
    await settle(clock, [...burst, save]);
  });

  it('without an interactive source (the CLI) background work fills the whole window: no reserve nobody uses', async () => {
    const started = async (interactiveReserve: boolean) => {
      const { clock, fakes, dispatcher } = setup({ models: [{ ...STRONG, tokensPerMinute: 100_000 }], latencyMs: 30_000, interactiveReserve });
      const burst = Array.from({ length: 30 }, (_, i) => dispatcher.submit(makeBatch(`b${i}`, 'strong', { kb: 16 })));
      await clock.advance(10_000);
      const calls = fakes.calls.length;
      await settle(clock, burst);
      return calls;
    };
    const withReserve = await started(true);
    const without = await started(false);
    assert.ok(without > withReserve, `first-window calls: ${without} without a reserve, ${withReserve} with one`);
  });

  it('spillover: a batch whose preferred model is backed up moves to the idle model', async () => {
    const { clock, dispatcher, events } = setup({ spillover: true });
    // 90 KB batches: within light's hard limit (half its quota, input + output cap), so they may move.
    const results = await settle(clock, Array.from({ length: 8 }, (_, i) => dispatcher.submit(makeBatch(`s${i}`, 'strong', { kb: 90 }))));
    assert.ok(results.every((r) => r.status === 'ok'));
    const spilled = results.filter((r) => r.status === 'ok' && r.model === 'light');
    assert.ok(spilled.length >= 2, `expected some batches on light, got ${spilled.length}`);
    assert.ok(spilled.every((r) => r.reasons.some((x) => x.startsWith('spillover: '))));
    const moves = events.filter((e) => e.type === 'spillover');
    assert.ok(moves.some((e) => e.reason.startsWith('spillover: strong would finish')), 'decided at submit');
    assert.equal(moves.length, results.reduce((n, r) => n + r.reasons.filter((x) => x.startsWith('spillover: ')).length, 0), 'one event per recorded decision');
  });

  it('late spillover: a model that runs out of work takes the last batch waiting on a backed-up one, at most twice per batch', async () => {
    const clock = new VirtualClock();
    const fakes = new FakeModels(clock, 20_000);
    fakes.script('light', (n) => (n === 0 ? { latencyMs: 90_000 } : {}));
    const dispatcher = new Dispatcher({ models: [STRONG, LIGHT], providerFor: fakes.providerFor, clock, random: seeded(), priorTokenRatio: 1 });
    // 90 KB batches: within light's hard limit, so light may take one.
    const batches = [makeBatch('l0', 'light', { kb: 20 }), ...Array.from({ length: 10 }, (_, i) => makeBatch(`s${i}`, 'strong', { kb: 90 }))];
    const results = await settle(clock, batches.map((b) => dispatcher.submit(b)));
    assert.ok(results.every((r) => r.status === 'ok'));
    const stolen = results.filter((r) => r.reasons.some((x) => / idle, /.test(x)));
    assert.ok(stolen.length > 0, 'some batch was taken by an idle model');
    // Twice at most (MAX_STEALS): the tail may move a batch back to a model that ran dry later, never more.
    for (const r of stolen) assert.ok(r.reasons.filter((x) => / idle, /.test(x)).length <= 2);
  });

  it('rejects bad options with a TypeError naming the field', () => {
    assert.throws(() => new Dispatcher({ models: [], providerFor: () => ({ converse: () => Promise.reject(new Error('x')) }) }), /options\.models.*non-empty array/);
    assert.throws(() => new Dispatcher({ models: [STRONG], providerFor: undefined as never }), /options\.providerFor to be a function/);
    assert.throws(() => new Dispatcher({ models: [STRONG, STRONG], providerFor: () => ({ converse: () => Promise.reject(new Error('x')) }) }), /models\[1\]\.id to be unique/);
  });

  it('a malformed batch fails with the reason instead of throwing', async () => {
    const { dispatcher } = setup();
    const result = await dispatcher.submit({ id: 'x', files: [] } as never);
    assert.equal(result.status, 'failed');
    assert.match((result as { reason: string }).reason, /non-empty files array/);
  });
});
