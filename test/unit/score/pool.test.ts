/** The worker pool, with real worker threads: results in order, killed workers, hangs, crashes. */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { DEFAULT_ANALYZE_OPTIONS } from '../../../src/core/score/analyzeFile';
import { AnalysisPool } from '../../../src/core/score/pool/analysisPool';
import { defaultWorkerScript } from '../../../src/core/score/pool/workerScript';

const misbehaving = join(__dirname, 'fixtures', 'misbehavingWorker.ts');

function jsFiles(n: number) {
  return Array.from({ length: n }, (_, i) => {
    const text = `export function f${i}(a) { return a && ${i}; }\n`;
    return { path: `src/f${i}.js`, text, bytes: text.length };
  });
}

describe('score: worker pool', function () {
  this.timeout(60_000);
  let pool: AnalysisPool | undefined;
  afterEach(() => pool?.dispose());

  it('analyses files in real workers and returns results in input order', async () => {
    pool = new AnalysisPool({ size: 2, script: defaultWorkerScript(), analyze: DEFAULT_ANALYZE_OPTIONS, watchdogMs: 30_000, batchFiles: 4 });
    const results = await pool.run(jsFiles(30));
    assert.equal(results.length, 30);
    results.forEach((r, i) => assert.deepEqual(r.functions.map((f) => [f.name, f.cyclomatic]), [[`f${i}`, 2]]));
  });

  it('survives a worker killed mid-job: its pending files go to a fresh worker', async () => {
    pool = new AnalysisPool({ size: 1, script: defaultWorkerScript(), analyze: DEFAULT_ANALYZE_OPTIONS, watchdogMs: 30_000, batchFiles: 50 });
    const killed: unknown[] = [];
    const p = pool;
    const results = await p.run(jsFiles(200), undefined, (done) => {
      if (done === 10) {
        const [worker] = p.liveWorkers();
        killed.push(worker);
        void worker?.terminate();
      }
    });
    assert.equal(killed.length, 1);
    assert.ok(killed[0], 'a worker was running');
    assert.notEqual(p.liveWorkers()[0], killed[0], 'a fresh worker took over');
    assert.equal(results.length, 200);
    results.forEach((r, i) => {
      assert.equal(r.note, undefined, `file ${i}: ${r.note}`);
      assert.equal(r.functions[0]?.name, `f${i}`);
    });
  });

  it('cuts off a file that hangs: size-only with the reason; the rest are analysed', async () => {
    pool = new AnalysisPool({ size: 1, script: misbehaving, analyze: DEFAULT_ANALYZE_OPTIONS, watchdogMs: 1500 });
    const files = ['a.txt', 'hang.txt', 'b.txt'].map((path) => ({ path, text: 'x\ny', bytes: 3 }));
    const results = await pool.run(files);
    assert.deepEqual(results.map((r) => r.note), [undefined, 'size-only: cut off after 1500 ms (worker stopped)', undefined]);
    assert.deepEqual(results.map((r) => r.loc), [2, 2, 2]);
  });

  it('retries a file whose worker crashed once, then gives it size-only metrics', async () => {
    pool = new AnalysisPool({ size: 2, script: misbehaving, analyze: DEFAULT_ANALYZE_OPTIONS, watchdogMs: 10_000 });
    const files = ['a.txt', 'b.txt', 'crash.txt', 'c.txt'].map((path) => ({ path, text: 'x', bytes: 1 }));
    const results = await pool.run(files);
    assert.equal(results[2]?.note, 'size-only: the score worker crashed on this file twice (score worker exited with code 3)');
    assert.deepEqual([0, 1, 3].map((i) => results[i]?.note), [undefined, undefined, undefined]);
  });

  it('rejects with a clear error when workers cannot start', async () => {
    pool = new AnalysisPool({ size: 1, script: '/nonexistent/scoreWorker.js', analyze: DEFAULT_ANALYZE_OPTIONS, watchdogMs: 10_000 });
    await assert.rejects(pool.run(jsFiles(3)), /score workers cannot start \(\/nonexistent\/scoreWorker\.js\)/);
  });

  it('rejects pending work on dispose, and on abort', async () => {
    pool = new AnalysisPool({ size: 1, script: misbehaving, analyze: DEFAULT_ANALYZE_OPTIONS, watchdogMs: 30_000 });
    const pending = pool.run([{ path: 'hang.txt', text: '', bytes: 0 }]);
    setTimeout(() => pool?.dispose(), 50);
    await assert.rejects(pending, /disposed/);

    pool = new AnalysisPool({ size: 1, script: misbehaving, analyze: DEFAULT_ANALYZE_OPTIONS, watchdogMs: 30_000 });
    const controller = new AbortController();
    const aborted = pool.run([{ path: 'hang.txt', text: '', bytes: 0 }], controller.signal);
    controller.abort(new Error('superseded'));
    await assert.rejects(aborted, /superseded/);
  });

  it('rejects a size below 1 at construction', () => {
    assert.throws(() => new AnalysisPool({ size: 0, script: misbehaving, analyze: DEFAULT_ANALYZE_OPTIONS, watchdogMs: 1 }), TypeError);
  });
});
