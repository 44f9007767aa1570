/**
 * The messages between the engine proxy on the host thread (remoteEngine.ts) and the engine in its
 * worker thread (remoteServer.ts). Everything here is plain data: what crosses a worker boundary is
 * a structured clone, so functions (logger, clock, providers) and AbortSignals stay on their side
 * and are replaced by messages (log lines, a time scale, an abort by call id).
 *
 * Errors cross as `WireError` (name, message, code, kind, status) and are rebuilt on the host with
 * the same fields, so hosts keep switching on `code` (src/core/outcome.ts), never on the wording.
 */
import type { ChorusConfig } from '../config/types';
import type { RunSnapshot } from '../metrics/types';
import type { ChangeReviewRequest } from '../changes/review';
import { ProviderError, type ErrorKind } from '../providers/provider';
import type { AnalyzeRequest, EngineOptions } from './api';
import { CredentialsError } from './credentials';
import type { EngineEvent } from './events';

/** What of EngineOptions can cross: no functions. The worker makes its own clock from `timeScale`. */
export type WireEngineOptions = Omit<EngineOptions, 'clock' | 'logger' | 'providerFor' | 'scorer'> & {
  config: ChorusConfig;
  /** Emulated ms per real ms (ScaledClock); omitted = the system clock. */
  timeScale?: number;
  /** Read the account's applied quotas for models that leave tokensPerMinute out (src/core/quotas). */
  accountQuotas?: boolean;
};

/** A request without its AbortSignal: cancelling is an `abort` message naming the call. */
export type WireAnalyzeRequest = Omit<AnalyzeRequest, 'signal'>;
export type WireChangeReviewRequest = Omit<ChangeReviewRequest, 'signal'>;

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export type HostMessage =
  | { kind: 'init'; options: WireEngineOptions }
  | { kind: 'start'; call: number; request: WireAnalyzeRequest }
  | { kind: 'estimate'; call: number; request: WireAnalyzeRequest }
  | { kind: 'review'; call: number; request: WireChangeReviewRequest }
  | { kind: 'test-connection'; call: number }
  | { kind: 'clear-cache'; call: number }
  | { kind: 'snapshot' }
  /** Stops what `call` does (a run is cancelled, a request aborted); its answer still comes. */
  | { kind: 'abort'; call: number; reason?: WireError }
  | { kind: 'dispose' };

export type WorkerMessage =
  | { kind: 'ready'; snapshot: RunSnapshot }
  /** The engine could not be made (the worker exits after this). */
  | { kind: 'init-failed'; error: WireError }
  | { kind: 'log'; level: LogLevel; message: string }
  /**
   * `engine`: what `engine.onEvent` hears (every event once); `run`: a copy for one run's own
   * listeners that the engine stream does not give them (a model leaving, with each run's id).
   */
  | { kind: 'event'; scope: 'engine' | 'run'; event: EngineEvent }
  /** `start` was accepted: the worker's id of the run (sent before any of its events). */
  | { kind: 'started'; call: number; runId: string }
  /**
   * `filesFromEvents`: a run's `files` are left out (sent empty) because every one of them already
   * crossed in its file-done event; the host rebuilds them from those (sorted by path, as the run's
   * ledger gives them). So 5,000 outcomes with their findings do not cross twice at a run's end.
   */
  | { kind: 'result'; call: number; ok: true; value: unknown; filesFromEvents?: true }
  | { kind: 'result'; call: number; ok: false; error: WireError }
  | { kind: 'snapshot'; snapshot: RunSnapshot };

export interface WireError {
  name: string;
  message: string;
  code?: string;
  kind?: string;
  httpStatus?: number;
  stack?: string;
}

export function toWireError(err: unknown): WireError {
  if (!(err instanceof Error)) return { name: 'Error', message: typeof err === 'string' ? err : safeJson(err) };
  const fields = err as Error & { code?: unknown; kind?: unknown; httpStatus?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const status = typeof fields.httpStatus === 'number' ? fields.httpStatus : fields.$metadata?.httpStatusCode;
  return {
    name: err.name,
    message: err.message,
    ...(typeof fields.code === 'string' ? { code: fields.code } : {}),
    ...(typeof fields.kind === 'string' ? { kind: fields.kind } : {}),
    ...(typeof status === 'number' ? { httpStatus: status } : {}),
    ...(err.stack ? { stack: err.stack } : {}),
  };
}

/** An error thrown in the worker, with the name, code and status it had there. */
export class RemoteError extends Error {
  readonly code?: string;
  readonly kind?: string;
  readonly httpStatus?: number;
  /** The SDK's status field, which the provider's classifier (providers/classify.ts) reads. */
  readonly $metadata?: { httpStatusCode: number };

  constructor(wire: WireError) {
    super(wire.message);
    this.name = wire.name;
    if (wire.code !== undefined) this.code = wire.code;
    if (wire.kind !== undefined) this.kind = wire.kind;
    if (wire.httpStatus !== undefined) {
      this.httpStatus = wire.httpStatus;
      this.$metadata = { httpStatusCode: wire.httpStatus };
    }
    if (wire.stack) this.stack = wire.stack;
  }
}

/** The host-side error: the engine's own classes where hosts test for them, else a RemoteError. */
export function fromWireError(wire: WireError): Error {
  let err: Error;
  if (wire.name === 'CredentialsError') err = new CredentialsError(wire.message);
  else if (wire.name === 'ProviderError' && wire.kind) err = new ProviderError(wire.kind as ErrorKind, wire.code ?? '', wire.message, wire.httpStatus);
  else return new RemoteError(wire);
  if (wire.stack) err.stack = wire.stack;
  return err;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
