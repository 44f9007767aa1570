/**
 * A model's wait estimate (ModelQueue.estimateWaitMs, what spillover and the move after a throttle
 * compare): when what waits fits one window, the window's exact expiry, not an even drain.
 */
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../src/core/clock';
import { ModelQueue } from '../../../src/core/schedule/modelQueue';
import { seeded } from './fakes';

describe('wait estimate of a model whose window frees in one cluster', () => {
  it('is when the window’s entries leave, for background work too, not the drain of the excess', async () => {
    const clock = new VirtualClock();
    const queue = new ModelQueue({ id: 'm', tokensPerMinute: 10_000, maxKbPerBatch: 100 }, { clock, random: seeded(1) });
    // 9,000 charged at t = 0 (one call answered at once): they leave the window at 60 s.
    const r = queue.window.reserve(9_000);
    queue.window.restamp(r, clock.now());
    queue.window.settle(r, 9_000);
    await clock.advance(1_000);
    const wait = queue.estimateWaitMs('background', 3_000);
    // The drain said 2,000 over ÷ 10,000 a minute = 12 s; nothing frees before 60 s.
    assert.ok(wait >= 58_000 && wait <= 62_000, `wait ${wait} ms`);
    assert.equal(queue.estimateWaitMs('background', 1_000), 0, 'what fits now waits nothing');
  });
});
