/**
 * The engine (and with it the AWS SDK, the scorer's worker pool and the parsers) is loaded on first
 * use, not at activation: esbuild keeps this dynamic import lazy inside the bundle, so activate()
 * only registers listeners and commands.
 */
import type { Engine, EngineOptions } from '../../core/engine/api';

export async function loadEngine(options: EngineOptions): Promise<Engine> {
  const [{ createEngine }, { withAccountQuotas }] = await Promise.all([import('../../core/engine/index'), import('../../core/quotas/resolve')]);
  // Models whose settings leave tokensPerMinute out take the account's applied quota (read once per
  // destination, src/core/quotas); not for the offline emulator's in-process provider (no account).
  if (options.providerFor) return createEngine(options);
  const config = await withAccountQuotas(options.config, { warn: (m) => options.logger?.warn(m) });
  return createEngine({ ...options, config });
}

export async function loadConfigParser(): Promise<typeof import('../../core/config/parse').parseConfig> {
  const { parseConfig } = await import('../../core/config/parse');
  return parseConfig;
}
