import assert from 'node:assert/strict';
import { VirtualClock } from '../../../src/core/clock';
import { ProviderError } from '../../../src/core/providers/provider';
import { backoffMs, LearnedQuota, nextStep, OutputCapLearner, QuotaWindow, type FailureContext } from '../../../src/core/schedule';
import { STRONG } from './fakes';
import { MIN_QUOTA_TOKENS } from '../../../src/core/schedule/learnedQuota';
import { LEARNED_BASE_TOKENS } from '../../../src/core/schedule/outputCap';

describe('QuotaWindow', () => {
  it('admits while reservations fit, then waits exactly until the oldest leaves the window', async () => {
    const clock = new VirtualClock();
    const w = new QuotaWindow(clock);
    assert.equal(w.waitFor(60, 100), 0);
    w.reserve(60);
    await clock.advance(10_000);
    assert.equal(w.waitFor(30, 100), 0);
    w.reserve(30);
    assert.equal(w.waitFor(20, 100), 50_000, 'the 60 leaves at t=60 s');
    await clock.advance(50_000);
    assert.equal(w.waitFor(20, 100), 0);
  });

  it('settling to real usage frees the difference at once', () => {
    const w = new QuotaWindow(new VirtualClock());
    const r = w.reserve(90);
    assert.ok(w.waitFor(50, 100) > 0);
    w.settle(r, 40);
    assert.equal(w.waitFor(50, 100), 0);
    assert.deepEqual(w.usage(), { tokens: 40, requests: 1 });
  });

  it('counts requests per minute too', () => {
    const w = new QuotaWindow(new VirtualClock());
    w.reserve(1);
    w.reserve(1);
    assert.equal(w.waitFor(1, 100, 3), 0);
    w.reserve(1);
    assert.equal(w.waitFor(1, 100, 3), 60_000);
  });

  it('a guard keeps entries past the window; a restamp moves an entry to its send time', async () => {
    const clock = new VirtualClock();
    const w = new QuotaWindow(clock, 60_000, 2_000);
    const r = w.reserve(100);
    await clock.advance(5_000);
    w.restamp(r, clock.now());
    assert.equal(w.waitFor(1, 100), 62_000);
  });

  it('a restamp moves an entry only later (to the service’s arrival), never earlier', async () => {
    const clock = new VirtualClock();
    const w = new QuotaWindow(clock, 60_000, 0);
    const r = w.reserve(100);
    await clock.advance(20_000);
    w.restamp(r, 8_000); // answered now after 12 s of service latency: it arrived by 8 s
    assert.equal(w.waitFor(1, 100), 48_000);
    w.restamp(r, 3_000);
    assert.equal(w.waitFor(1, 100), 48_000);
  });

  it('admits a need above the limit only into an empty window', () => {
    const clock = new VirtualClock();
    const w = new QuotaWindow(clock);
    assert.equal(w.waitFor(500, 100), 0);
    w.reserve(10);
    assert.equal(w.waitFor(500, 100), 60_000);
  });
});

describe('LearnedQuota', () => {
  it('decreases multiplicatively on a throttle, at most once per overload, and climbs back by time', () => {
    const q = new LearnedQuota(100_000);
    assert.equal(q.onThrottle(0), true);
    assert.equal(q.value, 70_000);
    assert.equal(q.onThrottle(1_000), false, 'throttles of the same overload cut once');
    assert.equal(q.value, 70_000);
    q.onThrottle(10_000);
    assert.equal(q.value, 49_000);
    q.onSuccess(15_000);
    q.onSuccess(30_000);
    assert.equal(q.value, 49_000 + 1_250, '5 % of the ceiling per minute once the overload is over');
    for (let i = 0; i < 5; i++) q.onSuccess(30_000);
    assert.equal(q.value, 50_250, 'many calls at once do not speed it up');
    q.onSuccess(30_000 + 60_000);
    assert.equal(q.value, 55_250);
    q.onSuccess(30_000 + 20 * 60_000);
    assert.equal(q.value, 100_000, 'never above the configured ceiling');
  });

  it('never cuts below what the service was seen to accept: an edge throttle is not a lower quota', () => {
    const q = new LearnedQuota(100_000);
    assert.equal(q.onThrottle(0, 96_000), true);
    assert.equal(q.value, 96_000);
    const wrong = new LearnedQuota(200_000);
    wrong.onThrottle(0, 180_000);
    wrong.onThrottle(500, 120_000);
    wrong.onThrottle(900, 100_000);
    assert.equal(wrong.value, 100_000, 'one overload lands on what the service accepted (a quota configured 2× too high)');
    wrong.onThrottle(10_000, 100_000);
    assert.equal(wrong.value, 100_000, 'the next stays there');
  });

  it('never falls below its floor: a hundredth of the ceiling, at least one small call (MIN_QUOTA_TOKENS)', () => {
    const q = new LearnedQuota(100_000);
    for (let t = 0; t < 100; t++) q.onThrottle(t * 10_000);
    assert.equal(q.value, MIN_QUOTA_TOKENS);
    const large = new LearnedQuota(1_000_000);
    for (let t = 0; t < 100; t++) large.onThrottle(t * 10_000);
    assert.equal(large.value, 10_000);
  });

  it('rejects a bad ceiling', () => {
    assert.throws(() => new LearnedQuota(0), /Expected a positive quota ceiling, got 0/);
  });
});

/** The headroom outputCap.ts adds after `n` answers (OUTPUT_BASE_TOKENS shrinking to LEARNED_BASE_TOKENS over 20). */
const learnedBase = (n: number) => Math.max(LEARNED_BASE_TOKENS, Math.round(256 * (1 - n / 20)));

describe('OutputCapLearner', () => {
  it('starts from a guess proportional to the input and learns from observed outputs', () => {
    const l = new OutputCapLearner({ ...STRONG, maxOutputTokens: 8_000 });
    const first = l.capFor(10_000);
    assert.equal(first, 5_256, 'half the input plus the base before any answer');
    l.observe(10_000, 300, false);
    assert.equal(l.capFor(10_000), 375 + learnedBase(1), 'a terse model gets a smaller cap: more calls fit in the quota');
    l.observe(10_000, 4_000, true);
    assert.ok(l.capFor(10_000) >= 8_000 - 1, 'a truncated output raises the cap (to the ceiling here)');
  });

  it('takes the ratio from calls of comparable input: a short piece\'s answer does not scale up to a large batch', () => {
    const l = new OutputCapLearner({ ...STRONG, maxOutputTokens: 8_000 });
    l.observe(4_000, 40, false);
    l.observe(500, 100, false);
    // 100 of 500 is a ratio of 0.2: 1,000 tokens for a 4,000-token batch whose like answered 40.
    assert.equal(l.capFor(4_000), Math.ceil(100 * 1.25) + learnedBase(2), 'the longest recent answer with headroom decides');
    l.observe(500, 160, false);
    assert.equal(l.capFor(500), Math.ceil(500 * 0.32 * 1.25) + learnedBase(3), 'the short pieces still decide for calls of their size');
    assert.equal(l.capFor(4_000), Math.ceil(160 * 1.25) + learnedBase(3), 'and not for the large batch');
    const early = new OutputCapLearner({ ...STRONG, maxOutputTokens: 8_000 });
    early.observe(500, 100, false);
    assert.equal(early.capFor(4_000), Math.ceil(4_000 * 0.2 * 1.25) + learnedBase(1), 'with no call of comparable size yet, every ratio seen counts');
  });

  it('adds less headroom as more answers were seen: 256 after one, 64 after twenty', () => {
    const l = new OutputCapLearner({ ...STRONG, maxOutputTokens: 8_000 });
    l.observe(2_000, 40, false);
    assert.equal(l.capFor(2_000), 50 + 243);
    for (let i = 0; i < 25; i++) l.observe(2_000, 40, false);
    assert.equal(l.capFor(2_000), 50 + LEARNED_BASE_TOKENS);
  });

  it('gives a many-file batch room for an answer per file', () => {
    const l = new OutputCapLearner({ ...STRONG, maxOutputTokens: 8_000 });
    for (let i = 0; i < 4; i++) l.observe(2_000, 60, false, 1);
    assert.equal(l.capFor(2_000, 1), Math.ceil(60 * 1.25) + learnedBase(4));
    assert.equal(l.capFor(2_000, 19), Math.ceil(60 * 19 * 1.25) + learnedBase(4), '19 files, ~60 tokens of findings each');
    l.observe(2_000, 900, false, 9);
    assert.ok(l.capFor(2_000, 9) >= 900 * 1.25, 'the 9-file answer itself is within the cap of the next like it');
  });

  it('grows a cap after max_tokens up to the model ceiling', () => {
    const l = new OutputCapLearner({ ...STRONG, maxOutputTokens: 3_000 });
    assert.equal(l.grow(1_000), 2_000);
    assert.equal(l.grow(2_000), 3_000);
    assert.equal(l.grow(3_000), 3_000);
  });
});

describe('backoff and the fallback policy', () => {
  it('backs off with jitter, doubling up to the cap', () => {
    assert.equal(backoffMs(0, () => 0), 500);
    assert.equal(backoffMs(0, () => 1), 1_000);
    assert.equal(backoffMs(3, () => 0.5), 6_000);
    assert.equal(backoffMs(20, () => 1), 20_000);
  });

  const base = (over: Partial<FailureContext>): FailureContext => ({
    error: new ProviderError('transient', 'ServiceUnavailableException', 'busy'), model: 'a', throttles: 0, maxThrottles: 5,
    transientOnModel: 1, retryBudget: 2, random: () => 0.5, ...over,
  });

  it('throttled: to a model with capacity, else back behind the limiter, failed only past the limit', () => {
    const throttled = new ProviderError('throttled', 'ThrottlingException', 'Too many tokens');
    assert.deepEqual(nextStep(base({ error: throttled, throttles: 1, withCapacity: 'b', other: 'b' })), { kind: 'fallback', to: 'b', reason: 'fallback after ThrottlingException on a' });
    assert.equal(nextStep(base({ error: throttled, throttles: 1, other: 'b' })).kind, 'retry');
    assert.equal(nextStep(base({ error: throttled, throttles: 6 })).kind, 'fail');
  });

  it('transient: retries within the budget, then another model, then fails with the reason', () => {
    assert.equal(nextStep(base({ transientOnModel: 2, other: 'b' })).kind, 'retry');
    assert.deepEqual(nextStep(base({ transientOnModel: 3, other: 'b' })), { kind: 'fallback', to: 'b', reason: 'fallback after 3 × ServiceUnavailableException on a' });
    const fail = nextStep(base({ transientOnModel: 3 }));
    assert.equal(fail.kind, 'fail');
    assert.match(fail.kind === 'fail' ? fail.reason : '', /busy \(after 3 attempts on a, no other model left\)/);
  });

  it('credentials and invalid requests fail at once; an unavailable model hands over', () => {
    assert.equal(nextStep(base({ error: new ProviderError('credentials', 'ExpiredTokenException', 'expired'), other: 'b' })).kind, 'fail');
    assert.equal(nextStep(base({ error: new ProviderError('invalid-request', 'ValidationException', 'bad'), other: 'b' })).kind, 'fail');
    assert.equal(nextStep(base({ error: new ProviderError('model-unavailable', 'AccessDeniedException', 'no'), other: 'b' })).kind, 'fallback');
  });
});
