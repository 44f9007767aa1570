/**
 * The engine as a proxy: the same `Engine` the hosts use, with the real one in a worker thread
 * (remoteServer.ts), so discovery, redaction, scoring, planning and the calls never take the host's
 * event loop (the extension host's: bench/host measured stalls of 0.3–0.4 s on it).
 *
 * Run ids are the proxy's own, known at `start` like the engine's, and the worker's are mapped onto
 * them: a worker started after a crash counts from run1 again, and a host must never see one id twice.
 * A worker that dies fails every call in flight with an EngineWorkerError that says so (nothing
 * hangs); the next call starts a new worker. `dispose()` ends the worker.
 */
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import type { RunSnapshot } from '../metrics/types';
import type { ChangeReviewRequest, ChangeReviewResult } from '../changes/review';
import type { FileOutcome } from '../types';
import type { AnalyzeRequest, AnalyzeResult, ConnectionReport, Engine, Estimate, Run } from './api';
import { runEvents, type EngineEvent, type EngineListener } from './events';
import { fromWireError, toWireError, type HostMessage, type WireEngineOptions, type WorkerMessage } from './remoteProtocol';
import { runSnapshot } from './summary';

/** What the proxy needs of a worker_threads Worker (tests pass a MessageChannel pair). */
export interface EngineThread {
  postMessage(message: HostMessage): void;
  on(event: 'message', listener: (message: WorkerMessage) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  terminate(): unknown;
  ref(): void;
  unref(): void;
}

/** The worker stopped while calls were in flight (a crash, an out-of-memory, a terminate). */
export class EngineWorkerError extends Error {
  readonly code = 'ENGINE_WORKER_EXITED';
  constructor(message: string) {
    super(message);
    this.name = 'EngineWorkerError';
  }
}

export interface RemoteEngineOptions {
  options: WireEngineOptions;
  spawn: () => EngineThread;
  logger?: Logger;
  /** How long a disposed worker may take to close its engine before it is terminated. */
  disposeGraceMs?: number;
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  /** For `start`: the host's id of the run. */
  runId?: string;
}

interface Live {
  thread: EngineThread;
  ready: Promise<void>;
  calls: Map<number, Pending>;
  /** The worker's run ids → the proxy's. */
  ids: Map<string, string>;
  /** Each started run's outcomes as their file-done events brought them, by path (first wins, as in the run's ledger). */
  outcomes: Map<string, Map<string, FileOutcome>>;
  /** Why it died, when the worker reported an uncaught error before its exit. */
  cause?: Error;
  /** It said why it ends (init-failed): its exit is expected, not a crash to report. */
  ended?: boolean;
}

const DISPOSED = 'This Chorus engine was disposed.';
/** Longest stretch the proxy hands the worker's messages to listeners before letting the event loop turn. */
const SLICE_MS = 8;

export class RemoteEngine implements Engine {
  private readonly listeners = new Set<EngineListener>();
  /** Each started run's own listeners, by the proxy's run id, until its result arrives. */
  private readonly runs = new Map<string, Set<EngineListener>>();
  private readonly logger: Logger;
  private live: Live | undefined;
  private lastSnapshot: RunSnapshot;
  private nextCall = 0;
  private nextRun = 0;
  private disposed = false;
  private snapshotAsked = false;

  constructor(private readonly o: RemoteEngineOptions) {
    this.logger = o.logger ?? silentLogger;
    this.lastSnapshot = runSnapshot(Date.now(), 0, 0, [], []);
  }

  /** Resolves once a worker has made its engine (rejects with why it could not). */
  ready(): Promise<void> {
    this.assertLive();
    return this.thread().ready;
  }

  start(request: AnalyzeRequest): Run {
    this.assertLive();
    const id = `run${++this.nextRun}`;
    const own = new Set<EngineListener>();
    this.runs.set(id, own);
    const { signal, ...wire } = request;
    const { call, result } = this.request<AnalyzeResult>((c) => ({ kind: 'start', call: c, request: wire }), id, signal);
    return {
      id,
      events: runEvents(own),
      result: result.then((r) => ({ ...r, runId: id })).finally(() => this.runs.delete(id)),
      cancel: (reason) => this.abort(call, new Error(reason ?? 'cancelled')),
    };
  }

  analyze(request: AnalyzeRequest): Promise<AnalyzeResult> {
    return this.start(request).result;
  }

  async reviewChanges(request: ChangeReviewRequest): Promise<ChangeReviewResult> {
    this.assertLive();
    const { signal, ...wire } = request;
    const live = this.thread();
    const value = await this.request<ChangeReviewResult>((c) => ({ kind: 'review', call: c, request: wire }), undefined, signal).result;
    return { ...value, runId: this.hostRunId(live, value.runId) };
  }

  estimate(request: AnalyzeRequest): Promise<Estimate> {
    this.assertLive();
    const { signal, ...wire } = request;
    return this.request<Estimate>((c) => ({ kind: 'estimate', call: c, request: wire }), undefined, signal).result;
  }

  testConnection(signal?: AbortSignal): Promise<ConnectionReport[]> {
    this.assertLive();
    return this.request<ConnectionReport[]>((c) => ({ kind: 'test-connection', call: c }), undefined, signal).result;
  }

  clearCache(): Promise<void> {
    this.assertLive();
    return this.request<void>((c) => ({ kind: 'clear-cache', call: c })).result;
  }

  onEvent(listener: EngineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The worker's latest snapshot (sent with every answer, a model leaving, a run's end); asks for a fresher one. */
  snapshot(): RunSnapshot {
    if (this.live && !this.disposed && !this.snapshotAsked) {
      this.snapshotAsked = true;
      this.live.thread.postMessage({ kind: 'snapshot' });
    }
    return this.lastSnapshot;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.listeners.clear();
    const live = this.live;
    if (!live) return;
    live.thread.postMessage({ kind: 'dispose' });
    // The engine closes its ledger and scorer in the worker; a worker that hangs is ended anyway.
    setTimeout(() => void live.thread.terminate(), this.o.disposeGraceMs ?? 2_000).unref();
    this.fail(live, new Error(DISPOSED));
  }

  private assertLive(): void {
    if (this.disposed) throw new Error(DISPOSED);
  }

  /** Sends one request; its answer settles `result`. An abort of `signal` becomes an `abort` message. */
  private request<T>(message: (call: number) => HostMessage, runId?: string, signal?: AbortSignal): { call: number; result: Promise<T> } {
    const live = this.thread();
    const call = ++this.nextCall;
    const result = new Promise<T>((resolve, reject) => {
      live.calls.set(call, { resolve: resolve, reject, ...(runId ? { runId } : {}) });
    });
    live.thread.ref();
    live.thread.postMessage(message(call));
    if (signal) {
      const onAbort = () => this.abort(call, signal.reason);
      if (signal.aborted) onAbort();
      else {
        signal.addEventListener('abort', onAbort, { once: true });
        void result.catch(() => undefined).finally(() => signal.removeEventListener('abort', onAbort));
      }
    }
    return { call, result };
  }

  private abort(call: number, reason: unknown): void {
    const live = this.live;
    const error = reason instanceof Error ? reason : new Error(typeof reason === 'string' ? reason : 'cancelled');
    if (live?.calls.has(call)) live.thread.postMessage({ kind: 'abort', call, reason: toWireError(error) });
  }

  /** The live worker, or a new one (after a crash, or on first use). */
  private thread(): Live {
    if (this.live) return this.live;
    const thread = this.o.spawn();
    let readyResolve!: () => void;
    let readyReject!: (err: Error) => void;
    const ready = new Promise<void>((resolve, reject) => {
      readyResolve = resolve;
      readyReject = reject;
    });
    void ready.catch(() => undefined); // a caller that never asked must not see an unhandled rejection
    const live: Live = { thread, ready, calls: new Map(), ids: new Map(), outcomes: new Map() };
    this.live = live;
    // Node hands over every queued message in one task: after the host was busy (VS Code's own work,
    // a GC), hundreds of file-done events would run their listeners (diagnostics) back to back.
    // They are queued here and handled in slices of SLICE_MS, so the event loop turns in between.
    const inbox: WorkerMessage[] = [];
    let scheduled = false;
    const handle = (message: WorkerMessage) => this.onMessage(live, message, readyResolve, readyReject);
    const drain = () => {
      const until = performance.now() + SLICE_MS;
      let n = 0;
      while (n < inbox.length && (n === 0 || performance.now() < until)) handle(inbox[n++]!);
      inbox.splice(0, n);
      scheduled = inbox.length > 0;
      if (scheduled) setImmediate(drain);
    };
    thread.on('message', (message) => {
      inbox.push(message);
      if (!scheduled) {
        scheduled = true;
        setImmediate(drain);
      }
    });
    thread.on('error', (err) => (live.cause = err));
    thread.on('exit', (code) => {
      // What the worker said before it ended is heard first (a result must not turn into a crash).
      for (const message of inbox.splice(0)) handle(message);
      const why = live.cause ? `it failed: ${live.cause.message}` : `exit code ${code}`;
      const err = this.disposed ? new Error(DISPOSED) : new EngineWorkerError(`The Chorus engine's worker thread stopped (${why}); what it was doing failed. The next run starts a new one.`);
      readyReject(err);
      this.fail(live, err);
      if (!this.disposed && !live.ended) this.logger.error(err.message);
    });
    thread.postMessage({ kind: 'init', options: this.o.options });
    return live;
  }

  /** Fails every call in flight on `live` and forgets the worker: the next request starts another. */
  private fail(live: Live, err: Error): void {
    if (this.live === live) this.live = undefined;
    const calls = [...live.calls.values()];
    live.calls.clear();
    live.thread.unref();
    for (const pending of calls) pending.reject(err);
  }

  private onMessage(live: Live, message: WorkerMessage, readyResolve: () => void, readyReject: (err: Error) => void): void {
    switch (message.kind) {
      case 'ready':
        this.lastSnapshot = message.snapshot;
        return readyResolve();
      case 'init-failed': {
        const err = fromWireError(message.error);
        live.ended = true;
        readyReject(err);
        this.fail(live, err);
        void live.thread.terminate();
        return;
      }
      case 'log':
        return this.logger[message.level](message.message);
      case 'snapshot':
        this.snapshotAsked = false;
        this.lastSnapshot = message.snapshot;
        return;
      case 'started': {
        const runId = live.calls.get(message.call)?.runId;
        if (runId) {
          live.ids.set(message.runId, runId);
          live.outcomes.set(runId, new Map());
        }
        return;
      }
      case 'event':
        return this.onEngineEvent(live, message.scope, message.event);
      case 'result': {
        const pending = live.calls.get(message.call);
        if (!pending) return;
        live.calls.delete(message.call);
        if (live.calls.size === 0) live.thread.unref();
        const outcomes = pending.runId ? live.outcomes.get(pending.runId) : undefined;
        if (pending.runId) live.outcomes.delete(pending.runId);
        if (!message.ok) return pending.reject(fromWireError(message.error));
        if (message.filesFromEvents && outcomes) {
          const files = [...outcomes.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
          return pending.resolve({ ...(message.value as AnalyzeResult), files });
        }
        return pending.resolve(message.value);
      }
    }
  }

  private onEngineEvent(live: Live, scope: 'engine' | 'run', raw: EngineEvent): void {
    const event = { ...raw, runId: this.hostRunId(live, raw.runId) };
    if (event.type === 'file-done') {
      const kept = live.outcomes.get(event.runId);
      if (kept && !kept.has(event.outcome.path)) kept.set(event.outcome.path, event.outcome);
    }
    const own = this.runs.get(event.runId);
    if (scope === 'engine') {
      this.notify(this.listeners, event);
      // A model leaving reaches each run's own listeners as its own `run` copy.
      if (own && event.type !== 'model-disabled') this.notify(own, event);
    } else if (own) this.notify(own, event);
  }

  /** The proxy's id for a worker run id; a run the proxy did not start (a change review) gets a new one. */
  private hostRunId(live: Live, workerId: string): string {
    if (!workerId) return workerId;
    let id = live.ids.get(workerId);
    if (!id) {
      id = `run${++this.nextRun}`;
      live.ids.set(workerId, id);
    }
    return id;
  }

  private notify(listeners: Iterable<EngineListener>, event: EngineEvent): void {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (err) {
        this.logger.error(`engine listener failed on ${event.type}: ${String(err)}`);
      }
    }
  }
}
