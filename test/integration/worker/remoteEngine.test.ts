/**
 * The engine in a real worker thread (src/extension/worker/engineWorker.ts, from source through tsx)
 * against the emulator on loopback, with the real AWS SDK client: events arrive with the proxy's run
 * id, the result equals the in-thread engine's on the same workspace, a cancel reaches it, and a
 * worker that dies fails its run with a clear reason while the next run gets a new worker.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SHARE_ENV, Worker } from 'node:worker_threads';
import { ScaledClock } from '../../../src/core/clock';
import { defaultConfig } from '../../../src/core/config';
import type { ChorusConfig } from '../../../src/core/config/types';
import { createEngine } from '../../../src/core/engine';
import type { AnalyzeResult } from '../../../src/core/engine/api';
import type { EngineEvent } from '../../../src/core/engine/events';
import { EngineWorkerError, RemoteEngine } from '../../../src/core/engine/remoteEngine';
import { MemoryLogger } from '../../../src/core/logger';
import { defaultEmulatorConfig, startEmulator, type EmulatorConfig, type RunningEmulator } from '../../../src/emulator';
import { sampleWorkspace, tempDir, writeTree } from '../cli/helpers';

const TIME_SCALE = 60;
const REPO = resolve(__dirname, '..', '..', '..');
const ENTRY = join(REPO, 'src', 'extension', 'worker', 'engineWorker.ts');
const TSX = pathToFileURL(join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/** What must match between the two engines: each file's outcome and findings, not timings or ids. */
function outcomes(result: AnalyzeResult) {
  return result.files
    .map((f) => ({ path: f.path, status: f.status, code: f.code, findings: f.findings.map((x) => `${x.startLine}:${x.ruleId}:${x.fingerprint}`).sort() }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

describe('the engine in a worker thread against the emulator', function () {
  this.timeout(120_000);
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  const dirs: string[] = [];
  let emu: RunningEmulator | undefined;
  const threads: Worker[] = [];

  before(() => {
    // Made up per run: the emulator checks no signature.
    process.env.AWS_ACCESS_KEY_ID = `AKIDWORKER${Date.now()}`;
    process.env.AWS_SECRET_ACCESS_KEY = Math.random().toString(36).slice(2);
  });
  after(async () => {
    for (const [key, value] of [['AWS_ACCESS_KEY_ID', saved.id], ['AWS_SECRET_ACCESS_KEY', saved.secret]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await emu?.close();
    for (const t of threads) void t.terminate();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function setUp(emulatorConfig: EmulatorConfig = defaultEmulatorConfig()): Promise<ChorusConfig> {
    await emu?.close();
    emu = await startEmulator({ config: emulatorConfig, port: 0, timeScale: TIME_SCALE });
    return { ...defaultConfig(), endpoint: emu.url };
  }

  function remote(config: ChorusConfig, extra: { ledgerDir?: string } = {}, logger = new MemoryLogger()) {
    const cacheDir = tempDir('worker-cache');
    dirs.push(cacheDir);
    const spawned: Worker[] = [];
    const engine = new RemoteEngine({
      options: { config, timeScale: TIME_SCALE, cacheDir, ...extra },
      logger,
      spawn: () => {
        const worker = new Worker(ENTRY, { execArgv: ['--import', TSX], env: SHARE_ENV });
        spawned.push(worker);
        threads.push(worker);
        return worker;
      },
    });
    return { engine, spawned, logger };
  }

  it('a run: every event carries the run id, and the result equals the in-thread engine\'s', async () => {
    const config = await setUp();
    const root = sampleWorkspace();
    dirs.push(root);
    const localCache = tempDir('local-cache');
    dirs.push(localCache);
    const local = createEngine({ config, clock: new ScaledClock(TIME_SCALE), cacheDir: localCache });
    const expected = await local.analyze({ root, lane: 'background' }).finally(() => local.dispose());

    const { engine } = remote(config);
    try {
      const heard: EngineEvent[] = [];
      engine.onEvent((e) => heard.push(e));
      const run = engine.start({ root, lane: 'background' });
      const own: EngineEvent[] = [];
      run.events.subscribe((e) => own.push(e));
      const result = await run.result;
      assert.equal(result.runId, run.id);
      assert.deepEqual(outcomes(result), outcomes(expected));
      assert.ok(result.files.some((f) => f.findings.length > 0), 'the sample has findings');
      assert.equal(own[0]?.type, 'run-started');
      assert.equal(own.at(-1)?.type, 'run-finished');
      assert.ok(own.every((e) => e.runId === run.id));
      assert.equal(own.filter((e) => e.type === 'file-done').length, result.files.length, 'every file leaves once');
      // As in the thread: the result holds the very outcomes the events brought (they crossed once).
      const brought = new Set(own.flatMap((e) => (e.type === 'file-done' ? [e.outcome] : [])));
      assert.ok(result.files.every((f) => brought.has(f)));
      assert.deepEqual(heard.map((e) => e.type), own.map((e) => e.type), 'the engine listeners hear the same events');
      assert.ok(engine.snapshot().models.some((m) => m.requests > 0), 'the snapshot is the worker engine\'s');
      // The worker's result cache: a second run is all cached, zero calls.
      const again = await engine.analyze({ root, lane: 'background' });
      assert.ok(again.files.filter((f) => f.status === 'analyzed').every((f) => f.cached));
      assert.notEqual(again.runId, result.runId);
    } finally {
      engine.dispose();
    }
  });

  it('a cancel reaches the worker\'s run: what was not analyzed is skipped as cancelled', async () => {
    const config = await setUp();
    // No answers: the cancel lands while the batches are out.
    emu!.setFaults([{ kind: 'hang' }]);
    const root = sampleWorkspace();
    dirs.push(root);
    const { engine } = remote(config);
    try {
      const run = engine.start({ root, lane: 'background' });
      run.events.subscribe((e) => e.type === 'batch-started' && run.cancel('the user pressed Cancel'));
      const result = await run.result;
      assert.equal(result.cancelled, true);
      const skipped = result.files.filter((f) => f.status === 'skipped' && f.code === 'cancelled');
      assert.ok(skipped.length > 0, JSON.stringify(result.files.map((f) => [f.path, f.status, f.code])));
    } finally {
      engine.dispose();
    }
  });

  it('the machine\'s shared quota ledger is written from the worker: the call\'s reservation is in the folder other processes read', async () => {
    const config = await setUp();
    emu!.setFaults([{ kind: 'hang' }]);
    const root = writeTree(tempDir('ws-ledger'), { 'a.js': 'eval(x);\n' });
    const ledgerDir = tempDir('ledger');
    dirs.push(root, ledgerDir);
    const { engine: shared } = remote(config, { ledgerDir });
    try {
      const run = shared.start({ root, lane: 'background' });
      let out = false;
      run.events.subscribe((e) => e.type === 'batch-started' && (out = true));
      for (let i = 0; i < 300 && !out; i++) await new Promise((r) => setTimeout(r, 20));
      assert.ok(out, 'the batch went out');
      const files = (readdirSync(ledgerDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.json'));
      const booked = files.flatMap((f) => (JSON.parse(readFileSync(join(ledgerDir, f), 'utf8')) as { entries: [number, number][] }).entries);
      assert.ok(booked.some(([, tokens]) => tokens > 0), `a reservation in the ledger: ${JSON.stringify(files)}`);
      run.cancel('done looking');
      assert.equal((await run.result).cancelled, true);
    } finally {
      shared.dispose();
    }
  });

  it('a worker that dies mid-run fails the run with a clear reason; the next run starts a new worker', async () => {
    const config = await setUp();
    emu!.setFaults([{ kind: 'hang' }]);
    const root = writeTree(tempDir('ws-crash'), { 'a.js': 'eval(x);\n', 'b.py': 'def f():\n    pass\n' });
    dirs.push(root);
    const { engine, spawned, logger } = remote(config);
    try {
      const run = engine.start({ root, lane: 'background' });
      run.events.subscribe((e) => e.type === 'batch-started' && void spawned[0]!.terminate());
      const err = await run.result.then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof EngineWorkerError, String(err));
      assert.match(err.message, /worker thread stopped.*next run starts a new one/);
      assert.ok(logger.lines.some((l) => l.startsWith('error ') && l.includes('worker thread stopped')));
      // The next run: a new worker, its own id; the emulator answers again.
      emu!.setFaults([]);
      const next = await engine.analyze({ root, lane: 'background' });
      assert.equal(spawned.length, 2);
      assert.notEqual(next.runId, run.id);
      assert.deepEqual(next.files.map((f) => f.status).sort(), ['analyzed', 'analyzed']);
    } finally {
      engine.dispose();
    }
  });
});
