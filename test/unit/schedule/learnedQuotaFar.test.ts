import assert from 'node:assert/strict';
import { LearnedQuota } from '../../../src/core/schedule';
import { ALONE_CUT_SHARE, EDGE_CUT, MIN_QUOTA_TOKENS } from '../../../src/core/schedule/learnedQuota';

// A new account's quota far below the one assumed (Service Quotas not readable, defaults 100k/60k).
describe('LearnedQuota far below the configured ceiling', () => {
  it('a call refused alone in the window drops the quota below that call at once', () => {
    const q = new LearnedQuota(100_000);
    q.onThrottle(0, 0, { asked: 6_700, held: 0 });
    assert.equal(q.value, Math.floor(6_700 * ALONE_CUT_SHARE), 'below the refused call, not 70 % of 100k');
  });

  it('that level is not measured: it climbs back by time (the window may have been full for a moment)', () => {
    const q = new LearnedQuota(100_000);
    q.onThrottle(0, 0, { asked: 6_700, held: 0 });
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
      q.onThrottle(t, 0, { asked: asked, held: 0 });
      asked = Math.floor(q.value / 2);
    }
    assert.ok(q.value < 6_000, `learned ${q.value}`);
    q.onThrottle(60_000, 0, { asked: 1_100, held: 0 });
    q.onThrottle(70_000, 0, { asked: 900, held: 0 });
    assert.ok(q.value >= MIN_QUOTA_TOKENS, `never below ${MIN_QUOTA_TOKENS}: ${q.value}`);
  });

  it('a refusal at the edge of the quota is a miscount: the quota drops just below what was refused', () => {
    const q = new LearnedQuota(4_000);
    q.onThrottle(0, 2_003, { asked: 2_033, held: 2_003 });
    assert.equal(q.value, Math.floor(4_036 * EDGE_CUT), 'not to half (2,003): the service counted 36 tokens more than we did');
    const wrong = new LearnedQuota(200_000);
    wrong.onThrottle(0, 100_000, { asked: 10_000, held: 100_000 });
    assert.equal(wrong.value, 100_000, 'a quota configured 2× too high is far from the edge: measured as before');
    const tenant = new LearnedQuota(100_000, { exploreCalls: 0 });
    tenant.onThrottle(0, 84_000, { asked: 8_000, held: 84_000 });
    assert.equal(tenant.value, Math.floor(92_000 * EDGE_CUT), 'a first refusal at the edge is read as a miscount');
    tenant.onThrottle(30_000, 82_000, { asked: 7_000, held: 82_000 });
    assert.equal(tenant.value, 82_000, 'a second at the same level is a real limit (another tenant): measured');
  });

  it('after a bound, a refusal with our calls held measures the quota, in the same overload too', () => {
    const q = new LearnedQuota(100_000);
    q.onThrottle(0, 0, { asked: 9_500, held: 0 });
    assert.equal(q.value, 7_600);
    q.onThrottle(2_000, 4_088, { asked: 2_674, held: 4_088 });
    assert.equal(q.value, 4_088, 'half the 100,000 assumed no longer keeps the measured cut from landing');
    const edge = new LearnedQuota(100_000);
    edge.onThrottle(0, 0, { asked: 9_500, held: 0 });
    edge.onThrottle(10_000, 5_345, { asked: 1_982, held: 5_345 });
    assert.equal(edge.value, 5_345, 'near a bound is not a miscount: the bound was never where the quota is believed');
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
