import assert from 'node:assert/strict';
import { LearnedQuota } from '../../../src/core/schedule';
import { ALONE_CUT_SHARE, MIN_QUOTA_TOKENS } from '../../../src/core/schedule/learnedQuota';

// A new account's quota far below the one assumed (Service Quotas not readable, defaults 100k/60k).
describe('LearnedQuota far below the configured ceiling', () => {
  it('a call refused alone in the window drops the quota below that call at once', () => {
    const q = new LearnedQuota(100_000);
    q.onThrottle(0, 0, 6_700);
    assert.equal(q.value, Math.floor(6_700 * ALONE_CUT_SHARE), 'below the refused call, not 70 % of 100k');
  });

  it('that level is not measured: it climbs back by time (the window may have been full for a moment)', () => {
    const q = new LearnedQuota(100_000);
    q.onThrottle(0, 0, 6_700);
    q.onSuccess(10_000);
    q.onSuccess(70_000);
    assert.ok(q.value >= Math.floor(6_700 * ALONE_CUT_SHARE) + 4_000, `climbs 5 % of the ceiling a minute: ${q.value}`);
    q.onThrottle(80_000, 6_000);
    assert.equal(q.value, 6_000, 'where the quota really is that low, the next refusal measures it');
  });

  it('can learn a quota a sixteenth of the ceiling (the floor is one small call, not a tenth)', () => {
    const q = new LearnedQuota(100_000);
    let asked = 6_700;
    for (let t = 0; asked > 3_000; t += 6_000) {
      q.onThrottle(t, 0, asked);
      asked = Math.floor(q.value / 2);
    }
    assert.ok(q.value < 6_000, `learned ${q.value}`);
    q.onThrottle(60_000, 0, 1_100);
    q.onThrottle(70_000, 0, 900);
    assert.ok(q.value >= MIN_QUOTA_TOKENS, `never below ${MIN_QUOTA_TOKENS}: ${q.value}`);
  });

  it('without the alone bound a refusal keeps its old rule (blind 0.7, measured at most half)', () => {
    const blind = new LearnedQuota(100_000);
    blind.onThrottle(0);
    assert.equal(blind.value, 70_000);
    const measured = new LearnedQuota(100_000);
    measured.onThrottle(0, 20_000);
    assert.equal(measured.value, 50_000, 'a little held at a run’s start does not collapse the quota');
  });
});
