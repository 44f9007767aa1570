/**
 * A window's turn at small quotas (issue 15): the queue looks again each time an entry leaves the
 * window, not only when its head fits, and an answered call leaves our window when it leaves the
 * service's (the guard only covers a call still on its way).
 */
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../src/core/clock';
import type { ModelConfig } from '../../../src/core/config/types';
import { DEFAULT_CUT_COST, ModelQueue, type QueueEntry } from '../../../src/core/schedule/modelQueue';
import { lookAgainMs } from '../../../src/core/schedule/admission';
import { QuotaWindow } from '../../../src/core/schedule';
import { seeded } from './fakes';

const MODEL: ModelConfig = { id: 'm', tokensPerMinute: 9_000, maxKbPerBatch: 100, maxOutputTokens: 4_096 };

/** An entry of `need` tokens that cannot be cut, charged what it reserved 1 s after it starts. */
function entry(queue: ModelQueue, clock: VirtualClock, name: string, need: number, started: { name: string; at: number }[]): QueueEntry {
  return {
    lane: 'background',
    seq: started.length,
    need: () => need,
    start(r) {
      started.push({ name, at: clock.now() });
      void clock.sleep(1_000).then(() => queue.finish(r, need));
    },
  };
}

/** A queue on MODEL whose window holds `a` (4,000, started at 0) and `b` (4,000, started at 30 s). */
async function twoHeld() {
  const clock = new VirtualClock();
  const queue = new ModelQueue(MODEL, { clock, random: seeded(1) });
  const started: { name: string; at: number }[] = [];
  queue.enqueue(entry(queue, clock, 'a', 4_000, started));
  await clock.advance(30_000);
  queue.enqueue(entry(queue, clock, 'b', 4_000, started));
  return { clock, queue, started };
}

describe('the queue wakes as the window’s entries leave', () => {
  it('starts a smaller entry behind a waiting head when the first entry leaves, not when the head fits', async () => {
    const { clock, queue, started } = await twoHeld();
    await clock.advance(1_000);
    // 8,000 of 9,000 held: the head (6,000) fits only when b leaves at 90 s; the one behind it
    // (4,500) fits when a leaves at 60 s.
    queue.enqueue(entry(queue, clock, 'head', 6_000, started));
    queue.enqueue(entry(queue, clock, 'small', 4_500, started));
    await clock.advance(30_000);
    assert.deepEqual(started.map((s) => s.name), ['a', 'b', 'small'], 'the small entry took the room a left');
    assert.equal(started[2]!.at, 60_000, 'as soon as a left the window');
    await clock.advance(60_000);
    assert.deepEqual(started.map((s) => s.name), ['a', 'b', 'small', 'head'], 'the head still runs (bounded bypass)');
  });

  it('stays asleep until the head fits when nothing behind it could use the room', async () => {
    const { clock, queue, started } = await twoHeld();
    queue.enqueue(entry(queue, clock, 'head', 6_000, started));
    await clock.advance(90_000);
    assert.deepEqual(started.map((s) => [s.name, s.at]), [['a', 0], ['b', 30_000], ['head', 90_000]]);
  });
});

describe('lookAgainMs', () => {
  it('wakes at a departure only when the room it leaves would stay empty long enough to pay for a cut', () => {
    // 1,000 free, 2,000 leave in 1 s and the head fits 3 s later: 3,000 × 3 s is less than a cut's
    // fixed tokens for a window, so the queue waits for the head (no piece chasing the room).
    assert.ok(3_000 * 3_000 < DEFAULT_CUT_COST * 60_000);
    assert.equal(lookAgainMs(4_000, 1_000, { ms: 1_000, tokens: 2_000 }), 4_000);
    // The same departure with the head 50 s away: 3,000 tokens would sit empty for 49 s.
    assert.equal(lookAgainMs(50_000, 1_000, { ms: 1_000, tokens: 2_000 }), 1_000);
    assert.equal(lookAgainMs(50_000, 1_000, undefined), 50_000, 'an empty window: only the head’s wait');
    assert.equal(lookAgainMs(5_000, 1_000, { ms: 6_000, tokens: 2_000 }), 5_000, 'a departure after the head fits changes nothing');
  });
});

describe('an answered call leaves the window with the service’s count', () => {
  it('drops the guard once the service’s start is known from the answer', async () => {
    const clock = new VirtualClock();
    const w = new QuotaWindow(clock, 60_000, 1_000);
    const r = w.reserve(9_000);
    w.restamp(r, 0); // sent
    assert.equal(w.waitFor(1, 9_000), 61_000, 'a call on its way counts a guard longer than the window');
    await clock.advance(2_000);
    // Answered at 2 s after 1.5 s at the service: it counted the call from 0.5 s.
    w.restampAnswered(r, clock.now() - 1_500);
    w.settle(r, 9_000);
    assert.equal(w.waitFor(1, 9_000), 58_500, 'it leaves at 60.5 s, when the service’s entry does');
  });

  it('keeps the guard when the reported latency is longer than the round trip (the start does not add up)', async () => {
    const clock = new VirtualClock();
    const w = new QuotaWindow(clock, 60_000, 1_000);
    const r = w.reserve(9_000);
    w.restamp(r, 0);
    await clock.advance(2_000);
    w.restampAnswered(r, clock.now() - 2_500);
    w.settle(r, 9_000);
    assert.equal(w.waitFor(1, 9_000), 59_000, 'it leaves a guard after the window from its send stamp');
  });
});
