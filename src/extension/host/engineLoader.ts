/**
 * The one place the extension makes its engine. It runs in a worker thread (src/extension/worker,
 * bundled as dist/engineWorker.js) behind a proxy with the same `Engine` interface, so discovery,
 * redaction, scoring, planning and the calls never stall the extension host's event loop
 * (bench/host). The engine is loaded on first use, not at activation (esbuild keeps these dynamic
 * imports lazy), so activate() only registers listeners and commands.
 *
 * On the host thread instead: the offline emulator's in-process provider (`providerFor`, a function
 * over the emulator's own key pair, which cannot cross to a worker), an injected clock or scorer, a
 * build without the worker bundle, and CHORUS_ENGINE_THREAD=host (a way back if the worker misbehaves).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SHARE_ENV, Worker } from 'node:worker_threads';
import type { Engine, EngineOptions } from '../../core/engine/api';

export async function loadEngine(options: EngineOptions): Promise<Engine> {
  const script = workerScript();
  if (script && !options.providerFor && !options.clock && !options.scorer && process.env.CHORUS_ENGINE_THREAD !== 'host') {
    return loadRemoteEngine(options, script);
  }
  const [{ createEngine }, { withAccountQuotas }] = await Promise.all([import('../../core/engine/index'), import('../../core/quotas/resolve')]);
  // Models whose settings leave tokensPerMinute out take the account's applied quota (read once per
  // destination, src/core/quotas); not for the offline emulator's in-process provider (no account).
  if (options.providerFor) return createEngine(options);
  const config = await withAccountQuotas(options.config, { warn: (m) => options.logger?.warn(m) });
  return createEngine({ ...options, config });
}

async function loadRemoteEngine(options: EngineOptions, script: string): Promise<Engine> {
  const { RemoteEngine } = await import('../../core/engine/remoteEngine');
  const { logger, clock: _clock, providerFor: _providerFor, scorer: _scorer, ...wire } = options;
  const engine = new RemoteEngine({
    options: { ...wire, accountQuotas: true },
    // SHARE_ENV: the worker sees the host's environment as it is now (credentials set after start).
    spawn: () => new Worker(script, { env: SHARE_ENV }),
    ...(logger ? { logger } : {}),
  });
  try {
    await engine.ready();
    logger?.debug('engine: running in its worker thread (dist/engineWorker.js)');
  } catch (err) {
    engine.dispose();
    throw err;
  }
  return engine;
}

/** dist/engineWorker.js beside the extension bundle; undefined when running unbundled. */
function workerScript(): string | undefined {
  const file = join(__dirname, 'engineWorker.js');
  return existsSync(file) ? file : undefined;
}

export async function loadConfigParser(): Promise<typeof import('../../core/config/parse').parseConfig> {
  const { parseConfig } = await import('../../core/config/parse');
  return parseConfig;
}
