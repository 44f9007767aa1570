/**
 * What every strategy in the benchmark is given and what it hands back. A strategy only decides how
 * batches are formed, routed and retried: every request goes through the same ModelProvider (the real
 * AWS SDK client) to the same kind of emulator, so the comparison is about policy alone.
 */
import type { Clock } from '../../src/core/clock';
import type { ModelConfig } from '../../src/core/config/types';
import type { ModelProvider } from '../../src/core/providers/provider';
import type { Dispatcher } from '../../src/core/schedule';
import type { Group, SourceFile } from '../../src/core/types';

export interface StrategyEnv {
  clock: Clock;
  providerFor: (modelId: string) => ModelProvider;
  /** The models as the strategy is configured (their quotas may be wrong on purpose). */
  models: ModelConfig[];
  groups: Group[];
  files: ReadonlyMap<string, SourceFile>;
  /** Seeded randomness (jitter, weighted picks), so a run can be repeated. */
  random: () => number;
  /**
   * Whether saves arrive (the extension, with an interactive source) or not (the CLI): Chorus keeps its
   * interactive reserve only in the first case, as the hosts do.
   */
  interactive: boolean;
  /** Diagnostics: strategies that have routing events (spillover, fallback…) report them here. */
  trace?: (event: string) => void;
  /** Diagnostics: Chorus strategies hand over their dispatcher when they open (timelines sample it). */
  onDispatcher?: (dispatcher: Dispatcher) => void;
}

/** How one unit of work (a batch of the burst, or a save) left the strategy. */
export interface WorkOutcome {
  id: string;
  /** `lost`: the strategy gave up on it (the error surfaced to the caller). */
  status: 'ok' | 'lost';
  /** The model that answered (ok) or was tried last (lost). */
  model?: string;
  files: number;
  /** Model calls made for it, throttled ones included. */
  attempts: number;
  reason?: string;
}

export interface StrategySession {
  /** Runs the whole burst; resolves once every batch is ok or lost. */
  burst(): Promise<WorkOutcome[]>;
  /** Analyzes one saved file (interactive, while the burst may be running). */
  save(file: SourceFile, id: string): Promise<WorkOutcome>;
  dispose(): void;
}

export interface Strategy {
  /** Stable key in results JSON, e.g. `chorus`. */
  key: string;
  label: string;
  /** How many models it can use; the original is defined for exactly two. */
  supports(models: readonly ModelConfig[]): boolean;
  open(env: StrategyEnv): StrategySession;
}
