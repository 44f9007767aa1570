import { strict as assert } from 'node:assert';
import { VirtualClock } from '../../../src/core/clock';
import { BurstCoalescer } from '../../../src/extension/triggers/burstCoalescer';

function setup(quietMs = 1000, maxWaitMs = 5000) {
  const clock = new VirtualClock();
  const flushes: Array<{ at: number; paths: string[] }> = [];
  const coalescer = new BurstCoalescer({ quietMs, maxWaitMs, clock, onFlush: (paths) => flushes.push({ at: clock.now(), paths }) });
  return { clock, flushes, coalescer };
}

describe('BurstCoalescer', () => {
  it('flushes a burst once, after the quiet window, with each path once', async () => {
    const { clock, flushes, coalescer } = setup();
    for (let i = 0; i < 50; i++) {
      coalescer.add(`src/f${i % 25}.ts`);
      await clock.advance(10);
    }
    assert.equal(flushes.length, 0, 'nothing while changes keep coming');
    await clock.advance(999);
    assert.equal(flushes.length, 1);
    assert.equal(flushes[0]!.at, 490 + 1000, 'quiet window counted from the last change');
    assert.equal(flushes[0]!.paths.length, 25);
    assert.equal(new Set(flushes[0]!.paths).size, 25);
  });

  it('flushes at the maximum wait when changes never stop', async () => {
    const { clock, flushes, coalescer } = setup(1000, 3000);
    for (let t = 0; t < 10_000; t += 500) {
      coalescer.add(`f${t}.ts`);
      await clock.advance(500);
    }
    assert.ok(flushes.length >= 3, `expected several flushes, got ${flushes.length}`);
    assert.equal(flushes[0]!.at, 3000, 'the first flush comes maxWait after the first change');
    const all = flushes.flatMap((f) => f.paths);
    assert.equal(new Set(all).size, all.length, 'no path in two flushes of distinct changes');
  });

  it('drops a removed path and stops the timer when nothing is left', async () => {
    const { clock, flushes, coalescer } = setup();
    coalescer.add('a.ts');
    coalescer.add('b.ts');
    coalescer.remove('a.ts');
    await clock.runAll();
    assert.deepEqual(flushes.map((f) => f.paths), [['b.ts']]);
    coalescer.add('c.ts');
    coalescer.remove('c.ts');
    await clock.runAll();
    assert.equal(flushes.length, 1);
    assert.equal(clock.pendingSleepers, 0);
  });

  it('flushes nothing after dispose', async () => {
    const { clock, flushes, coalescer } = setup();
    coalescer.add('a.ts');
    coalescer.dispose();
    coalescer.add('b.ts');
    await clock.runAll();
    assert.equal(flushes.length, 0);
  });

  it('rejects negative timings at construction', () => {
    assert.throws(() => new BurstCoalescer({ quietMs: -1, maxWaitMs: 1, clock: new VirtualClock(), onFlush() {} }), TypeError);
  });
});
