/** `engine.start(request)`: a run's handle, its own events, its id before any work, and cancel. */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { createEngine, createInterimScorer, type EngineEvent, type Run } from '../../../src/core/engine';
import { accessDenied, FakeModels, testConfig, workspace } from './fakes';

function collect(run: Run): EngineEvent[] {
  const events: EngineEvent[] = [];
  run.events.subscribe((e) => events.push(e));
  return events;
}

const fileDone = (events: EngineEvent[]) => events.flatMap((e) => (e.type === 'file-done' ? [e.outcome.path] : [])).sort();

describe('engine.start: the run as a handle', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('two runs of one lane whose discovery finishes out of order keep their own events', async () => {
    // The first run discovers 300 files, the second one file: the second's discovery ends first,
    // the order that made the old host hand the first caller the second run's events.
    const files: Record<string, string> = { 'one.js': 'if (a == b) eval(a);\n' };
    for (let i = 0; i < 300; i++) files[`many/f${i}.js`] = `const v${i} = ${i};\nif (v${i} == 1) eval(v${i});\n`;
    const root = workspace(files);
    dirs.push(root);
    const engine = createEngine({ config: testConfig(), providerFor: new FakeModels().providerFor, scorer: createInterimScorer() });
    const started: string[] = [];
    engine.onEvent((e) => e.type === 'run-started' && started.push(e.runId));

    const whole = engine.start({ root, lane: 'interactive' });
    const single = engine.start({ root, paths: ['one.js'], lane: 'interactive' });
    assert.notEqual(whole.id, single.id);
    const wholeEvents = collect(whole);
    const singleEvents = collect(single);
    const [a, b] = await Promise.all([whole.result, single.result]);

    assert.deepEqual(started, [single.id, whole.id], 'the second run started (finished discovery) first');
    assert.equal(a.runId, whole.id);
    assert.equal(b.runId, single.id);
    assert.deepEqual(fileDone(singleEvents), ['one.js']);
    assert.equal(fileDone(wholeEvents).length, 301);
    assert.ok(wholeEvents.every((e) => e.runId === whole.id));
    assert.ok(singleEvents.every((e) => e.runId === single.id));
    // Batch events (from the shared dispatcher) reach the run that submitted the batch, and only it.
    const singleBatches = singleEvents.filter((e) => e.type === 'batch-started');
    assert.ok(singleBatches.length > 0);
    assert.ok(singleBatches.every((e) => e.type === 'batch-started' && e.files.every((f) => f === 'one.js')));
    engine.dispose();
  });

  it('knows its id before any work, and its first event carries it', async () => {
    const root = workspace({ 'a.js': 'eval(x);\n' });
    dirs.push(root);
    const engine = createEngine({ config: testConfig(), providerFor: new FakeModels().providerFor, scorer: createInterimScorer() });
    const global: EngineEvent[] = [];
    engine.onEvent((e) => global.push(e));
    const run = engine.start({ root, lane: 'background' });
    assert.match(run.id, /\S/);
    assert.equal(global.length, 0, 'start() returns before the run does anything');
    const events = collect(run);
    await run.result;
    assert.equal(events[0]?.type, 'run-started');
    assert.equal(events[0]?.runId, run.id);
    assert.equal(events.at(-1)?.type, 'run-finished');
    engine.dispose();
  });

  it('cancel() ends the run: every file leaves, the rest skipped as cancelled', async () => {
    const root = workspace({ 'a.js': 'eval(a);\n', 'b.js': 'eval(b);\n', 'c.py': 'def f():\n    pass\n' });
    dirs.push(root);
    const handle: { run?: Run } = {};
    // The first call cancels the run and waits on the signal the dispatcher gave it.
    const hanging = {
      converse: (_request: unknown, signal: AbortSignal) =>
        new Promise<never>((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
          handle.run?.cancel('stop');
        }),
    };
    const engine = createEngine({ config: testConfig(), providerFor: () => hanging, scorer: createInterimScorer() });
    handle.run = engine.start({ root, lane: 'background' });
    const result = await handle.run.result;
    assert.equal(result.cancelled, true);
    assert.deepEqual(result.files.map((f) => [f.path, f.status, f.code]), [
      ['a.js', 'skipped', 'cancelled'], ['b.js', 'skipped', 'cancelled'], ['c.py', 'skipped', 'cancelled'],
    ]);
    engine.dispose();
  });

  it('a model leaving reaches every active run, each with its own id and the code', async () => {
    const root = workspace({ 'a.js': 'eval(a);\n', 'b.js': 'eval(b);\n' });
    dirs.push(root);
    const config = testConfig();
    // Every model is denied: each leaves, and the files fail with why. Both runs are active from
    // start() on (before their first call), so both hear the models leave, whichever sent first.
    const denying = { converse: () => Promise.reject(accessDenied()) };
    const engine = createEngine({ config, providerFor: () => denying, scorer: createInterimScorer() });
    const one = engine.start({ root, paths: ['a.js'], lane: 'background' });
    const two = engine.start({ root, paths: ['b.js'], lane: 'background' });
    const oneEvents = collect(one);
    const twoEvents = collect(two);
    const [r1, r2] = await Promise.all([one.result, two.result]);
    for (const [run, events] of [[one, oneEvents], [two, twoEvents]] as const) {
      const left = events.filter((e) => e.type === 'model-disabled');
      assert.ok(left.length >= 1, `${run.id} heard the model leave`);
      assert.ok(left.every((e) => e.runId === run.id && e.type === 'model-disabled' && e.code === 'access-denied'));
    }
    assert.deepEqual([r1.files[0]?.code, r2.files[0]?.code], ['access-denied', 'access-denied']);
    engine.dispose();
  });
});
