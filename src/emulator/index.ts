/**
 * A Bedrock Runtime emulator the real AWS SDK talks to: Converse and ConverseStream over HTTP/1.1
 * and cleartext HTTP/2 on one port, Bedrock's quota accounting on an injectable clock, seeded
 * faults, and findings from deterministic rules. See docs/emulator.md.
 */
import { ScaledClock, type Clock } from '../core/clock';
import type { EmulatorConfig, EmulatorFault } from './config';
import type { EmulatorRequestRecord, EmulatorStats } from './ledger';
import { route } from './router';
import { EmulatorState } from './state';
import { createDualServer } from './transport';
import { validateEmulatorConfig, validateFaults } from './validate';

export { defaultEmulatorConfig, MODEL_FAMILIES, FAULT_KINDS, resolveModel } from './config';
export type { EmulatorConfig, EmulatorFault, EmulatorModelConfig, FaultKind, ToolChoiceKind, ResolvedModel } from './config';
export type { EmulatorRequestRecord, EmulatorStats, ModelStats } from './ledger';
export { validateEmulatorConfig } from './validate';
export { THROTTLE_MESSAGE, TOO_MANY_CONNECTIONS_MESSAGE, TOO_MANY_TOKENS_PER_DAY_MESSAGE } from './errors';

export interface RunningEmulator {
  /** `http://HOST:PORT`, ready to use as the SDK's `endpoint`. */
  url: string;
  port: number;
  clock: Clock;
  stats(): EmulatorStats;
  /** Every request so far; `includeBodies` adds `system`, `prompt` (user text) and the raw `body`. */
  requests(options?: { includeBodies?: boolean; since?: number }): EmulatorRequestRecord[];
  setFaults(faults: EmulatorFault[]): void;
  /** Stops listening and ends every connection, hung requests included. */
  close(): Promise<void>;
}

export interface StartEmulatorOptions {
  config: EmulatorConfig;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** The emulator's clock; default a ScaledClock of `timeScale`. */
  clock?: Clock;
  /** Emulated ms per real ms (60: one emulated minute per real second). Ignored when `clock` is given. */
  timeScale?: number;
}

export async function startEmulator(options: StartEmulatorOptions): Promise<RunningEmulator> {
  const config = validateEmulatorConfig(options.config);
  const clock = options.clock ?? new ScaledClock(options.timeScale ?? 1);
  const state = new EmulatorState(config, clock);
  const host = options.host ?? '127.0.0.1';
  const server = createDualServer((ex) => {
    route(state, ex).catch(() => {
      // A handler bug (or a client gone mid-answer) must not take the server down: answer 500 if
      // we still can, else drop the connection.
      try {
        if (ex.closed) return;
        ex.respond(500, { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalServerException' });
        ex.end(JSON.stringify({ message: 'Emulator error' }));
      } catch {
        ex.destroy();
      }
    });
  });
  const port = await server.listen(options.port ?? 0, host);
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    clock,
    stats: () => state.stats(),
    requests: (o) => state.ledger.list(o),
    setFaults: (faults) => state.faults.set(validateFaults(faults)),
    close: () => {
      closed ??= (async () => {
        state.shutdown.abort();
        await server.close();
      })();
      return closed;
    },
  };
}
