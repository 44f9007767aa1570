/**
 * The Redis quota ledger against a real redis-server (Debian's, started by the test on a free
 * loopback port with a generated password). The property: however several clients' admissions
 * interleave — each on its own connection, all at once — the reservations Redis confirmed never sum
 * above the limit inside any window. Then settlements, the learned quota, and losing the server.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { VirtualClock } from '../../../src/core/clock';
import { RedisQuotaLedger } from '../../../src/core/ledger/redisLedger';
import { parseSharedQuotaUrl, SharedQuotaUrlError } from '../../../src/core/ledger/redisUrl';
import { Redis } from 'ioredis';
import { MemoryLogger } from '../../../src/core/logger';
import { OWN_SAMPLES_TRUSTED, TokenCalibration } from '../../../src/core/schedule/calibration';
import { QuotaWindow, type Reservation } from '../../../src/core/schedule/quotaWindow';
import { startRedis, type TestRedis } from '../../support/redisServer';

const SPAN = 60_000;
const LIMIT = 10_000;
const RUNS = Number(process.env.CHORUS_FC_RUNS ?? 25);

/** The largest sum of `entries` inside any window of `span` (the maximum is reached at an entry). */
function peakWindow(entries: readonly Reservation[], span: number): number {
  let peak = 0;
  for (const e of entries) {
    const sum = entries.filter((o) => o.at <= e.at && o.at > e.at - span).reduce((s, o) => s + o.tokens, 0);
    peak = Math.max(peak, sum);
  }
  return peak;
}

describe('RedisQuotaLedger (real redis-server)', function () {
  this.timeout(120_000);
  let redis: TestRedis;
  const ledgers: RedisQuotaLedger[] = [];
  before(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    await Promise.all(ledgers.splice(0).map((l) => l.close()));
  });
  after(async () => redis?.close());

  async function clients(n: number, clock: VirtualClock, logger = new MemoryLogger()): Promise<RedisQuotaLedger[]> {
    const made = Array.from({ length: n }, () => new RedisQuotaLedger(redis.url, { clock, logger }));
    ledgers.push(...made);
    await Promise.all(made.map((l) => l.ready()));
    for (const l of made) assert.ok(l.connected, 'connected to the test server');
    return made;
  }

  it('admissions from several clients at once never sum above the limit inside a window', async () => {
    let refusedSomewhere = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            // Time passing before the round (emulated ms), then each client's concurrent asks.
            advance: fc.integer({ min: 0, max: 25_000 }),
            asks: fc.array(fc.record({ client: fc.integer({ min: 0, max: 3 }), tokens: fc.integer({ min: 1, max: LIMIT / 2 }) }), { minLength: 1, maxLength: 12 }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        async (rounds) => {
          const clock = new VirtualClock(1_000_000);
          const ledger = await clients(4, clock);
          const destination = randomBytes(8).toString('hex');
          const peers = ledger.map((l) => l.window(destination, 'model-a'));
          const confirmed: Reservation[] = [];
          for (const round of rounds) {
            await clock.advance(round.advance);
            // All at once, each on its own connection: Redis alone orders them.
            const answers = await Promise.all(
              round.asks.map(async ({ client, tokens }) => {
                const r: Reservation = { at: clock.now(), tokens };
                const wait = await peers[client]!.confirm!(r, LIMIT, Infinity, SPAN);
                return { r, wait };
              }),
            );
            for (const { r, wait } of answers) {
              if (wait === 0) confirmed.push(r);
              else {
                refusedSomewhere++;
                assert.ok(wait > 0 && wait <= SPAN, `a refusal says how long to wait, got ${wait}`);
              }
            }
          }
          const peak = peakWindow(confirmed, SPAN);
          assert.ok(peak <= LIMIT, `confirmed ${peak} tokens inside one window, limit ${LIMIT}`);
          await Promise.all(ledgers.splice(0).map((l) => l.close()));
        },
      ),
      { numRuns: RUNS },
    );
    // The property is not vacuous: the generated asks did contend for the window.
    assert.ok(refusedSomewhere > 0, 'some admissions were refused');
  });

  it('a refused admission fits once the window moves past the reservations ahead of it, and its wait says when', async () => {
    const clock = new VirtualClock(5_000_000);
    const [a, b] = await clients(2, clock);
    const destination = randomBytes(8).toString('hex');
    const [pa, pb] = [a!.window(destination, 'm'), b!.window(destination, 'm')];
    assert.equal(await pa.confirm!({ at: clock.now(), tokens: 7_000 }, LIMIT, Infinity, SPAN), 0);
    await clock.advance(10_000);
    const wait = await pb.confirm!({ at: clock.now(), tokens: 5_000 }, LIMIT, Infinity, SPAN);
    assert.equal(wait, SPAN - 10_000, 'until the 7,000 leave the window');
    // The reply refreshed b's mirror: its local estimate counts a's reservation.
    assert.deepEqual(pb.others(false), [{ at: 5_000_000, tokens: 7_000 }]);
    await clock.advance(wait);
    assert.equal(await pb.confirm!({ at: clock.now(), tokens: 5_000 }, LIMIT, Infinity, SPAN), 0);
  });

  it('a settlement (the real usage) frees what the estimate held, for every client', async () => {
    const clock = new VirtualClock(9_000_000);
    const [a, b] = await clients(2, clock);
    const destination = randomBytes(8).toString('hex');
    const window = new QuotaWindow(clock, SPAN);
    window.share(a!.window(destination, 'm'));
    const pb = b!.window(destination, 'm');
    const r = window.reserve(8_000);
    assert.equal(await window.confirm(r, LIMIT), 0);
    assert.ok((await pb.confirm!({ at: clock.now(), tokens: 5_000 }, LIMIT, Infinity, SPAN)) > 0, 'held at its estimate');
    window.settle(r, 1_000); // the call used less than it reserved
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(await pb.confirm!({ at: clock.now(), tokens: 5_000 }, LIMIT, Infinity, SPAN), 0);
  });

  it('a refused call (it leaves our window) frees its reservation for every client too', async () => {
    const clock = new VirtualClock(9_500_000);
    const [a, b] = await clients(2, clock);
    const destination = randomBytes(8).toString('hex');
    const window = new QuotaWindow(clock, SPAN);
    window.share(a!.window(destination, 'm'));
    const pb = b!.window(destination, 'm');
    const r = window.reserve(8_000);
    assert.equal(await window.confirm(r, LIMIT), 0);
    window.restamp(r, clock.now()); // sent
    assert.ok((await pb.confirm!({ at: clock.now(), tokens: 5_000 }, LIMIT, Infinity, SPAN)) > 0, 'held at its estimate');
    window.settle(r, 0); // throttled: the service counted none of it
    assert.equal(window.usage().requests, 0, 'gone from our window');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(await pb.confirm!({ at: clock.now(), tokens: 5_000 }, LIMIT, Infinity, SPAN), 0, 'and from the shared one');
  });

  it('with the same limit, two queues sharing one window alone (no confirm) overrun it: the check can fail', () => {
    // The control: what each process did before — decide from its own view only.
    const clock = new VirtualClock(0);
    const [wa, wb] = [new QuotaWindow(clock, SPAN), new QuotaWindow(clock, SPAN)];
    const confirmed: Reservation[] = [];
    for (const w of [wa, wb]) if (w.waitFor(6_000, LIMIT) === 0) confirmed.push(w.reserve(6_000));
    assert.ok(peakWindow(confirmed, SPAN) > LIMIT);
  });

  it('shares the lowest learned quota another instance published recently', async () => {
    const clock = new VirtualClock(2_000_000);
    const [a, b] = await clients(2, clock);
    const destination = randomBytes(8).toString('hex');
    const [pa, pb] = [a!.window(destination, 'm'), b!.window(destination, 'm')];
    assert.equal(pa.sharedQuota!(100_000), 100_000);
    assert.equal(pb.sharedQuota!(70_000), 70_000); // b was throttled and learned less
    await new Promise((resolve) => setTimeout(resolve, 600)); // a few refreshes
    assert.equal(pa.sharedQuota!(100_000), 70_000);
    assert.equal(pb.sharedQuota!(70_000), 70_000, 'its own value is not a peer\'s');
  });

  it('shares the token ratio per destination-model: a joining instance starts from what the others learned (only numbers stored)', async () => {
    const clock = new VirtualClock(2_500_000);
    const [a, b] = await clients(2, clock);
    const destination = randomBytes(8).toString('hex');
    const [pa, pb] = [a!.window(destination, 'm'), b!.window(destination, 'm')];
    const other = b!.window(destination, 'another-model');
    assert.equal(pa.sharedRatio!(1.3, 12), undefined, 'nobody else published yet');
    assert.equal(pb.sharedRatio!(1.2, 1), undefined);
    await new Promise((resolve) => setTimeout(resolve, 600)); // a few refreshes
    assert.equal(pb.sharedRatio!(1.2, 1), 1.3, 'b starts from the ratio a learned');
    assert.equal(pa.sharedRatio!(1.3, 12), undefined, "one answer is not enough to lend b's ratio to others");
    assert.equal(other.sharedRatio!(1.2, 0), undefined, 'another model keeps its own');
    // The calibration uses it until it has answers of its own.
    const calibration = new TokenCalibration();
    calibration.share(pb);
    assert.equal(calibration.ratio, 1.3);
    assert.equal(calibration.apply(1_000), 1_300);
    for (let i = 0; i < OWN_SAMPLES_TRUSTED; i++) calibration.observe(1_000, 900);
    assert.equal(calibration.ratio, 0.9, 'its own once it rests on enough answers');
    // What Redis holds for it: the ratio, the answers it rests on and a time — numbers only.
    const raw = new Redis(redis.url);
    try {
      const [key] = await raw.keys(`chorus:quota:v1:{${destination}:*:c`);
      assert.ok(key, 'the calibration hash exists');
      const values = Object.values(await raw.hgetall(key));
      assert.ok(values.length >= 1);
      for (const v of values) assert.match(v, /^[\d.]+ \d+ [\d.]+$/);
    } finally {
      raw.disconnect();
    }
  });

  it('losing the server: one warning without the password, admissions go on locally, shared again once it is back', async () => {
    const clock = new VirtualClock(3_000_000);
    const logger = new MemoryLogger();
    const [a, b] = await clients(2, clock, logger);
    const destination = randomBytes(8).toString('hex');
    const [pa, pb] = [a!.window(destination, 'm'), b!.window(destination, 'm')];
    await redis.stop();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const held: Reservation = { at: clock.now(), tokens: 9_000 };
    assert.equal(await pa.confirm!(held, LIMIT, Infinity, SPAN), 0, 'admitted locally while Redis is away');
    pa.publish([held]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const warnings = logger.lines.filter((l) => l.startsWith('warn'));
    assert.equal(warnings.length, 2, `one warning per ledger instance: ${warnings.join(' | ')}`);
    assert.ok(warnings.every((w) => w.includes(`redis://127.0.0.1:${redis.port}`) && !w.includes(redis.password)), warnings.join(' | '));
    await redis.start();
    const deadline = Date.now() + 10_000;
    while (!(a!.connected && b!.connected) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(a!.connected && b!.connected, 'reconnected');
    await new Promise((resolve) => setTimeout(resolve, 100));
    // a wrote what it admitted while away, so b (on a fresh, empty server) must wait for it.
    assert.ok((await pb.confirm!({ at: clock.now(), tokens: 5_000 }, LIMIT, Infinity, SPAN)) > 0, 'the outage\'s reservation is shared once back');
    assert.equal(logger.lines.filter((l) => l.startsWith('warn')).length, 2, 'no more warnings');
    assert.equal(logger.lines.filter((l) => l.startsWith('info') && l.includes('is back')).length, 2);
  });

  it('a server that hangs (connection open, no answer): the admission goes on after the command timeout, sharing resumes when it answers', async () => {
    const clock = new VirtualClock(4_000_000);
    const logger = new MemoryLogger();
    const ledger = new RedisQuotaLedger(redis.url, { clock, logger, commandTimeoutMs: 200 });
    ledgers.push(ledger);
    await ledger.ready();
    const peers = ledger.window(randomBytes(8).toString('hex'), 'm');
    redis.pause();
    try {
      const started = performance.now();
      assert.equal(await peers.confirm!({ at: clock.now(), tokens: 1_000 }, LIMIT, Infinity, SPAN), 0);
      assert.ok(performance.now() - started < 1_000, 'not stuck behind the hung server');
      assert.equal(ledger.connected, false);
    } finally {
      redis.resume();
    }
    const deadline = Date.now() + 10_000;
    while (!ledger.connected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(ledger.connected, 'answering again: shared again');
    assert.equal(logger.lines.filter((l) => l.startsWith('warn')).length, 1, logger.lines.join(' | '));
  });

  it('a wrong password: one warning that says why, without the password; admissions go on locally', async () => {
    const clock = new VirtualClock(6_000_000);
    const logger = new MemoryLogger();
    const wrong = `wrong${randomBytes(6).toString('hex')}`;
    const ledger = new RedisQuotaLedger(`redis://default:${wrong}@127.0.0.1:${redis.port}`, { clock, logger });
    ledgers.push(ledger);
    await ledger.ready();
    await new Promise((resolve) => setTimeout(resolve, 500)); // several reconnect attempts
    const peers = ledger.window(randomBytes(8).toString('hex'), 'm');
    assert.equal(await peers.confirm!({ at: clock.now(), tokens: 1_000 }, LIMIT, Infinity, SPAN), 0);
    const warnings = logger.lines.filter((l) => l.startsWith('warn'));
    assert.equal(warnings.length, 1, warnings.join(' | '));
    assert.match(warnings[0]!, /WRONGPASS|NOAUTH|invalid/i);
    assert.ok(!logger.lines.some((l) => l.includes(wrong)));
  });

  it('rediss:// to a server whose certificate is not trusted: refused, one warning naming the TLS error', async () => {
    const tls = await startRedis({ tls: true });
    try {
      const logger = new MemoryLogger();
      const ledger = new RedisQuotaLedger(tls.url, { clock: new VirtualClock(0), logger });
      ledgers.push(ledger);
      await ledger.ready();
      assert.equal(ledger.connected, false);
      const warnings = logger.lines.filter((l) => l.startsWith('warn'));
      assert.equal(warnings.length, 1, warnings.join(' | '));
      assert.match(warnings[0]!, /rediss:\/\/127\.0\.0\.1:\d+ cannot be reached \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)/);
      assert.ok(!warnings[0]!.includes(tls.password));
    } finally {
      await Promise.all(ledgers.splice(0).map((l) => l.close()));
      await tls.close();
    }
  });

  it('a URL that is not redis:// or rediss:// is refused without quoting it (it may hold a password)', () => {
    for (const bad of ['http://user:s3cretpass@host:6379', 'not a url s3cretpass', 'redis://:s3cretpass@host/notadb']) {
      assert.throws(() => parseSharedQuotaUrl(bad), (err: Error) => err instanceof SharedQuotaUrlError && !err.message.includes('s3cretpass'));
    }
    const target = parseSharedQuotaUrl('rediss://chorus:p%40ss@cache.example:6380/2');
    assert.equal(target.display, 'rediss://cache.example:6380');
    assert.deepEqual(target.options, { host: 'cache.example', port: 6380, username: 'chorus', password: 'p@ss', db: 2, tls: { servername: 'cache.example' } });
  });
});
