/**
 * Bedrock books a quota per account, not per process: two `chorus analyze` runs at once on one
 * machine and one destination must share it rather than each believing it owns the whole quota.
 * Two real CLI processes against one emulator with small quotas; the control is the same pair
 * without a shared ledger (separate cache folders), which is what Chorus did before.
 */
import assert from 'node:assert/strict';
import { useSharedQuotaSuite, windowEmpties } from './sharedQuotaPair';

describe('shared quota: two CLI runs at once on one destination', function () {
  this.timeout(240_000);
  const suite = useSharedQuotaSuite();

  it('with the machine\'s shared ledger, the pair is (almost) never throttled; without it, it is', async () => {
    const alone = await suite.pair('false', { shareCache: false });
    await windowEmpties();
    const shared = await suite.pair('true', { shareCache: true });
    process.stderr.write(`      shared ledger: ${shared.throttled} of ${shared.received} requests throttled; separate: ${alone.throttled} of ${alone.received}\n`);
    // The control shows the check can fail: each process alone believed it owned the quota.
    assert.ok(alone.throttled > 0, `without sharing: ${alone.throttled} of ${alone.received} throttled`);
    assert.ok(shared.throttled <= Math.max(1, Math.floor(shared.received * 0.02)), `shared: ${shared.throttled} of ${shared.received} throttled (alone: ${alone.throttled} of ${alone.received})`);
  });
});
