/**
 * What the service means, on virtual time: a daily quota takes the model out of the run, a 503 "Too
 * many connections" halves the model's concurrency (AIMD), ModelNotReady and a service-quota error
 * are not quota signals, and an endpoint that never answers ends the run after one timeout per model.
 * Errors are built as the SDK throws them and go through classifyError, as in production.
 */
import assert from 'node:assert/strict';
import { ModelNotReadyException, ServiceQuotaExceededException, ServiceUnavailableException, ThrottlingException } from '@aws-sdk/client-bedrock-runtime';
import fc from 'fast-check';
import { VirtualClock } from '../../../src/core/clock';
import { classifyError } from '../../../src/core/providers/classify';
import { Dispatcher, type BatchResult } from '../../../src/core/schedule';
import { LearnedConcurrency } from '../../../src/core/schedule/concurrency';
import { FakeModels, LIGHT, makeBatch, seeded, STRONG } from './fakes';

const meta = { $metadata: {} };
const perDay = () => classifyError(new ThrottlingException({ message: 'Too many tokens per day, please wait before trying again.', ...meta }));
const tooManyConnections = () => classifyError(new ServiceUnavailableException({ message: 'Too many connections, please wait before trying again.', ...meta }));
const notReady = () => classifyError(new ModelNotReadyException({ message: 'Model is not ready to serve inference requests.', ...meta }));
const serviceQuota = () => classifyError(new ServiceQuotaExceededException({ message: 'Your request exceeds the service quota for your account.', ...meta }));

function setup(models = [STRONG, LIGHT], options: { requestTimeoutMs?: number; maxConcurrency?: number; latencyMs?: number } = {}) {
  const clock = new VirtualClock();
  const fakes = new FakeModels(clock, options.latencyMs);
  const dispatcher = new Dispatcher({ models, providerFor: fakes.providerFor, clock, random: seeded(), spillover: false, destination: 'the endpoint http://127.0.0.1:9', ...options });
  return { clock, fakes, dispatcher };
}

async function settle(clock: VirtualClock, promises: Promise<BatchResult>[]): Promise<BatchResult[]> {
  await clock.runAll();
  return Promise.all(promises);
}

const reasonOf = (r: BatchResult) => ('reason' in r ? r.reason : '');

describe('LearnedConcurrency (AIMD on 503 "Too many connections")', () => {
  it('halves toward what was in flight, never below 1 nor above the ceiling; +1 per N successes below the refused level, per M at it', () => {
    const event = fc.oneof(
      fc.record({ kind: fc.constant('ok' as const) }),
      fc.record({ kind: fc.constant('503' as const), inFlight: fc.integer({ min: 1, max: 64 }), startedBefore: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 30 }), fc.array(event, { maxLength: 300 }), (ceiling, regainAfter, probeAfter, events) => {
        const c = new LearnedConcurrency(ceiling, { regainAfter, probeAfter });
        let now = 0;
        let lastCut = -Infinity;
        let refusedLevel = Infinity;
        let successes = 0;
        for (const e of events) {
          now += 10;
          const before = c.value;
          if (e.kind === 'ok') {
            c.onSuccess();
            const step = before + 1 < refusedLevel ? regainAfter : probeAfter;
            successes = before < ceiling ? successes + 1 : 0;
            const expected = before < ceiling && successes === step ? before + 1 : before;
            if (successes === step) successes = 0;
            assert.equal(c.value, expected, 'exactly +1 after N (below the refused level) or M (at it) successes');
          } else {
            // A call that started before the last cut belongs to the overload already answered.
            const startedAt = e.startedBefore ? lastCut - 1 : now - 5;
            c.onTooMany(startedAt, e.inFlight, now);
            if (startedAt < lastCut) assert.equal(c.value, before, 'one cut per overload');
            else {
              assert.equal(c.value, Math.min(before, Math.max(1, Math.floor(Math.min(before, e.inFlight) / 2))));
              refusedLevel = Math.min(before, e.inFlight);
              lastCut = now;
              successes = 0;
            }
          }
          assert.ok(c.value >= 1 && c.value <= ceiling && Number.isInteger(c.value), `value ${c.value} within 1..${ceiling}`);
        }
      }),
      { numRuns: Number(process.env.CHORUS_FC_RUNS ?? 200) },
    );
  });
});

describe('Dispatcher: throttles are not one thing', () => {
  it('a daily quota: the model leaves the run at once, its work goes to the other model, never retried there', async () => {
    const { clock, fakes, dispatcher } = setup();
    fakes.script('strong', () => ({ error: perDay(), latencyMs: 50 }));
    const results = await settle(clock, ['a', 'b', 'c', 'd'].map((id) => dispatcher.submit(makeBatch(id, 'strong'))));
    assert.ok(results.every((r) => r.status === 'ok' && r.model === 'light'), JSON.stringify(results.map((r) => [r.status, r.model, reasonOf(r)])));
    const strongCalls = fakes.calls.filter((c) => c.model === 'strong');
    // Only the calls already in flight when the first answer came back; none started after it.
    const firstAnswer = Math.min(...strongCalls.map((c) => c.end!));
    assert.ok(strongCalls.every((c) => c.start < firstAnswer), 'no call to the model after its daily quota ran out');
    const strong = dispatcher.snapshot().find((m) => m.id === 'strong')!;
    assert.match(strong.disabledReason ?? '', /Too many tokens per day.*tokens-per-day quota/);
    assert.equal(strong.throttles, 0, 'not counted as a per-minute throttle');
    assert.equal(strong.effectiveTpm, STRONG.tokensPerMinute, 'the learned per-minute quota is not cut');
  });

  it('a daily quota with no other model: every batch fails with the daily-quota message, without retries', async () => {
    const { clock, fakes, dispatcher } = setup([STRONG]);
    fakes.script('strong', () => ({ error: perDay(), latencyMs: 50 }));
    const results = await settle(clock, ['a', 'b'].map((id) => dispatcher.submit(makeBatch(id, 'strong'))));
    for (const r of results) {
      assert.equal(r.status, 'failed');
      assert.match(reasonOf(r), /Too many tokens per day/);
    }
    assert.ok(fakes.calls.length <= 2, `${fakes.calls.length} calls for 2 batches`);
  });

  it('503 too many connections: concurrency halves to what the service took, work is retried and none is lost', async () => {
    // The service accepts 4 calls at once; more get the 503.
    const { clock, fakes, dispatcher } = setup([STRONG], { maxConcurrency: 16, latencyMs: 1_000 });
    let inFlight = 0;
    let peakAfterCut = 0;
    let cut = false;
    fakes.script('strong', () => {
      if (inFlight >= 4) {
        cut = true;
        return { error: tooManyConnections(), latencyMs: 10 };
      }
      inFlight++;
      if (cut) peakAfterCut = Math.max(peakAfterCut, inFlight);
      setTimeoutOnClock(clock, 1_000, () => inFlight--);
      return { latencyMs: 1_000 };
    });
    const results = await settle(clock, Array.from({ length: 200 }, (_, i) => dispatcher.submit(makeBatch(`c${i}`, 'strong', { kb: 1 }))));
    assert.ok(results.every((r) => r.status === 'ok'), JSON.stringify(results.filter((r) => r.status !== 'ok').map(reasonOf)));
    const q = dispatcher.snapshot()[0]!;
    assert.equal(q.effectiveTpm, STRONG.tokensPerMinute, 'not a quota signal');
    const refusedCalls = fakes.calls.filter((c) => c.outcome === 'ServiceUnavailableException');
    assert.ok(refusedCalls.length > 0, 'the service refused some calls');
    // Past the first overload (the first 10 s), at most ~1 % of calls are refused.
    const late = fakes.calls.filter((c) => c.start >= 10_000);
    const lateRefused = late.filter((c) => c.outcome === 'ServiceUnavailableException').length;
    assert.ok(lateRefused <= Math.ceil(late.length / 100) + 1, `${lateRefused} of ${late.length} refused after 10 s`);
    assert.ok(peakAfterCut <= 4);
  });

  it('ModelNotReadyException: backoff and retry on the same model, no learned-quota cut', async () => {
    const { clock, fakes, dispatcher } = setup([STRONG]);
    fakes.script('strong', (n) => (n < 2 ? { error: notReady(), latencyMs: 20 } : {}));
    const [result] = await settle(clock, [dispatcher.submit(makeBatch('a', 'strong'))]);
    assert.equal(result!.status, 'ok');
    assert.equal(result!.attempts, 3);
    const gap = fakes.calls[1]!.start - fakes.calls[0]!.end!;
    assert.ok(gap >= 500, `backed off ${gap} ms`);
    const strong = dispatcher.snapshot()[0]!;
    assert.equal(strong.effectiveTpm, STRONG.tokensPerMinute);
    assert.equal(strong.throttles, 0);
  });

  it('ServiceQuotaExceededException: a clear error, not a throttle; the batch moves, else fails with the message', async () => {
    const two = setup();
    two.fakes.script('strong', () => ({ error: serviceQuota(), latencyMs: 20 }));
    const [moved] = await settle(two.clock, [two.dispatcher.submit(makeBatch('a', 'strong'))]);
    assert.equal(moved!.status, 'ok');
    assert.equal(moved!.model, 'light');
    assert.equal(two.fakes.calls.filter((c) => c.model === 'strong').length, 1, 'never retried on that model');
    const strong = two.dispatcher.snapshot().find((m) => m.id === 'strong')!;
    assert.equal(strong.throttles, 0);
    assert.equal(strong.effectiveTpm, STRONG.tokensPerMinute);

    const one = setup([STRONG]);
    one.fakes.script('strong', () => ({ error: serviceQuota(), latencyMs: 20 }));
    const [failed] = await settle(one.clock, [one.dispatcher.submit(makeBatch('a', 'strong'))]);
    assert.equal(failed!.status, 'failed');
    assert.match(reasonOf(failed!), /ServiceQuotaExceededException.*not a per-minute throttle/);
    assert.equal(one.fakes.calls.length, 1);
  });
});

describe('Dispatcher: runs end on time', () => {
  it('an endpoint that never answers: one timeout per model, then every batch fails naming the models and the endpoint', async () => {
    const { clock, fakes, dispatcher } = setup([STRONG, LIGHT], { requestTimeoutMs: 30_000 });
    fakes.script('strong', () => ({ hang: true })).script('light', () => ({ hang: true }));
    const results = await settle(clock, ['a', 'b', 'c'].map((id, i) => dispatcher.submit(makeBatch(id, i === 0 ? 'light' : 'strong'))));
    for (const r of results) {
      assert.equal(r.status, 'failed');
      assert.match(reasonOf(r), /no model answered: strong \(TimeoutError\), light \(TimeoutError\) — the endpoint http:\/\/127\.0\.0\.1:9 is unreachable/);
    }
    const lastEnd = Math.max(...fakes.calls.map((c) => c.end!));
    assert.ok(lastEnd <= 2 * 30_000, `ended at ${lastEnd} ms, within two request timeouts`);
    for (const model of ['strong', 'light']) {
      const calls = fakes.calls.filter((c) => c.model === model);
      const firstTimeout = Math.min(...calls.map((c) => c.end!));
      assert.ok(calls.every((c) => c.start <= firstTimeout), `${model}: no call after its first timeout`);
    }
  });

  it('one model hangs from the start: it leaves after one timeout and the other model does all the work', async () => {
    const { clock, fakes, dispatcher } = setup([STRONG, LIGHT], { requestTimeoutMs: 30_000 });
    fakes.script('strong', () => ({ hang: true }));
    const results = await settle(clock, ['a', 'b', 'c', 'd'].map((id) => dispatcher.submit(makeBatch(id, 'strong'))));
    assert.ok(results.every((r) => r.status === 'ok' && r.model === 'light'));
    const strong = dispatcher.snapshot().find((m) => m.id === 'strong')!;
    assert.match(strong.disabledReason ?? '', /has not answered anything yet — check that the endpoint http:\/\/127\.0\.0\.1:9 is reachable/);
    assert.ok(fakes.calls.filter((c) => c.model === 'strong').every((c) => c.start === 0), 'only the first calls, none after the timeout');
  });

  it('a refused connection counts as no answer too; a model that answered before is retried as usual', async () => {
    const refused = () => classifyError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }));
    const { clock, fakes, dispatcher } = setup([STRONG]);
    fakes.script('strong', (n) => (n === 1 ? { error: refused(), latencyMs: 5 } : {}));
    await settle(clock, [dispatcher.submit(makeBatch('warm', 'strong'))]);
    const [result] = await settle(clock, [dispatcher.submit(makeBatch('a', 'strong'))]);
    assert.equal(result!.status, 'ok');
    assert.equal(result!.attempts, 2);

    const cold = setup([STRONG]);
    cold.fakes.script('strong', () => ({ error: refused(), latencyMs: 5 }));
    const [failed] = await settle(cold.clock, [cold.dispatcher.submit(makeBatch('a', 'strong'))]);
    assert.equal(failed!.status, 'failed');
    assert.match(reasonOf(failed!), /no model answered: strong \(ECONNREFUSED\)/);
    assert.equal(cold.fakes.calls.length, 1);
  });
});

function setTimeoutOnClock(clock: VirtualClock, ms: number, fn: () => void): void {
  void clock.sleep(ms).then(fn);
}
