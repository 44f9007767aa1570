/**
 * Filling the window (issue 15 item 2): a ModelQueue whose head does not fit the room left lets a
 * smaller entry behind it start, at most MAX_BYPASS times per head. Properties over random queues on
 * virtual time (fast-check), and two worked examples.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { VirtualClock } from '../../../src/core/clock';
import type { ModelConfig } from '../../../src/core/config/types';
import { MAX_BYPASS, ModelQueue, type QueueEntry } from '../../../src/core/schedule/modelQueue';
import type { Lane } from '../../../src/core/types';
import { seeded } from './fakes';

const MODEL: ModelConfig = { id: 'm', tokensPerMinute: 20_000, maxKbPerBatch: 100 };

interface Item {
  need: number;
  lane: Lane;
  arrival: number;
  latency: number;
  /** Share of the reservation the call is charged when it ends. */
  charge: number;
}

interface Trace {
  seq: number;
  item: Item;
  /** Order of events, so that ties in virtual time are still ordered. */
  enqueuedAt?: number;
  startedAt?: number;
  starts: number;
  startTime?: number;
  /** Same-lane entries queued ahead of it when it was enqueued. */
  ahead: number;
}

async function simulate(items: Item[], options: { reserve: number; fillWindow?: boolean; concurrency?: number }) {
  const clock = new VirtualClock();
  const queue = new ModelQueue(MODEL, { clock, random: seeded(7), interactiveReserve: options.reserve, maxConcurrency: options.concurrency ?? 32, ...(options.fillWindow === undefined ? {} : { fillWindow: options.fillWindow }) });
  const traces: Trace[] = items.map((item, seq) => ({ seq, item, starts: 0, ahead: 0 }));
  const live: { at: number; tokens: number }[] = [];
  const overruns: string[] = [];
  let tick = 0;
  for (const t of traces) {
    void clock.sleep(t.item.arrival).then(() => {
      const entry: QueueEntry = {
        lane: t.item.lane,
        seq: t.seq,
        need: () => t.item.need,
        start(reservation) {
          t.starts++;
          t.startedAt = tick++;
          t.startTime = clock.now();
          // What the window holds when this call starts, by our own bookkeeping (60 s, no guard).
          const used = live.filter((e) => e.at > clock.now() - 60_000).reduce((s, e) => s + e.tokens, 0) + t.item.need;
          if (used > MODEL.tokensPerMinute) overruns.push(`seq ${t.seq} at ${clock.now()}: ${used}`);
          const mine = { at: clock.now(), tokens: t.item.need };
          live.push(mine);
          void clock.sleep(t.item.latency).then(() => {
            mine.tokens = Math.round(t.item.need * t.item.charge);
            queue.finish(reservation, mine.tokens);
          });
        },
      };
      t.ahead = traces.filter((o) => o.seq < t.seq && o.item.lane === t.item.lane && o.enqueuedAt !== undefined && o.startedAt === undefined).length;
      t.enqueuedAt = tick++;
      queue.enqueue(entry);
    });
  }
  await clock.runAll(24 * 3_600_000);
  return { traces, overruns, queue };
}

const item = fc.record({
  // Up to half the quota, as the planner's hard limit allows.
  need: fc.integer({ min: 500, max: 10_000 }),
  lane: fc.constantFrom<Lane>('interactive', 'background', 'background'),
  arrival: fc.integer({ min: 0, max: 120_000 }),
  latency: fc.integer({ min: 200, max: 30_000 }),
  charge: fc.double({ min: 0.3, max: 1, noNaN: true }),
});
const scenario = fc.record({
  items: fc.array(item, { minLength: 1, maxLength: 40 }),
  reserve: fc.constantFrom(0, 0.08),
  concurrency: fc.constantFrom(2, 32),
});

const RUNS: fc.Parameters<unknown> = process.env.CHORUS_FC_RUNS ? { numRuns: Number(process.env.CHORUS_FC_RUNS), endOnFailure: true } : { numRuns: 60 };

describe('ModelQueue fills the window (bounded bypass)', function () {
  this.timeout(120_000);

  it('never reserves more than the quota in any 60 s window, and starts every entry exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { traces, overruns } = await simulate(s.items, s);
        assert.deepEqual(overruns, []);
        for (const t of traces) assert.equal(t.starts, 1, `entry ${t.seq} started ${t.starts} times`);
      }),
      RUNS,
    );
  });

  it('overtakes an entry at most MAX_BYPASS times for each entry that was ahead of it, itself included', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { traces } = await simulate(s.items, s);
        for (const t of traces) {
          // Later arrivals in its lane that started while it waited: each was a bypass of it or of an entry ahead of it.
          const overtook = traces.filter((o) => o.seq > t.seq && o.item.lane === t.item.lane && o.startedAt! > t.enqueuedAt! && o.startedAt! < t.startedAt!).length;
          assert.ok(overtook <= MAX_BYPASS * (t.ahead + 1), `entry ${t.seq} was overtaken ${overtook} times with ${t.ahead} ahead`);
        }
      }),
      RUNS,
    );
  });

  it('never starts background work while interactive work waits', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { traces } = await simulate(s.items, s);
        for (const b of traces.filter((t) => t.item.lane === 'background')) {
          const waiting = traces.find((i) => i.item.lane === 'interactive' && i.enqueuedAt! < b.startedAt! && i.startedAt! > b.startedAt!);
          assert.equal(waiting, undefined, `background ${b.seq} started while interactive ${waiting?.seq} waited`);
        }
      }),
      RUNS,
    );
  });

  it('starts small entries behind a head that does not fit; head-of-line leaves that room empty', async () => {
    // 12k in flight, then a 10k head (does not fit the 8k left) and three 2k entries behind it.
    const items: Item[] = [
      { need: 12_000, lane: 'background', arrival: 0, latency: 1_000, charge: 1 },
      { need: 10_000, lane: 'background', arrival: 10, latency: 1_000, charge: 1 },
      ...[1, 2, 3].map((): Item => ({ need: 2_000, lane: 'background', arrival: 20, latency: 1_000, charge: 1 })),
    ];
    const filled = await simulate(items, { reserve: 0 });
    assert.deepEqual(filled.traces.slice(2).map((t) => t.startTime), [20, 20, 20]);
    // The head waits for the first call's 12k to leave the window (60 s), then starts.
    assert.equal(filled.traces[1]!.startTime, 60_000);
    const strict = await simulate(items, { reserve: 0, fillWindow: false });
    assert.deepEqual(strict.traces.slice(1).map((t) => t.startTime), [60_000, 60_000, 60_000, 60_000]);
  });

  it(`after ${MAX_BYPASS} bypasses the head starts as soon as it fits, and nothing else jumps it`, async () => {
    // A 10k head behind 11k in flight; a stream of 1k entries, one every second: nine would fit beside the 11k.
    const items: Item[] = [
      { need: 11_000, lane: 'background', arrival: 0, latency: 500, charge: 1 },
      { need: 10_000, lane: 'background', arrival: 10, latency: 500, charge: 1 },
      ...Array.from({ length: 20 }, (_, i): Item => ({ need: 1_000, lane: 'background', arrival: 20 + i * 1_000, latency: 500, charge: 1 })),
    ];
    const { traces } = await simulate(items, { reserve: 0 });
    const head = traces[1]!;
    const before = traces.slice(2).filter((t) => t.startedAt! < head.startedAt!);
    assert.equal(before.length, MAX_BYPASS);
    // The ninth small one (at 8 s) would fit but waits behind the head, which fits once the 11k leave at 60 s.
    assert.equal(head.startTime, 60_000);
    assert.ok(traces.slice(2 + MAX_BYPASS).every((t) => t.startedAt! > head.startedAt!));
  });
});
