import assert from 'node:assert/strict';
import { SeriesStore } from '../../../src/webview/seriesStore';
import { recordRun, TWO_MODELS } from '../../integration/dashboard/series';

const run = recordRun(TWO_MODELS, 200);

describe('SeriesStore (the page’s time series)', () => {
  it('aligns one column per model metric on a shared time axis in seconds', () => {
    const store = new SeriesStore(100);
    for (const s of run.slice(0, 10)) store.push('r1', s);
    const cols = store.columns();
    assert.deepEqual(cols.x, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(cols.models.map((m) => m.label), ['Nova Pro', 'Llama 3.3 70B']);
    assert.deepEqual(cols.models[0]!.values.tokensPerMinute, run.slice(0, 10).map((s) => s.models[0]!.tokensPerMinute));
    assert.deepEqual(cols.totals.quotaSum, new Array(10).fill(160_000));
  });

  it('is bounded by its capacity', () => {
    const store = new SeriesStore(50);
    for (const s of run) store.push('r1', s);
    assert.equal(store.length, 50);
    assert.equal(store.columns().x[0], 150);
    assert.equal(store.columns().models[1]!.values.inFlight.length, 50);
  });

  it('shows the learned quota only where it is below the configured one, and marks throttles', () => {
    const store = new SeriesStore();
    for (const s of run) store.push('r1', s);
    const llama = store.columns().models[1]!.values;
    assert.equal(llama.effectiveTpm[90], null);
    assert.equal(llama.effectiveTpm[150], 54_000);
    const marks = llama.throttleMarks.flatMap((v, i) => (v === null ? [] : [i]));
    // throttles at t = 95, 97 and 160 s; samples start at t = 1 s
    assert.deepEqual(marks, [94, 96, 159]);
    assert.deepEqual(store.columns().models[0]!.values.throttleMarks.filter((v) => v !== null), []);
  });

  it('breaks the lines between two runs and ignores duplicates', () => {
    const store = new SeriesStore();
    store.push('r1', run[0]!);
    store.push('r1', run[0]!);
    store.push('r2', run[5]!);
    const cols = store.columns();
    assert.equal(cols.x.length, 3);
    assert.equal(cols.models[0]!.values.tokensPerMinute[1], null, 'a gap row between the runs');
  });

  it('starts over when the clock goes back (a new engine)', () => {
    const store = new SeriesStore();
    for (const s of run.slice(10, 20)) store.push('r1', s);
    store.push('r2', run[0]!);
    assert.equal(store.length, 1);
    assert.equal(store.newestAt, run[0]!.at);
  });

  it('gives a model that appears mid-run gaps before its first sample', () => {
    const store = new SeriesStore();
    const onlyFirst = run.slice(0, 3).map((s) => ({ ...s, models: s.models.slice(0, 1) }));
    for (const s of onlyFirst) store.push('r1', s);
    store.push('r1', run[3]!);
    assert.deepEqual(store.columns().models[1]!.values.tokensPerMinute.slice(0, 3), [null, null, null]);
  });

  it('survives save and restore (getState/setState), and refuses damaged state', () => {
    const store = new SeriesStore(100);
    for (const s of run.slice(0, 40)) store.push('r1', s);
    const saved = JSON.parse(JSON.stringify(store.save())) as unknown;
    const restored = new SeriesStore(100);
    assert.equal(restored.restore(saved), true);
    assert.deepEqual(restored.columns(), store.columns());
    assert.equal(restored.newestAt, run[39]!.at);
    restored.push('r1', run[40]!);
    assert.equal(restored.columns().models[1]!.values.throttleMarks.at(-1), null, 'no spurious throttle right after a restore');

    const damaged = JSON.parse(JSON.stringify(saved)) as { x: unknown[] };
    damaged.x.pop();
    assert.equal(new SeriesStore().restore(damaged), false);
    assert.equal(new SeriesStore().restore({ v: 2 }), false);
    assert.equal(new SeriesStore().restore('x'), false);
  });

  it('backfills tokens/min from the engine’s recent history when it starts mid-run', () => {
    const store = new SeriesStore();
    const now = run[100]!;
    const withHistory = {
      ...now,
      models: now.models.map((m, i) => ({ ...m, tpmSeries: [
        { at: now.at - 20_000, tpm: 1000 * (i + 1) }, { at: now.at - 10_000, tpm: 2000 * (i + 1) }, { at: now.at, tpm: m.tokensPerMinute },
      ] })),
    };
    store.push('r1', withHistory);
    const cols = store.columns();
    assert.deepEqual(cols.x, [0, 10, 20]);
    assert.deepEqual(cols.models[0]!.values.tokensPerMinute, [1000, 2000, now.models[0]!.tokensPerMinute]);
    assert.deepEqual(cols.models[1]!.values.quotaTpm, [60_000, 60_000, 60_000]);
    assert.deepEqual(cols.models[1]!.values.inFlight, [null, null, now.models[1]!.inFlight], 'unknown in the past');
    assert.deepEqual(cols.totals.tokensPerMinute.slice(0, 2), [3000, 6000]);
    store.push('r1', { ...run[101]!, models: withHistory.models });
    assert.equal(store.length, 4, 'history is used once, when the store is empty');
  });
});
