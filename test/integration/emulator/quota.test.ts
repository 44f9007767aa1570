import assert from 'node:assert/strict';
import { ConverseCommand, ThrottlingException } from '@aws-sdk/client-bedrock-runtime';
import { startEmulator, type EmulatorRequestRecord, type RunningEmulator } from '../../../src/emulator';
import fc from 'fast-check';
import { QuotaWindow, WINDOW_MS, type QuotaEntry } from '../../../src/emulator/quota';
import { client, findingsRequest, SAMPLE_FILES } from './helpers';

/** The largest sum of `pick(record)` over the records that started within any 60 s window. */
function worstWindow(records: EmulatorRequestRecord[], pick: (r: EmulatorRequestRecord) => number): number {
  const sorted = [...records].sort((a, b) => a.time - b.time);
  let worst = 0;
  for (const start of sorted) {
    const sum = sorted.filter((r) => r.time >= start.time && r.time < start.time + WINDOW_MS).reduce((s, r) => s + pick(r), 0);
    worst = Math.max(worst, sum);
  }
  return worst;
}

describe('emulator: quota accounting', function () {
  describe('QuotaWindow', () => {
    it('reserves input + maxTokens up front and settles to the real use', () => {
      const q = new QuotaWindow(1_000);
      const a = q.admit(0, 600);
      assert.ok(a.ok);
      assert.equal(q.admit(1, 600).ok, false, 'the reservation counts while the request runs');
      q.settle(a.entry, 250);
      assert.deepEqual(q.usage(2), { reserved: 0, charged: 250, requests: 1 });
      assert.ok(q.admit(3, 600).ok, 'settling frees what was not used');
    });

    it('never settles above the reservation', () => {
      const q = new QuotaWindow(1_000);
      const a = q.admit(0, 100);
      assert.ok(a.ok);
      q.settle(a.entry, 5_000);
      assert.equal(q.usage(0).charged, 100);
    });

    it('slides: tokens count for 60 s from when their request started', () => {
      const q = new QuotaWindow(1_000);
      assert.ok(q.admit(0, 1_000).ok);
      assert.equal(q.admit(WINDOW_MS - 1, 1).ok, false);
      assert.ok(q.admit(WINDOW_MS, 1_000).ok);
    });

    it('for any arrivals and settlements, the charges of requests started in any 60 s window fit the quota', () => {
      const arrival = fc.record({ gap: fc.integer({ min: 0, max: 20_000 }), reserve: fc.integer({ min: 1, max: 4_000 }), used: fc.double({ min: 0, max: 1, noNaN: true }), lasts: fc.integer({ min: 0, max: 90_000 }) });
      fc.assert(
        fc.property(fc.array(arrival, { minLength: 1, maxLength: 60 }), (arrivals) => {
          const q = new QuotaWindow(10_000);
          const admitted: { at: number; entry: QuotaEntry }[] = [];
          const running: { endsAt: number; entry: QuotaEntry; charge: number }[] = [];
          let now = 0;
          for (const a of arrivals) {
            now += a.gap;
            // Settle everything that finished by now, in end order, before the next admission.
            running.sort((x, y) => x.endsAt - y.endsAt);
            while (running.length > 0 && running[0]!.endsAt <= now) {
              const done = running.shift()!;
              q.settle(done.entry, done.charge);
            }
            const r = q.admit(now, a.reserve);
            if (r.ok) {
              admitted.push({ at: now, entry: r.entry });
              running.push({ endsAt: now + a.lasts, entry: r.entry, charge: Math.round(a.reserve * a.used) });
            }
          }
          for (const start of admitted) {
            const sum = admitted.filter((x) => x.at >= start.at && x.at < start.at + WINDOW_MS).reduce((t, x) => t + x.entry.tokens, 0);
            if (sum > 10_000) return false;
          }
          return true;
        }),
      );
    });

    it('limits requests per minute when asked', () => {
      const q = new QuotaWindow(1_000_000, 2);
      assert.ok(q.admit(0, 1).ok);
      assert.ok(q.admit(1, 1).ok);
      assert.deepEqual(q.admit(2, 1), { ok: false, reason: 'requests' });
      assert.ok(q.admit(WINDOW_MS, 1).ok);
    });
  });

  describe('under concurrent load through the SDK', () => {
    const MODEL = 'us.amazon.nova-lite-v1:0';
    const TPM = 12_000;
    let emulator: RunningEmulator;

    before(async () => {
      emulator = await startEmulator({ config: { models: [{ id: MODEL, tokensPerMinute: TPM }] }, timeScale: 60 });
    });
    after(() => emulator.close());

    it('admits what fits, throttles the excess, and never exceeds the quota in any 60 s window', async function () {
      this.timeout(60_000);
      const sdk = client(emulator.url, 'h2');
      const files = Array.from({ length: 3 }, (_, i) => ({ ...SAMPLE_FILES[0]!, path: `src/file${i}.ts` }));
      let pending = 40;
      let throttled = 0;
      try {
        // Each round fires every pending request at once; the throttled ones wait 10 emulated s.
        for (let round = 0; pending > 0 && round < 200; round++) {
          const results = await Promise.allSettled(
            Array.from({ length: pending }, () => sdk.send(new ConverseCommand(findingsRequest(MODEL, { files, maxTokens: 1_500 })))),
          );
          for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof ThrottlingException, String(r.reason));
          const failed = results.filter((r) => r.status === 'rejected').length;
          throttled += failed;
          pending = failed;
          if (pending > 0) await emulator.clock.sleep(10_000);
        }
      } finally {
        sdk.destroy();
      }
      assert.equal(pending, 0, 'every request eventually got through');
      assert.ok(throttled > 0, 'the burst was over quota');

      const records = emulator.requests();
      const ok = records.filter((r) => r.outcome === 'ok');
      assert.equal(ok.length, 40);
      assert.equal(records.filter((r) => r.outcome === 'throttled').length, throttled);
      for (const r of ok) {
        assert.equal(r.reservedTokens, r.inputTokens + 1_500);
        assert.equal(r.chargedTokens, r.inputTokens + r.outputTokens);
      }
      const worst = worstWindow(ok, (r) => r.chargedTokens);
      assert.ok(worst <= TPM, `charged tokens within quota in every window (worst ${worst})`);
      assert.ok(worst > TPM / 2, `the load really pressed on the quota (worst window ${worst} of ${TPM})`);

      const stats = emulator.stats().models[MODEL]!;
      assert.equal(stats.received, 40 + throttled);
      assert.equal(stats.accepted, 40);
      assert.equal(stats.throttled, throttled);
      assert.equal(stats.inFlight, 0);
      assert.equal(stats.totalTokensCharged, ok.reduce((s, r) => s + r.chargedTokens, 0));
      assert.ok(stats.windowTokensUsed <= TPM);
    });
  });
});
