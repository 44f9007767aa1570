/**
 * The engine (and with it the AWS SDK, the scorer's worker pool and the parsers) is loaded on first
 * use, not at activation: esbuild keeps this dynamic import lazy inside the bundle, so activate()
 * only registers listeners and commands.
 */
import type { Engine, EngineOptions } from '../../core/engine/api';

export async function loadEngine(options: EngineOptions): Promise<Engine> {
  const { createEngine } = await import('../../core/engine/index');
  return createEngine(options);
}

export async function loadConfigParser(): Promise<typeof import('../../core/config/parse').parseConfig> {
  const { parseConfig } = await import('../../core/config/parse');
  return parseConfig;
}
