/**
 * Waiting for the answers in flight before cutting (ModelQueue.cutHead): a reservation holds
 * the call's output cap, and the answer gives back what the model did not write. A head that does not
 * fit beside calls still running is neither cut nor left for the window's expiry: it waits for their
 * answers, then starts whole if the room they free holds it, or is cut into that larger room.
 */
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../src/core/clock';
import type { ModelConfig } from '../../../src/core/config/types';
import { ModelQueue, type QueueEntry } from '../../../src/core/schedule/modelQueue';
import { seeded } from './fakes';

const MODEL: ModelConfig = { id: 'm', tokensPerMinute: 10_000, maxKbPerBatch: 100 };

interface Started {
  at: number;
  need: number;
}

/**
 * `count` entries of `need` tokens, `outputPart` of them the output cap (undefined: the entry does not
 * say, as before); each call answers after 1 s and is charged its need less the cap plus `written`.
 */
function run(count: number, need: number, outputPart: number | undefined, written: number) {
  const clock = new VirtualClock();
  const queue = new ModelQueue(MODEL, { clock, random: seeded(3) });
  const started: Started[] = [];
  const cuts: number[] = [];
  const make = (seq: number, n: number, cap = outputPart): QueueEntry => ({
    lane: 'background',
    seq,
    need: () => n,
    ...(cap !== undefined ? { outputPart: () => cap } : {}),
    start(r) {
      started.push({ at: clock.now(), need: n });
      void clock.sleep(1_000).then(() => queue.finish(r, n - (cap ?? 0) + written));
    },
    // The first piece reserves `room`; the rest pays a call's fixed part (500) again.
    split(room) {
      if (room < 1_000) return undefined;
      cuts.push(room);
      return [make(seq, room), make(seq, n - room + 500)];
    },
  });
  for (let i = 0; i < count; i++) queue.enqueue(make(i, need));
  return { clock, queue, started, cuts };
}

describe('a head that does not fit waits for the answers in flight before it is cut', () => {
  it('starts whole once the caps of the calls in flight come back, a second later, instead of being cut', async () => {
    // 10k quota: two 4k calls (1k of each the cap) leave 2k, half the third: the share rule would cut it.
    const { clock, started, cuts } = run(3, 4_000, 1_000, 0);
    await clock.advance(5_000);
    assert.deepEqual(cuts, [], 'nothing cut');
    // Both answers gave their 1k caps back: 10k − 2 × 3k leaves 4k, the third fits whole at 1 s.
    assert.deepEqual(started, [
      { at: 0, need: 4_000 },
      { at: 0, need: 4_000 },
      { at: 1_000, need: 4_000 },
    ]);
  });

  it('is cut into the room the answers leave when it still does not fit whole: one piece, the larger one', async () => {
    // The answers give back 600 of each 1k cap: 10k − 2 × 3.4k leaves 3.2k for the 4k head.
    const { clock, started, cuts } = run(3, 4_000, 1_000, 400);
    await clock.advance(5_000);
    assert.deepEqual(cuts, [3_200]);
    assert.deepEqual(started.slice(2), [{ at: 1_000, need: 3_200 }]);
  });

  it('is cut at once, as before, when the entries do not say what of their need is the cap', async () => {
    const { clock, started, cuts } = run(3, 4_000, undefined, 0);
    await clock.advance(5_000);
    assert.deepEqual(cuts, [2_000]);
    assert.deepEqual(started.slice(2), [{ at: 0, need: 2_000 }]);
  });
});
