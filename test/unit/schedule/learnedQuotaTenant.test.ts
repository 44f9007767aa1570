import assert from 'node:assert/strict';
import { LearnedQuota } from '../../../src/core/schedule';

const MIN = 60_000;

/** Climbs from `from` with successes every 10 s until `until`; returns the value then. */
function climb(q: LearnedQuota, from: number, until: number): number {
  for (let t = from; t <= until; t += 10_000) q.onSuccess(t);
  return q.value;
}

describe('LearnedQuota with another tenant on the account', () => {
  it('a first overload recovers at the full rate (5 % of the ceiling a minute)', () => {
    const q = new LearnedQuota(100_000);
    q.onThrottle(0, 75_000);
    assert.equal(q.value, 75_000);
    assert.ok(Math.abs(climb(q, 5_000, 5_000 + MIN) - 80_000) < 1);
  });

  it('overloads a window apart at the same level slow recovery near it (÷4 each), so probes get rarer', () => {
    const q = new LearnedQuota(100_000);
    q.onThrottle(0, 75_000);
    climb(q, 5_000, 3 * MIN);
    q.onThrottle(3 * MIN, 76_000); // the same limit again: a repeat
    const start = q.value;
    assert.equal(start, 76_000);
    const after = climb(q, 3 * MIN + 5_000, 4 * MIN + 5_000);
    assert.ok(Math.abs(after - start - 1_250) < 10, `÷4: ${after - start} tokens in a minute`);
    q.onThrottle(6 * MIN, 75_500);
    const third = q.value;
    const later = climb(q, 6 * MIN + 5_000, 7 * MIN + 5_000);
    assert.ok(Math.abs(later - third - 312.5) < 10, `÷16: ${later - third} tokens in a minute`);
  });

  it('throttles within one window are one episode, not repeats (the first minute of a burst)', () => {
    const q = new LearnedQuota(100_000);
    q.onThrottle(0, 80_000);
    q.onThrottle(20_000, 78_000);
    q.onThrottle(40_000, 77_000);
    const start = q.value;
    assert.ok(Math.abs(climb(q, 45_000, 45_000 + MIN) - start - 5_000) < 1, 'full rate');
  });

  it('beyond the confirmed level (the tenant left), the full rate again', () => {
    const q = new LearnedQuota(100_000);
    q.onThrottle(0, 70_000);
    climb(q, 5_000, 2 * MIN);
    q.onThrottle(2 * MIN, 70_000);
    // Slow through the near zone (10 % of the ceiling above 70k: 8 minutes at ÷4), then 5 % a minute.
    const near = climb(q, 2 * MIN + 5_000, 6 * MIN + 5_000);
    assert.ok(Math.abs(near - 75_000) < 10, `${near}: 1,250 a minute near the confirmed level`);
    const past = climb(q, 6 * MIN + 15_000, 11 * MIN + 5_000);
    assert.ok(past > 80_000, `${past}: past the near zone`);
    assert.ok(climb(q, 11 * MIN + 15_000, 12 * MIN + 15_000) - past >= 4_900, 'full rate past the near zone');
  });

  it('rescale moves a cut with a recalibrated count, never above the ceiling, and leaves an uncut quota alone', () => {
    const q = new LearnedQuota(100_000);
    q.rescale(1.5);
    assert.equal(q.value, 100_000);
    q.onThrottle(0, 60_000); // one overload cuts at most 30 %: 70,000
    q.rescale(1.3);
    assert.equal(q.value, 91_000);
    q.rescale(2);
    assert.equal(q.value, 100_000);
    q.rescale(Number.NaN);
    assert.equal(q.value, 100_000);
  });
});
