/**
 * The account's quota shared through Redis: two `chorus analyze` processes with separate cache folders
 * (so no file ledger is shared: two machines, as far as Chorus can tell) against one emulator, both
 * given one `--shared-quota` URL of a real redis-server the test starts. The control is the same pair
 * without it. Then Redis is stopped mid-run and started again: nothing fails, one warning each.
 */
import assert from 'node:assert/strict';
import { TIME_SCALE } from '../integration/cli/helpers';
import { startRedis, type TestRedis } from '../support/redisServer';
import { useSharedQuotaSuite, windowEmpties } from './sharedQuotaPair';
import { waitForAsync } from './helpers';

const UNREACHABLE = /the shared quota ledger at .* cannot be reached/g;

describe('shared quota through Redis: two CLI runs on two "machines", one account', function () {
  this.timeout(300_000);
  const suite = useSharedQuotaSuite();
  let redis: TestRedis;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => redis?.close());

  it('with one --shared-quota Redis the pair is (almost) never throttled; without it, it is', async () => {
    const alone = await suite.pair('redis-off', { shareCache: false });
    await windowEmpties();
    const shared = await suite.pair('redis-on', { shareCache: false, args: ['--shared-quota', redis.url] });
    process.stderr.write(`      redis ledger: ${shared.throttled} of ${shared.received} requests throttled; separate: ${alone.throttled} of ${alone.received}\n`);
    assert.ok(alone.throttled > 0, `without sharing: ${alone.throttled} of ${alone.received} throttled`);
    assert.ok(shared.throttled <= 1, `through Redis: ${shared.throttled} of ${shared.received} throttled (alone: ${alone.throttled} of ${alone.received})`);
    for (const run of shared.runs) {
      assert.doesNotMatch(run.stderr, UNREACHABLE);
      assert.ok(!run.stderr.includes(redis.password), 'the password is never printed');
    }
  });

  it('four clients at once (two CLI processes, two engines in another process) through one Redis: (almost) no throttle, nothing lost', async () => {
    await windowEmpties();
    let started = performance.now();
    const alone = await suite.pair('four-off', { shareCache: false, engines: { count: 2 } });
    const aloneMs = performance.now() - started;
    await windowEmpties();
    started = performance.now();
    const shared = await suite.pair('four-on', { shareCache: false, args: ['--shared-quota', redis.url], engines: { count: 2, sharedQuotaUrl: redis.url } });
    const sharedMs = performance.now() - started;
    process.stderr.write(
      `      four clients, redis: ${shared.throttled} of ${shared.received} throttled in ${(sharedMs / 1000).toFixed(1)} s; ` +
        `separate: ${alone.throttled} of ${alone.received} in ${(aloneMs / 1000).toFixed(1)} s\n`,
    );
    assert.ok(alone.throttled > 0, `without sharing: ${alone.throttled} of ${alone.received} throttled`);
    assert.ok(shared.throttled <= Math.max(1, Math.floor(shared.received * 0.01)), `through Redis: ${shared.throttled} of ${shared.received} throttled`);
  });

  it('over TLS (rediss://, the certificate trusted through NODE_EXTRA_CA_CERTS) the pair shares just the same', async () => {
    const tls = await startRedis({ tls: true });
    try {
      await windowEmpties();
      const shared = await suite.pair('redis-tls', { shareCache: false, args: ['--shared-quota', tls.url], env: { NODE_EXTRA_CA_CERTS: tls.caFile! } });
      process.stderr.write(`      redis over TLS: ${shared.throttled} of ${shared.received} requests throttled\n`);
      for (const run of shared.runs) assert.doesNotMatch(run.stderr, UNREACHABLE);
      assert.ok(shared.throttled <= 1, `through Redis over TLS: ${shared.throttled} of ${shared.received} throttled`);
    } finally {
      await tls.close();
    }
  });

  it('Redis stopped mid-run and started again: every file analyzed, one warning per run, no password', async () => {
    await windowEmpties();
    const received = async () => (await suite.emu.stats()).totals.received;
    const start = await received();
    const outage = async () => {
      await waitForAsync(async () => (await received()) >= start + 4, 60_000);
      await redis.stop();
      await new Promise((r) => setTimeout(r, 30_000 / TIME_SCALE)); // half an emulated minute away
      await redis.start();
    };
    const result = await suite.pair('redis-lost', { shareCache: false, args: ['--shared-quota', redis.url], during: outage });
    process.stderr.write(`      redis lost mid-run: ${result.throttled} of ${result.received} requests throttled\n`);
    for (const run of result.runs) {
      assert.equal(run.stderr.match(UNREACHABLE)?.length ?? 0, 1, run.stderr);
      assert.ok(!run.stderr.includes(redis.password), 'the password is never printed');
    }
  });
});
