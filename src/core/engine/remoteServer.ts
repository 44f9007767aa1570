/**
 * The worker side of the engine proxy: one Engine made from the `init` message, every request
 * answered by call id, the engine's events and log lines forwarded as messages (remoteProtocol.ts).
 * A request that fails answers with its error; only an uncaught error ends the worker (the host
 * then fails what was in flight and starts a new one on the next request). `exit` ends the thread
 * after `dispose`.
 */
import type { Logger } from '../logger';
import type { Engine } from './api';
import type { EngineEvent } from './events';
import { fromWireError, toWireError, type HostMessage, type LogLevel, type WireEngineOptions, type WorkerMessage } from './remoteProtocol';

export interface ServerPort {
  postMessage(message: WorkerMessage): void;
  on(event: 'message', listener: (message: HostMessage) => void): unknown;
}

export type EngineFactory = (options: WireEngineOptions, logger: Logger) => Promise<Engine>;

/** Returns the logger whose lines go to the host (for the entry's own messages). */
export function serveEngine(port: ServerPort, create: EngineFactory, exit: () => void): Logger {
  const post = (message: WorkerMessage) => port.postMessage(message);
  const line = (level: LogLevel) => (message: string) => post({ kind: 'log', level, message });
  const logger: Logger = { trace: line('trace'), debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
  let engine: Promise<Engine> | undefined;
  const made = () => engine ?? Promise.reject(new Error('the engine worker got a request before its init message'));
  /** The outcomes that crossed in file-done events: a run's result need not send them again. */
  const posted = new WeakSet<object>();
  /** What an `abort` stops, by call id: a run's cancel, or a request's AbortController. */
  const aborts = new Map<number, (reason: Error) => void>();

  const answer = async (call: number, work: (engine: Engine, signal: AbortSignal) => Promise<unknown>) => {
    const controller = new AbortController();
    aborts.set(call, (reason) => controller.abort(reason));
    let message: WorkerMessage;
    try {
      const live = await made();
      message = { kind: 'result', call, ok: true, value: await work(live, controller.signal) };
      // The snapshot first: a host that reads engine.snapshot() after the answer sees this state.
      post({ kind: 'snapshot', snapshot: live.snapshot() });
    } catch (err) {
      message = { kind: 'result', call, ok: false, error: toWireError(err) };
    } finally {
      aborts.delete(call);
    }
    post(message);
  };

  const start = async (call: number, request: Extract<HostMessage, { kind: 'start' }>['request']) => {
    let live: Engine;
    try {
      live = await made();
    } catch (err) {
      return post({ kind: 'result', call, ok: false, error: toWireError(err) });
    }
    const controller = new AbortController();
    const run = live.start({ ...request, signal: controller.signal });
    aborts.set(call, (reason) => controller.abort(reason));
    // Before any event of the run: its first work is on a later tick (engine.start's contract).
    post({ kind: 'started', call, runId: run.id });
    // Only the copies the engine stream does not carry: a model leaving, with this run's id.
    const unsubscribe = run.events.subscribe((event) => {
      if (event.type === 'model-disabled') post({ kind: 'event', scope: 'run', event });
    });
    try {
      const value = await run.result;
      post({ kind: 'snapshot', snapshot: live.snapshot() });
      // The engine's result holds the very outcomes its file-done events carried (RunLedger).
      if (value.files.every((f) => posted.has(f))) post({ kind: 'result', call, ok: true, value: { ...value, files: [] }, filesFromEvents: true });
      else post({ kind: 'result', call, ok: true, value });
    } catch (err) {
      post({ kind: 'result', call, ok: false, error: toWireError(err) });
    } finally {
      unsubscribe();
      aborts.delete(call);
    }
  };

  port.on('message', (message: HostMessage) => {
    switch (message.kind) {
      case 'init':
        engine ??= create(message.options, logger).then((made) => {
          made.onEvent((event: EngineEvent) => {
            if (event.type === 'file-done') posted.add(event.outcome);
            post({ kind: 'event', scope: 'engine', event });
            // A model that left changes what the host's engine.snapshot() must say at once.
            if (event.type === 'model-disabled' || event.type === 'run-finished') post({ kind: 'snapshot', snapshot: made.snapshot() });
          });
          post({ kind: 'ready', snapshot: made.snapshot() });
          return made;
        });
        // The host ends this worker when it reads why (an exit here could overtake the message).
        engine.catch((err: unknown) => post({ kind: 'init-failed', error: toWireError(err) }));
        return;
      case 'start':
        return void start(message.call, message.request);
      case 'estimate':
        return void answer(message.call, (e, signal) => e.estimate({ ...message.request, signal }));
      case 'review':
        return void answer(message.call, (e, signal) => e.reviewChanges({ ...message.request, signal }));
      case 'test-connection':
        return void answer(message.call, (e, signal) => e.testConnection(signal));
      case 'clear-cache':
        return void answer(message.call, (e) => e.clearCache());
      case 'snapshot':
        return void engine?.then((e) => post({ kind: 'snapshot', snapshot: e.snapshot() }), () => undefined);
      case 'abort':
        return aborts.get(message.call)?.(message.reason ? fromWireError(message.reason) : new Error('cancelled'));
      case 'dispose':
        // Whatever is in flight ends with the engine; the host terminates the thread if this hangs.
        void (engine ?? Promise.reject(new Error('no engine'))).then((e) => e.dispose(), () => undefined).finally(exit);
        return;
    }
  });
  return logger;
}
