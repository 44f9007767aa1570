/** Building the engine from flags, shared by `analyze` and `baseline` (one engine per CLI run). */
import { ScaledClock } from '../../core/clock';
import { userCacheDir } from '../../core/cache';
import { loadConfig } from '../../core/config';
import type { ChorusConfig } from '../../core/config/types';
import { createEngine, type Engine } from '../../core/engine';
import { createScorer } from '../../core/score';
import { availableParallelism } from 'node:os';
import { stderrLogger } from '../progress';

/** A usage error: exit 2 with the message. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

export interface EngineFlags {
  config?: string;
  endpoint?: string;
  region?: string;
  profile?: string;
  maxTokens?: string;
  maxCost?: string;
  baseline?: string;
  verbose?: boolean;
  timeScale?: string;
}

function positiveNumber(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new CliError(`${flag} expects a positive number, got "${raw}".`);
  return n;
}

export function applyFlags(config: ChorusConfig, flags: EngineFlags): ChorusConfig {
  const maxTokens = positiveNumber('--max-tokens', flags.maxTokens);
  const maxCost = positiveNumber('--max-cost', flags.maxCost);
  return {
    ...config,
    ...(flags.region ? { region: flags.region } : {}),
    ...(flags.profile ? { profile: flags.profile } : {}),
    ...(flags.endpoint ? { endpoint: flags.endpoint } : {}),
    budget: { ...config.budget, ...(maxTokens !== undefined ? { maxTokens } : {}), ...(maxCost !== undefined ? { maxCost } : {}) },
  };
}

export async function openEngine(root: string, flags: EngineFlags): Promise<{ engine: Engine; config: ChorusConfig }> {
  const config = applyFlags(await loadConfig(root, flags.config), flags);
  const scale = positiveNumber('--time-scale', flags.timeScale ?? process.env.CHORUS_TIME_SCALE);
  const engine = createEngine({
    config,
    logger: stderrLogger(process.stderr, flags.verbose === true),
    cacheDir: userCacheDir(),
    // A CLI run has the machine to itself: score on every core.
    scorer: createScorer({ workers: availableParallelism() }),
    ...(scale !== undefined ? { clock: new ScaledClock(scale) } : {}),
    ...(flags.baseline ? { baselinePath: flags.baseline } : {}),
  });
  return { engine, config };
}
