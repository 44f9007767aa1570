/** The shape of bench/results/latest.json (documented field by field in docs/benchmark.md). */
import type { EmulatorRequestRecord } from '../src/emulator';
import type { RunMetrics } from './measure/metrics';
import type { TransitStats } from './measure/transit';
import type { StrategyEnv } from './strategies/types';
import type { StrategyKey, WorkloadKey } from './workloads';

export interface BenchOptions {
  /** Directory of the codebase, relative to the working directory. */
  codebase: string;
  /** Use only the first N files (tests, quick runs). */
  limit?: number;
  /** Emulated ms per real ms of the shared ScaledClock. */
  timeScale: number;
  /** Saves in the saves workload (and in the unloaded measurement). */
  saves: number;
  /** Emulated ms after the burst's start of the first save, and between saves. */
  saveStartMs: number;
  saveEveryMs: number;
  seed: number;
  scorer: 'real' | 'interim';
  workloads?: WorkloadKey[];
  /** Run only these strategies (development); the default is each workload's full list. */
  strategies?: StrategyKey[];
  /** Called with each run's emulator request log (diagnostics). */
  onRecords?: (run: RunResult, records: EmulatorRequestRecord[]) => void;
  log?: (line: string) => void;
  /** Receives the strategies' routing events (diagnostics). */
  trace?: (event: string) => void;
  /** Receives each Chorus run's dispatcher when it opens (diagnostics: bench/report/timeline.ts samples it). */
  onDispatcher?: StrategyEnv['onDispatcher'];
}

export interface SaveStats {
  count: number;
  lost: number;
  /** Save-to-findings latency of the saves that got findings, emulated ms. */
  p50Ms: number | null;
  p95Ms: number | null;
  latenciesMs: number[];
}

export interface RunResult {
  workload: WorkloadKey;
  strategy: string;
  label: string;
  metrics: RunMetrics;
  saves: SaveStats | null;
  /** Client send → service arrival, emulated ms: the run's fidelity (see measure/transit.ts). */
  transit: TransitStats;
  lost: { id: string; files: number; reason: string }[];
  /** Tokens charged per trailing minute, every 5 emulated seconds. */
  series: { t: number; tpm: number }[];
  /** Achieved tokens/min ÷ that of one model / of the original strategy (burst runs where missing). */
  vsOneModel?: number;
  vsOriginal?: number;
  realMs: number;
}

export interface TargetCheck {
  target: string;
  /** What was measured, in words and numbers. */
  measured: string;
  met: boolean | null;
}

export interface BenchResults {
  generatedAt: string;
  options: Omit<BenchOptions, 'log' | 'scorer' | 'workloads' | 'strategies' | 'onRecords' | 'trace' | 'onDispatcher' | 'limit'> & { limit: number | null };
  codebase: { files: number; bytes: number; groups: number; scorer: 'real' | 'interim'; scorerNote?: string };
  workloads: { key: WorkloadKey; label: string; quotas: Record<string, number>; configured: Record<string, number> }[];
  unloadedSave: SaveStats;
  runs: RunResult[];
  targets: TargetCheck[];
  realMs: number;
}

export type { StrategyKey };
