/**
 * Requests-per-minute limits, on virtual time: which limit a throttle names (by its meaning), the
 * learned request limit (LearnedRequests), and a dispatcher against a fake service that refuses the
 * (limit + 1)-th request of any rolling minute with "Too many requests", as Bedrock does: every batch
 * ends analyzed, the request limit is learned from the first overload, the token quota is not cut,
 * and after the first minute nothing more is refused.
 */
import assert from 'node:assert/strict';
import { ThrottlingException } from '@aws-sdk/client-bedrock-runtime';
import { VirtualClock } from '../../../src/core/clock';
import { classifyError, throttleLimitOf } from '../../../src/core/providers/classify';
import { ProviderError } from '../../../src/core/providers/provider';
import { Dispatcher, type BatchResult } from '../../../src/core/schedule';
import { LearnedRequests, REQUESTS_REST_MS } from '../../../src/core/schedule/learnedRequests';
import { FakeModels, makeBatch, seeded, STRONG } from './fakes';

const meta = { $metadata: {} };
const throttle = (message: string) => classifyError(new ThrottlingException({ message, ...meta }));

describe('which limit a throttle hit', () => {
  it('reads "Too many requests" as the request limit and everything else as tokens', () => {
    assert.equal(throttleLimitOf(throttle('Too many requests, please wait before trying again.')), 'requests');
    assert.equal(throttleLimitOf(throttle('You have sent too many requests. Wait before trying again.')), 'requests');
    assert.equal(throttleLimitOf(throttle('Too many tokens, please wait before trying again.')), 'tokens');
    assert.equal(throttleLimitOf(throttle('Rate exceeded')), 'tokens', 'unknown wording: tokens');
    assert.equal(throttleLimitOf(throttle('')), 'tokens');
    // The exception's name speaks of requests; only the service's message says which limit.
    assert.equal(throttleLimitOf(new ProviderError('throttled', 'TooManyRequestsException', 'TooManyRequestsException: Too many tokens, please wait before trying again.')), 'tokens');
    assert.equal(throttleLimitOf(new ProviderError('transient', 'X', 'X: too many requests')), 'tokens', 'not a throttle at all');
  });
});

describe('LearnedRequests', () => {
  it('unknown until a request throttle, then the count held; lower counts win, higher ones do not raise it', () => {
    const r = new LearnedRequests();
    assert.equal(r.value, Infinity);
    assert.equal(r.learned, false);
    assert.equal(r.onThrottle(1_000, 20), true);
    assert.equal(r.value, 20);
    assert.equal(r.onThrottle(1_500, 22), false, 'a call in flight counted at another edge does not raise it');
    assert.equal(r.onThrottle(2_000, 19), true);
    assert.equal(r.value, 19);
    assert.equal(new LearnedRequests(5).onThrottle(0, 9), false, 'never above the configured ceiling');
    const zero = new LearnedRequests();
    zero.onThrottle(0, 0);
    assert.equal(zero.value, 1, 'a throttle with nothing held: at least one request a minute');
  });

  it('rests REQUESTS_REST_MS, then climbs one request a minute, by time; a throttle at the same level doubles the rest', () => {
    const r = new LearnedRequests();
    r.onThrottle(0, 10);
    r.onSuccess(REQUESTS_REST_MS - 1);
    assert.equal(r.value, 10, 'resting');
    r.onSuccess(REQUESTS_REST_MS + 60_000);
    assert.equal(r.value, 11);
    r.onSuccess(REQUESTS_REST_MS + 3 * 60_000 + 5);
    assert.equal(r.value, 13);
    // The probe at 11 was refused again: the limit is real, rest twice as long.
    const at = REQUESTS_REST_MS + 4 * 60_000;
    r.onThrottle(at, 10);
    r.onSuccess(at + REQUESTS_REST_MS + 60_000);
    assert.equal(r.value, 10, 'a repeat rests twice as long');
    r.onSuccess(at + 2 * REQUESTS_REST_MS + 60_000);
    assert.equal(r.value, 11);
    const capped = new LearnedRequests(12);
    capped.onThrottle(0, 11);
    capped.onSuccess(10 * REQUESTS_REST_MS);
    assert.equal(capped.value, 12, 'climbs no higher than the ceiling');
  });
});

describe('Dispatcher: a model with a small requests-per-minute quota it was not told of', () => {
  it('learns the limit from the first overload, cuts no token quota, and is not refused after the first minute', async () => {
    const clock = new VirtualClock();
    const fakes = new FakeModels(clock, 1_500);
    const limit = 6;
    const accepted: number[] = [];
    const refusedAt: number[] = [];
    // The service: the (limit + 1)-th arrival of any rolling minute is refused; refused ones do not count.
    fakes.script('strong', () => {
      const now = clock.now();
      if (accepted.filter((t) => t > now - 60_000).length >= limit) {
        refusedAt.push(now);
        return { error: throttle('Too many requests, please wait before trying again.'), latencyMs: 50 };
      }
      accepted.push(now);
      return {};
    });
    const dispatcher = new Dispatcher({ models: [STRONG], providerFor: fakes.providerFor, clock, random: seeded(3), spillover: false, probeQuota: true, destination: 'the endpoint http://127.0.0.1:9' });
    const promises: Promise<BatchResult>[] = Array.from({ length: 30 }, (_, i) => dispatcher.submit(makeBatch(`r${i}`, 'strong', { kb: 1 })));
    await clock.runAll();
    const results = await Promise.all(promises);
    assert.ok(results.every((r) => r.status === 'ok'), JSON.stringify(results.filter((r) => r.status !== 'ok')));
    const strong = dispatcher.snapshot().find((m) => m.id === 'strong')!;
    assert.equal(strong.effectiveTpm, STRONG.tokensPerMinute, 'a request throttle does not cut the token quota');
    assert.equal(strong.effectiveRpm, limit, 'the request limit is what the service held');
    assert.ok(refusedAt.length >= 1, 'the fake did refuse (the test can fail)');
    const firstRefusal = Math.min(...refusedAt);
    const late = refusedAt.filter((t) => t > firstRefusal + 60_000);
    assert.deepEqual(late, [], `refused after the first minute: ${late.join(', ')}`);
    // Probing (as the engine runs) sends about a tenth of the token quota unproven at once: the first
    // overload is what was on its way when the first refusal came back, not the whole queue.
    assert.ok(refusedAt.length <= 3, `${refusedAt.length} refusals in the first overload`);
    // 30 calls at 6 a minute take about 5 minutes; the limit is used, not left idle.
    const span = Math.max(...accepted) - Math.min(...accepted);
    assert.ok(span <= 5 * 60_000 + 10_000, `30 calls took ${span} ms`);
  });
});
