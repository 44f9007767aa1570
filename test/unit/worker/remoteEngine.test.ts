/**
 * The engine proxy's protocol on a real MessageChannel (every message is a structured clone, as
 * between threads) with a scripted engine on the far side: each message kind round-trips, run ids
 * are the proxy's, errors keep their class and code, a cancel reaches the run, a crash fails what is
 * in flight and the next call starts a new worker.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { ChorusConfig } from '../../../src/core/config/types';
import { defaultConfig } from '../../../src/core/config';
import type { AnalyzeRequest, AnalyzeResult, ConnectionReport, Engine, Estimate, Run } from '../../../src/core/engine/api';
import type { ChangeReviewRequest, ChangeReviewResult } from '../../../src/core/changes/review';
import { CredentialsError } from '../../../src/core/engine/credentials';
import type { EngineEvent, EngineListener } from '../../../src/core/engine/events';
import { EngineWorkerError, RemoteEngine, type EngineThread } from '../../../src/core/engine/remoteEngine';
import { fromWireError, RemoteError, toWireError, type HostMessage, type WorkerMessage } from '../../../src/core/engine/remoteProtocol';
import { serveEngine } from '../../../src/core/engine/remoteServer';
import { runSnapshot } from '../../../src/core/engine/summary';
import type { Logger } from '../../../src/core/logger';
import { MemoryLogger } from '../../../src/core/logger';
import { ProviderError } from '../../../src/core/providers/provider';
import { problemOfError } from '../../../src/extension/notify/problems';

/** A run the test drives by hand: emit events, settle the result, see the signal. */
interface ScriptedRun {
  id: string;
  request: AnalyzeRequest;
  emit(event: EngineEvent): void;
  finish(result?: Partial<AnalyzeResult>): void;
  fail(err: Error): void;
}

class ScriptedEngine implements Engine {
  readonly runs: ScriptedRun[] = [];
  readonly listeners = new Set<EngineListener>();
  private readonly own = new Map<string, Set<EngineListener>>();
  disposed = false;
  filesDone = 0;
  estimateError: Error | undefined;
  lastSignal: AbortSignal | undefined;
  private n = 0;

  constructor(readonly logger: Logger) {}

  start(request: AnalyzeRequest): Run {
    const id = `run${++this.n}`;
    const own = new Set<EngineListener>();
    this.own.set(id, own);
    let settle!: (r: AnalyzeResult) => void;
    let reject!: (err: Error) => void;
    const result = new Promise<AnalyzeResult>((a, b) => ((settle = a), (reject = b)));
    this.runs.push({
      id,
      request,
      emit: (event) => this.emit(event),
      finish: (r) => settle({ runId: id, files: [], models: [], routing: [], redactions: 0, elapsedMs: 1, cancelled: request.signal?.aborted ?? false, ...r }),
      fail: reject,
    });
    return { id, events: { subscribe: (l) => (own.add(l), () => own.delete(l)) }, result, cancel: () => undefined };
  }
  /** As the real engine: listeners of the engine once; a model leaving reaches every run's own with its id. */
  private emit(event: EngineEvent): void {
    for (const l of this.listeners) l(event);
    if (event.type === 'model-disabled') for (const [id, own] of this.own) for (const l of own) l({ ...event, runId: id });
    else for (const l of this.own.get(event.runId) ?? []) l(event);
  }
  analyze(request: AnalyzeRequest) { return this.start(request).result; }
  /** A change review: its run id is the worker's own (run9), its events carry it. */
  reviewChanges(request: ChangeReviewRequest): Promise<ChangeReviewResult> {
    this.lastSignal = request.signal;
    this.emit({ type: 'run-started', runId: 'run9', files: 1, lane: request.lane });
    this.emit({ type: 'run-finished', runId: 'run9', cancelled: false });
    const changes: ChangeReviewResult['changes'] = { files: 1, regions: 2, regionsSent: 1, regionsCached: 1, changedLines: 3, linesSent: 10 };
    return Promise.resolve({ runId: 'run9', files: [], models: [], routing: [], redactions: 0, elapsedMs: 1, cancelled: false, changes });
  }
  estimate(request: AnalyzeRequest): Promise<Estimate> {
    this.lastSignal = request.signal;
    if (this.estimateError) return Promise.reject(this.estimateError);
    return Promise.resolve({ files: 2, bytes: 10, cachedFiles: 1, inputTokens: 7, costUsd: 0.5, plan: [{ path: 'a.ts', status: 'planned' }] });
  }
  async testConnection(signal?: AbortSignal): Promise<ConnectionReport[]> {
    this.logger.warn('testing the connection');
    await new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve()));
    return [{ model: 'm', ok: false, detail: `aborted: ${(signal?.reason as Error).message}`, code: 'cancelled' }];
  }
  onEvent(l: EngineListener) { this.listeners.add(l); return () => this.listeners.delete(l); }
  snapshot() { return runSnapshot(1, 5, this.filesDone, [], []); }
  async clearCache() {}
  dispose() { this.disposed = true; }
}

/** A "worker" on a MessageChannel: the server runs in this thread; `crash` is what an uncaught error looks like. */
class ChannelThread extends EventEmitter implements EngineThread {
  readonly host: MessagePort;
  readonly sent: HostMessage[] = [];
  readonly received: WorkerMessage[] = [];
  engine: ScriptedEngine | undefined;
  private exited = false;

  constructor(create: (logger: Logger) => Promise<ScriptedEngine>) {
    super();
    const { port1, port2 } = new MessageChannel();
    this.host = port1;
    port1.on('message', (m: WorkerMessage) => {
      this.received.push(m);
      this.emit('message', m);
    });
    serveEngine(port2, async (_options, logger) => (this.engine = await create(logger)), () => this.exit(0));
  }
  postMessage(message: HostMessage) { this.sent.push(message); this.host.postMessage(message); }
  crash(err: Error) { this.emit('error', err); this.exit(1); }
  terminate() { this.exit(1); }
  ref() { this.host.ref(); }
  unref() { this.host.unref(); }
  private exit(code: number) {
    if (this.exited) return;
    this.exited = true;
    this.host.close();
    this.emit('exit', code);
  }
}

const config: ChorusConfig = defaultConfig();
const tick = () => new Promise((resolve) => setTimeout(resolve, 10));
async function until(test: () => boolean, what: string) {
  for (let i = 0; i < 200 && !test(); i++) await tick();
  assert.ok(test(), `timed out waiting for ${what}`);
}

function harness(create: (logger: Logger) => Promise<ScriptedEngine> = (l) => Promise.resolve(new ScriptedEngine(l))) {
  const threads: ChannelThread[] = [];
  const logger = new MemoryLogger();
  const engine = new RemoteEngine({ options: { config, timeScale: 60 }, logger, spawn: () => { const t = new ChannelThread(create); threads.push(t); return t; } });
  return { engine, threads, logger, scripted: () => threads.at(-1)!.engine! };
}

describe('RemoteEngine ↔ remoteServer protocol', () => {
  it('sends init with the plain options, and ready brings the worker engine\'s snapshot', async () => {
    const { engine, threads } = harness();
    await engine.ready();
    assert.deepEqual(threads[0]!.sent[0], { kind: 'init', options: { config, timeScale: 60 } });
    assert.equal(engine.snapshot().filesTotal, 5);
    engine.dispose();
  });

  it('a run: the id is the proxy\'s at once, its events and result carry it, engine listeners hear each event once', async () => {
    const { engine, scripted } = harness();
    await engine.ready();
    const all: EngineEvent[] = [];
    engine.onEvent((e) => all.push(e));
    // Ids the worker never used: a proxy run id is not the worker's (both start at run1 here).
    const first = engine.start({ root: '/w', lane: 'background', contents: new Map([['a.ts', 'x']]) });
    const run = engine.start({ root: '/w', lane: 'interactive', paths: ['a.ts'] });
    assert.deepEqual([first.id, run.id], ['run1', 'run2']);
    const own: EngineEvent[] = [];
    run.events.subscribe((e) => own.push(e));
    await until(() => scripted().runs.length === 2, 'both runs to start in the worker');
    const worker = scripted().runs[1]!;
    assert.deepEqual(worker.request.paths, ['a.ts']);
    assert.equal(scripted().runs[0]!.request.contents?.get('a.ts'), 'x', 'a Map crosses as a Map');
    worker.emit({ type: 'run-started', runId: worker.id, files: 1, lane: 'interactive' });
    worker.emit({ type: 'file-done', runId: worker.id, outcome: { path: 'a.ts', status: 'failed', code: 'timeout', reason: 'slow', findings: [] } });
    worker.emit({ type: 'model-disabled', runId: worker.id, model: 'm', reason: 'denied', code: 'access-denied' });
    worker.emit({ type: 'run-finished', runId: worker.id, cancelled: false });
    scripted().filesDone = 1;
    worker.finish({ files: [{ path: 'a.ts', status: 'failed', code: 'timeout', reason: 'slow', findings: [] }] });
    const result = await run.result;
    assert.equal(result.runId, 'run2');
    assert.equal(result.files[0]!.code, 'timeout');
    assert.deepEqual(own.map((e) => [e.type, e.runId]), [['run-started', 'run2'], ['file-done', 'run2'], ['model-disabled', 'run2'], ['run-finished', 'run2']]);
    assert.deepEqual(all.map((e) => e.type), ['run-started', 'file-done', 'model-disabled', 'run-finished']);
    assert.ok(all.every((e) => e.runId === 'run2'));
    assert.equal(engine.snapshot().filesDone, 1, 'the snapshot sent with the answer is the one the host reads');
    scripted().runs[0]!.finish();
    assert.equal((await first.result).runId, 'run1');
    engine.dispose();
  });

  it('a run\'s outcomes cross once: the result leaves out what file-done brought, and the host rebuilds it sorted by path', async () => {
    const { engine, threads, scripted } = harness();
    const run = engine.start({ root: '/w', lane: 'background' });
    await until(() => scripted()?.runs.length === 1, 'the run');
    const worker = scripted().runs[0]!;
    const b = { path: 'src/b.ts', status: 'analyzed' as const, findings: [{ file: 'src/b.ts', startLine: 2, endLine: 2, severity: 'warning' as const, ruleId: 'r', message: 'm', model: 'x', fingerprint: 'f' }] };
    const a = { path: 'a.ts', status: 'skipped' as const, code: 'too-large' as const, reason: 'big', findings: [] };
    worker.emit({ type: 'file-done', runId: worker.id, outcome: b });
    worker.emit({ type: 'file-done', runId: worker.id, outcome: a });
    worker.finish({ files: [a, b] });
    const result = await run.result;
    assert.deepEqual(result.files, [a, b]);
    const answer = threads[0]!.received.find((m) => m.kind === 'result');
    assert.ok(answer?.kind === 'result' && answer.ok && answer.filesFromEvents === true);
    assert.deepEqual((answer.value as AnalyzeResult).files, [], 'not sent twice');
    // Outcomes the events did not carry (not the engine's ledger objects) are sent in full.
    const other = engine.start({ root: '/w', lane: 'background' });
    await until(() => scripted().runs.length === 2, 'the second run');
    scripted().runs[1]!.finish({ files: [{ ...a }] });
    assert.deepEqual((await other.result).files, [a]);
    engine.dispose();
  });

  it('a burst of messages is handed to listeners in slices: the host\'s event loop turns in between', async () => {
    const { engine, scripted } = harness();
    const run = engine.start({ root: '/w', lane: 'background' });
    await until(() => scripted()?.runs.length === 1, 'the run');
    const worker = scripted().runs[0]!;
    let delivered = 0;
    let beforeTurn: number | undefined;
    run.events.subscribe(() => {
      // A listener that costs 0.1 ms (publishing a diagnostic): 1,000 of them are 100 ms of work.
      const end = performance.now() + 0.1;
      while (performance.now() < end);
      if (delivered++ === 0) setImmediate(() => (beforeTurn = delivered));
    });
    try {
      for (let i = 0; i < 1000; i++) worker.emit({ type: 'file-done', runId: worker.id, outcome: { path: `f${i}.ts`, status: 'analyzed', findings: [] } });
      await until(() => delivered === 1000, 'every event');
      assert.ok(beforeTurn !== undefined && beforeTurn < 1000, `the loop turned after ${beforeTurn} of 1000 events`);
      worker.finish();
      await run.result;
    } finally {
      engine.dispose();
    }
  });

  it('a change review: its events and result share one proxy id, not the worker\'s; snapshot() asks for a fresh one', async () => {
    const { engine, scripted } = harness();
    const run = engine.start({ root: '/w', lane: 'background' });
    const heard: EngineEvent[] = [];
    engine.onEvent((e) => heard.push(e));
    const review = await engine.reviewChanges({ root: '/w', changes: [], lane: 'interactive', contents: new Map() });
    assert.notEqual(review.runId, 'run9');
    assert.notEqual(review.runId, run.id);
    assert.deepEqual(heard.map((e) => [e.type, e.runId]), [['run-started', review.runId], ['run-finished', review.runId]]);
    assert.equal(review.changes.regions, 2);
    scripted().filesDone = 4;
    assert.equal(engine.snapshot().filesDone, 0, 'the cached one, at once');
    await until(() => engine.snapshot().filesDone === 4, 'the fresh snapshot');
    scripted().runs[0]!.finish();
    await run.result;
    engine.dispose();
  });

  it('a model leaving reaches every active run\'s own listeners with its own id', async () => {
    const { engine, scripted } = harness();
    const a = engine.start({ root: '/w', lane: 'background' });
    const b = engine.start({ root: '/w', lane: 'background' });
    const heard: string[] = [];
    a.events.subscribe((e) => heard.push(`a:${e.type}:${e.runId}`));
    b.events.subscribe((e) => heard.push(`b:${e.type}:${e.runId}`));
    await until(() => scripted()?.runs.length === 2, 'two runs');
    scripted().runs[1]!.emit({ type: 'model-disabled', runId: scripted().runs[1]!.id, model: 'm', reason: 'gone' });
    await until(() => heard.length === 2, 'both runs to hear it');
    assert.deepEqual(heard.sort(), [`a:model-disabled:${a.id}`, `b:model-disabled:${b.id}`]);
    engine.dispose();
  });

  it('run.cancel and the request\'s AbortSignal both abort the worker\'s run, with the reason', async () => {
    const { engine, scripted } = harness();
    const run = engine.start({ root: '/w', lane: 'background' });
    const controller = new AbortController();
    engine.start({ root: '/w', lane: 'background', signal: controller.signal });
    await until(() => scripted()?.runs.length === 2, 'two runs');
    run.cancel('user pressed Cancel');
    controller.abort(new Error('superseded'));
    const [one, two] = scripted().runs;
    await until(() => one!.request.signal!.aborted && two!.request.signal!.aborted, 'both signals to abort');
    assert.equal((one!.request.signal!.reason as Error).message, 'user pressed Cancel');
    assert.equal((two!.request.signal!.reason as Error).message, 'superseded');
    one!.finish();
    assert.equal((await run.result).cancelled, true);
    engine.dispose();
  });

  it('estimate, testConnection (aborted by its signal) and clearCache answer; log lines arrive at their level', async () => {
    const { engine, logger, scripted } = harness();
    const estimate = await engine.estimate({ root: '/w', lane: 'background' });
    assert.deepEqual(estimate.plan, [{ path: 'a.ts', status: 'planned' }]);
    assert.ok(scripted().lastSignal instanceof AbortSignal, 'the worker gives the engine its own signal');
    const controller = new AbortController();
    const reports = engine.testConnection(controller.signal);
    await until(() => logger.lines.includes('warn testing the connection'), 'the log line');
    controller.abort(new Error('closed the dialog'));
    assert.deepEqual((await reports)[0], { model: 'm', ok: false, detail: 'aborted: closed the dialog', code: 'cancelled' });
    await engine.clearCache();
    engine.dispose();
  });

  it('errors arrive with their class, name and code: hosts decide on the code, not the text', async () => {
    const { engine, scripted } = harness();
    await engine.ready();
    scripted().estimateError = new CredentialsError('no credentials');
    const credentials = await engine.estimate({ root: '/w', lane: 'background' }).catch((e: unknown) => e);
    assert.ok(credentials instanceof CredentialsError);
    assert.equal(credentials.code, 'credentials-missing');
    assert.equal(problemOfError(credentials), 'credentials');
    scripted().estimateError = Object.assign(new Error('no such file'), { code: 'ENOENT' });
    const fs = await engine.estimate({ root: '/w', lane: 'background' }).catch((e: unknown) => e);
    assert.ok(fs instanceof RemoteError);
    assert.deepEqual([fs.name, fs.code, fs.message], ['Error', 'ENOENT', 'no such file']);
    engine.dispose();
  });

  it('wire errors: a ProviderError keeps kind, code and status; an SDK-style error its status; a non-Error its text', () => {
    const provider = fromWireError(toWireError(new ProviderError('throttled', 'ThrottlingException', 'slow down', 429)));
    assert.ok(provider instanceof ProviderError);
    assert.deepEqual([provider.kind, provider.code, provider.httpStatus, provider.message], ['throttled', 'ThrottlingException', 429, 'slow down']);
    const sdk = Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
    const back = fromWireError(toWireError(sdk)) as RemoteError;
    assert.deepEqual([back.name, back.httpStatus, back.$metadata?.httpStatusCode], ['AccessDeniedException', 403, 403]);
    assert.equal(problemOfError(back), 'access-denied');
    assert.deepEqual(toWireError({ odd: 1 }), { name: 'Error', message: '{"odd":1}' });
  });

  it('a worker that crashes fails the runs in flight with a clear reason, and the next run starts a new worker', async () => {
    const { engine, threads, logger } = harness();
    const run = engine.start({ root: '/w', lane: 'background' });
    const reports = engine.testConnection();
    await until(() => threads[0]!.engine?.runs.length === 1, 'the run to start');
    threads[0]!.crash(new Error('out of memory'));
    const failed = await run.result.catch((e: unknown) => e);
    assert.ok(failed instanceof EngineWorkerError, String(failed));
    assert.match(failed.message, /worker thread stopped \(it failed: out of memory\).*next run starts a new one/);
    assert.ok((await reports.catch((e: unknown) => e)) instanceof EngineWorkerError);
    assert.ok(logger.lines.some((l) => l.startsWith('error ') && l.includes('out of memory')));
    const next = engine.start({ root: '/w', lane: 'background' });
    assert.equal(threads.length, 2, 'a new worker');
    assert.equal(next.id, 'run2', 'ids go on: the host never sees one twice');
    await until(() => threads[1]!.engine?.runs.length === 1, 'the new run');
    threads[1]!.engine!.runs[0]!.finish();
    assert.equal((await next.result).runId, 'run2');
    engine.dispose();
  });

  it('an engine that cannot be made: ready rejects with why, and the next call tries a new worker', async () => {
    let attempts = 0;
    const { engine, threads } = harness((l) =>
      ++attempts === 1 ? Promise.reject(Object.assign(new Error('bad ledger folder'), { code: 'EACCES' })) : Promise.resolve(new ScriptedEngine(l)),
    );
    const err = await engine.ready().catch((e: unknown) => e);
    assert.ok(err instanceof RemoteError);
    assert.deepEqual([err.code, err.message], ['EACCES', 'bad ledger folder']);
    await engine.ready();
    assert.equal(threads.length, 2);
    engine.dispose();
  });

  it('dispose ends the worker: the engine there is disposed, calls in flight fail, later calls throw', async () => {
    const { engine, threads } = harness();
    await engine.ready();
    const run = engine.start({ root: '/w', lane: 'background' });
    engine.dispose();
    assert.match(String(await run.result.catch((e: unknown) => e)), /disposed/);
    await until(() => threads[0]!.engine!.disposed, 'the worker engine to be disposed');
    assert.throws(() => engine.start({ root: '/w', lane: 'background' }), /disposed/);
    assert.equal(threads.at(-1)!.sent.at(-1)!.kind, 'dispose');
  });
});
