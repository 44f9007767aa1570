import assert from 'node:assert/strict';
import { LearnedQuota } from '../../../src/core/schedule';

const MIN = 60_000;

/** Climbs from `from` with successes every 10 s until `until`; returns the value then. */
function climb(q: LearnedQuota, from: number, until: number): number {
  for (let t = from; t <= until; t += 10_000) q.onSuccess(t);
  return q.value;
}

describe('LearnedQuota with another tenant on the account', () => {
  it('a measured overload rests at its level (5 minutes), then climbs at a quarter rate near it', () => {
    const q = new LearnedQuota(100_000, { exploreCalls: 0 });
    q.onThrottle(0, 75_000);
    assert.equal(q.value, 75_000);
    assert.equal(climb(q, 5_000, 5 * MIN), 75_000, 'no probing into the level the service just refused');
    const after = climb(q, 5 * MIN + 5_000, 6 * MIN + 5_000);
    assert.ok(Math.abs(after - 75_000 - 1_250) < 10, `a quarter of 5 % a minute: ${after - 75_000}`);
  });

  it('a blind cut (nothing measured) recovers at once at the full rate, by time', () => {
    const q = new LearnedQuota(100_000);
    q.onThrottle(0);
    assert.equal(q.value, 70_000);
    assert.ok(Math.abs(climb(q, 5_000, 5_000 + MIN) - 75_000) < 1);
  });

  it('an overload again at the same level rests twice as long there (the limit is real)', () => {
    const q = new LearnedQuota(100_000, { exploreCalls: 0 });
    q.onThrottle(0, 75_000);
    climb(q, 5_000, 7 * MIN);
    q.onThrottle(7 * MIN, 76_000);
    assert.equal(q.value, 76_000);
    assert.equal(climb(q, 7 * MIN + 10_000, 16 * MIN), 76_000, 'rests 10 minutes');
    assert.ok(climb(q, 16 * MIN + 10_000, 18 * MIN) > 76_000, 'then climbs');
  });

  it('throttles within one overload each lower toward what is still accepted, never below it', () => {
    const q = new LearnedQuota(200_000);
    q.onThrottle(0, 180_000);
    q.onThrottle(500, 120_000);
    q.onThrottle(900, 100_000);
    assert.equal(q.value, 100_000);
    q.onThrottle(1_200, 130_000);
    assert.equal(q.value, 100_000, 'a later throttle with more held does not raise it');
  });

  it('beyond the confirmed level (the tenant left), the full rate again', () => {
    const q = new LearnedQuota(100_000, { restMs: MIN, exploreCalls: 0 });
    q.onThrottle(0, 70_000);
    const near = climb(q, 5_000, MIN + 5_000 + 8 * MIN);
    assert.ok(Math.abs(near - 80_000) < 10, `${near}: 1,250 a minute through the near zone (10 % of the ceiling)`);
    assert.ok(climb(q, 9 * MIN + 15_000, 10 * MIN + 15_000) - near >= 4_900, 'full rate past the near zone');
  });

  it('a measured level is also held for EXPLORE_CALLS answered calls (at most twice its rest), so exploring costs ≤ 1 % of them', () => {
    const calls = (q: LearnedQuota, from: number, until: number, every: number) => {
      for (let t = from; t <= until; t += every) q.onSuccess(t);
      return q.value;
    };
    const q = new LearnedQuota(200_000);
    q.onThrottle(0, 100_000);
    // A call every 5 s: 5 minutes are 60 calls; the climb waits for the 100th (at ~8.4 min).
    assert.equal(calls(q, 5_000, 8 * MIN, 5_000), 100_000, 'still resting after 96 calls');
    const after = calls(q, 8 * MIN + 5_000, 9 * MIN, 5_000);
    assert.ok(after > 100_000 && after < 100_000 + 2_500 + 10, `then the near-level rate, from when the 100th answer came: ${after}`);
    // A call a minute: the rest ends at twice its time (10 minutes), not at the 100th call.
    const slow = new LearnedQuota(200_000);
    slow.onThrottle(0, 100_000);
    assert.equal(calls(slow, MIN, 10 * MIN - 1, MIN), 100_000);
    assert.ok(calls(slow, 11 * MIN, 11 * MIN, MIN) > 100_000, 'climbs after 10 minutes');
  });

  it('a shallow cut (a timing edge at the real quota) is not held for EXPLORE_CALLS: it climbs by time after its rest', () => {
    const q = new LearnedQuota(100_000);
    q.onThrottle(0, 90_000);
    assert.equal(q.value, 90_000);
    // A call every 5 s: after the 5-minute rest (and 60 calls, far from 100) the climb has begun.
    for (let t = 5_000; t <= 6 * MIN; t += 5_000) q.onSuccess(t);
    assert.ok(q.value > 90_000, `climbing after the rest: ${q.value}`);
  });

  it('rescale moves a cut with a recalibrated count, never above the ceiling, and leaves an uncut quota alone', () => {
    const q = new LearnedQuota(100_000);
    q.rescale(1.5);
    assert.equal(q.value, 100_000);
    q.onThrottle(0, 60_000);
    q.rescale(1.3);
    assert.equal(q.value, 78_000);
    q.rescale(2);
    assert.equal(q.value, 100_000);
    q.rescale(Number.NaN);
    assert.equal(q.value, 100_000);
  });
});
