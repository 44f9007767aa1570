/**
 * Entry of the engine's worker thread inside the extension host (bundled as dist/engineWorker.js):
 * the engine made from the host's `init` message, served through src/core/engine/remoteServer.ts.
 * No `vscode` here: a worker thread has no extension API, and it needs none (the engine is core).
 */
import { parentPort } from 'node:worker_threads';
import { ScaledClock } from '../../core/clock';
import { createEngine } from '../../core/engine/engine';
import { serveEngine } from '../../core/engine/remoteServer';
import { withAccountQuotas } from '../../core/quotas/resolve';

const port = parentPort;
if (!port) throw new Error('engineWorker must run in a worker thread');

const logger = serveEngine(
  port,
  async ({ timeScale, accountQuotas, ...options }, logger) => {
    // Models whose settings leave tokensPerMinute out take the account's applied quota (src/core/quotas).
    const config = accountQuotas ? await withAccountQuotas(options.config, { warn: (m) => logger.warn(m) }) : options.config;
    return createEngine({ ...options, config, logger, ...(timeScale !== undefined ? { clock: new ScaledClock(timeScale) } : {}) });
  },
  () => process.exit(0),
);

// On the host thread an unhandled rejection is logged and the extension goes on; here it would end
// the thread and every run with it. Same as there: log it (the message only), keep serving.
process.on('unhandledRejection', (reason) => {
  logger.error(`engine worker: unhandled rejection: ${reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)}`);
});
