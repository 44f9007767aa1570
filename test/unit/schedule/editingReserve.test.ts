/**
 * The interactive reserve while the user is saving (issue 15 item 5): after interactive work arrives
 * anywhere in the dispatcher, background work leaves EDITING_RESERVE of every model's quota free for
 * EDITING_MS, so a save of several chunks (which may spill to another model) starts during a burst.
 */
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../src/core/clock';
import type { ModelConfig } from '../../../src/core/config/types';
import { Dispatcher } from '../../../src/core/schedule';
import { EDITING_MS, EDITING_RESERVE, INTERACTIVE_RESERVE, ModelQueue, type QueueEntry } from '../../../src/core/schedule/modelQueue';
import { FakeModels, LIGHT, makeBatch, seeded, STRONG } from './fakes';

const MODEL: ModelConfig = { id: 'm', tokensPerMinute: 100_000, maxKbPerBatch: 100 };

/** Enqueues 1k background entries until one does not start; returns the tokens started. */
function fillBackground(queue: ModelQueue, from: number): number {
  let started = 0;
  for (let i = 0; i < 200; i++) {
    let ran = false;
    const entry: QueueEntry = { lane: 'background', seq: from + i, need: () => 1_000, start: () => void (ran = true) };
    queue.enqueue(entry);
    if (!ran) {
      queue.remove(entry);
      break;
    }
    started += 1_000;
  }
  return started;
}

describe('the reserve while saving (EDITING_RESERVE)', () => {
  it('background fills to 92 % before any save, to 84 % for two minutes after one, then to 92 % again', async () => {
    const clock = new VirtualClock();
    const queue = new ModelQueue(MODEL, { clock, random: seeded(), interactiveReserve: INTERACTIVE_RESERVE, maxConcurrency: 500 });
    assert.equal(fillBackground(queue, 0), 100_000 * (1 - INTERACTIVE_RESERVE));
    await clock.advance(61_000);
    queue.noteInteractive();
    assert.equal(fillBackground(queue, 1_000), 100_000 * (1 - EDITING_RESERVE));
    await clock.advance(EDITING_MS + 1_000);
    assert.equal(fillBackground(queue, 2_000), 100_000 * (1 - INTERACTIVE_RESERVE));
  });

  it('keeps no reserve at all without an interactive source, saves or not', () => {
    const clock = new VirtualClock();
    const queue = new ModelQueue(MODEL, { clock, random: seeded(), maxConcurrency: 500 });
    queue.noteInteractive();
    assert.equal(fillBackground(queue, 0), 100_000);
  });

  it('a save on one model makes every model keep the larger reserve (its chunks may spill there)', async () => {
    const lightStarts = async (save: boolean) => {
      const clock = new VirtualClock();
      const fakes = new FakeModels(clock, 1_000);
      const dispatcher = new Dispatcher({ models: [STRONG, LIGHT], providerFor: fakes.providerFor, clock, random: seeded(), spillover: false, priorTokenRatio: 1, interactiveReserve: true });
      if (save) void dispatcher.submit(makeBatch('save', STRONG.id, { lane: 'interactive', kb: 1 }));
      await clock.advance(1_000);
      // 4 KB batches for the light model only, more than its window holds.
      for (let i = 0; i < 40; i++) void dispatcher.submit(makeBatch(`b${i}`, LIGHT.id, { kb: 4 }));
      await clock.advance(10);
      const n = fakes.calls.filter((c) => c.model === LIGHT.id).length;
      dispatcher.dispose();
      return n;
    };
    const without = await lightStarts(false);
    const withSave = await lightStarts(true);
    assert.ok(without < 40, `the window must be the limit (${without} started)`);
    // About (1 - 0.16) / (1 - 0.08) of the calls: at least one fewer.
    assert.ok(withSave < without, `${withSave} started after a save on the other model, ${without} without`);
    assert.ok(withSave >= Math.floor(without * (1 - EDITING_RESERVE) / (1 - INTERACTIVE_RESERVE)) - 1);
  });
});
