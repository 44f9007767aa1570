/**
 * The benchmark harness: one codebase, scored once; every workload run through each of its
 * strategies, one run at a time, each against a fresh in-process emulator (fresh quota windows) that
 * shares the harness's one ScaledClock with the strategy, so emulated time agrees on both sides.
 */
import { ScaledClock, type Clock } from '../src/core/clock';
import type { ModelConfig } from '../src/core/config/types';
import { createBedrockProviders } from '../src/core/providers';
import type { SourceFile } from '../src/core/types';
import { startEmulator, type EmulatorConfig, type EmulatorRequestRecord } from '../src/emulator';
import { measureRun, throughputSeries } from './measure/metrics';
import { transitRecorder } from './measure/transit';
import { seededRandom } from '../src/core/random';
import { percentile } from './measure/stats';
import { addRatios, checkTargets } from './report/targets';
import type { BenchOptions, BenchResults, RunResult, SaveStats } from './results';
import { chorusHeadOfLineStrategy, chorusSmallBatchesStrategy, chorusStrategy, chorusUncalibratedStrategy, oneModelStrategy } from './strategies/dispatcher';
import { originalStrategy } from './strategies/original';
import { roundRobinStrategy } from './strategies/roundRobin';
import type { Strategy, StrategyEnv, WorkOutcome } from './strategies/types';
import { loadCodebase } from './workload/codebase';
import { pickSaves } from './workload/saves';
import { scoreCodebase } from './workload/scoring';
import { workloads, type StrategyKey, type Workload } from './workloads';

const STRATEGIES: Record<StrategyKey, Strategy> = {
  'one-model': oneModelStrategy,
  original: originalStrategy,
  'round-robin': roundRobinStrategy,
  chorus: chorusStrategy,
  'chorus-small': chorusSmallBatchesStrategy,
  'chorus-uncalibrated': chorusUncalibratedStrategy,
  'chorus-hol': chorusHeadOfLineStrategy,
};

// The emulator accepts any signature when it is not given a key pair; the SDK still signs with these.
const CREDENTIALS = { accessKeyId: 'AKIDCHORUSBENCH', secretAccessKey: 'chorus-bench-secret' };

function emulatorConfig(models: readonly ModelConfig[], counting: Workload['emulator'] = {}): EmulatorConfig {
  return {
    models: models.map((m) => ({
      id: m.id,
      tokensPerMinute: m.tokensPerMinute,
      ...(m.requestsPerMinute ? { requestsPerMinute: m.requestsPerMinute } : {}),
      ...(counting.tokenRatio ? { tokenRatio: counting.tokenRatio } : {}),
      ...(counting.foreignShare ? { foreignTokensPerMinute: Math.round(m.tokensPerMinute * counting.foreignShare) } : {}),
      ...(counting.maxConcurrency?.[m.id] ? { maxConcurrency: counting.maxConcurrency[m.id] } : {}),
    })),
  };
}

/** Tokens per minute the workload's models leave to us: the true quotas minus another tenant's share. */
function quotaLeft(w: Pick<Workload, 'models' | 'emulator'>): number {
  return w.models.reduce((s, m) => s + m.tokensPerMinute - Math.round(m.tokensPerMinute * (w.emulator?.foreignShare ?? 0)), 0);
}

interface Shared {
  clock: Clock;
  files: Map<string, SourceFile>;
  groups: StrategyEnv['groups'];
  saves: SourceFile[];
  options: BenchOptions;
}

/** Starts an emulator on the shared clock and opens `strategy` against it. */
async function open(shared: Shared, w: Pick<Workload, 'models' | 'configured' | 'emulator' | 'withSaves'>, strategy: Strategy, seed: number) {
  const emulator = await startEmulator({ config: emulatorConfig(w.models, w.emulator), clock: shared.clock });
  const transit = transitRecorder(createBedrockProviders({ region: 'us-east-1', endpoint: emulator.url, clock: shared.clock, credentials: CREDENTIALS }), shared.clock);
  const env: StrategyEnv = { clock: shared.clock, providerFor: transit.providerFor, models: w.configured, groups: shared.groups, files: shared.files, interactive: w.withSaves, random: seededRandom(seed), ...(shared.options.trace ? { trace: shared.options.trace } : {}), ...(shared.options.onDispatcher ? { onDispatcher: shared.options.onDispatcher } : {}) };
  return { emulator, transit, session: strategy.open(env) };
}

async function timed(clock: Clock, work: () => Promise<WorkOutcome>): Promise<{ outcome: WorkOutcome; latencyMs: number }> {
  const start = clock.now();
  const outcome = await work();
  return { outcome, latencyMs: clock.now() - start };
}

function saveStats(results: { outcome: WorkOutcome; latencyMs: number }[]): SaveStats {
  const ok = results.filter((r) => r.outcome.status === 'ok').map((r) => Math.round(r.latencyMs));
  return { count: results.length, lost: results.length - ok.length, p50Ms: percentile(ok, 50) ?? null, p95Ms: percentile(ok, 95) ?? null, latenciesMs: ok };
}

/**
 * The run as the service saw it: from the first request's arrival to the last response. Planning and
 * request preparation run on the CPU in real time, which the scaled clock would multiply; measured
 * at the service, every strategy is timed the same way whatever its client-side work costs.
 */
function serviceSpan(records: readonly EmulatorRequestRecord[], fallback: number): { start: number; end: number } {
  if (records.length === 0) return { start: fallback, end: fallback };
  return { start: Math.min(...records.map((r) => r.time)), end: Math.max(...records.map((r) => r.endTime ?? r.time)) };
}

async function runOne(shared: Shared, w: Workload, strategy: Strategy, seed: number): Promise<RunResult> {
  const { clock, options } = shared;
  const { emulator, transit, session } = await open(shared, w, strategy, seed);
  const realStart = performance.now();
  try {
    const start = clock.now();
    const burst = session.burst();
    const saves = w.withSaves
      ? shared.saves.map(async (file, i) => {
          await clock.sleep(options.saveStartMs + i * options.saveEveryMs);
          return timed(clock, () => session.save(file, `save${i + 1}`));
        })
      : [];
    const [outcomes, saveResults] = await Promise.all([burst, Promise.all(saves)]);
    const records = emulator.requests();
    const window = serviceSpan(records, start);
    const quotaSum = quotaLeft(w);
    const result: RunResult = {
      workload: w.key, strategy: strategy.key, label: strategy.label,
      metrics: measureRun(records, outcomes, window, quotaSum),
      saves: w.withSaves ? saveStats(saveResults) : null,
      transit: transit.stats(records),
      lost: outcomes.filter((o) => o.status === 'lost').map((o) => ({ id: o.id, files: o.files, reason: o.reason ?? '' })),
      series: throughputSeries(records, window.start, window.end),
      realMs: Math.round(performance.now() - realStart),
    };
    options.onRecords?.(result, records);
    return result;
  } finally {
    session.dispose();
    await emulator.close();
  }
}

/** Each save file analyzed alone, one after the other, by Chorus on an idle emulator. */
async function unloadedSaves(shared: Shared, w: Workload): Promise<SaveStats> {
  const { emulator, session } = await open(shared, { ...w, withSaves: true }, chorusStrategy, shared.options.seed);
  try {
    const results = [];
    for (const [i, file] of shared.saves.entries()) results.push(await timed(shared.clock, () => session.save(file, `idle${i + 1}`)));
    return saveStats(results);
  } finally {
    session.dispose();
    await emulator.close();
  }
}

export async function runBenchmark(options: BenchOptions): Promise<BenchResults> {
  const log = options.log ?? (() => {});
  const realStart = performance.now();
  const files = loadCodebase(options.codebase, options.limit === undefined ? {} : { limit: options.limit });
  const scored = await scoreCodebase(files, options.scorer);
  log(`codebase ${options.codebase}: ${files.size} files, ${scored.groups.length} groups (${scored.scorer} scorer${scored.note ? `: ${scored.note}` : ''})`);
  const shared: Shared = { clock: new ScaledClock(options.timeScale), files, groups: scored.groups, saves: pickSaves(files, options.saves), options };
  const selected = workloads().filter((w) => !options.workloads || options.workloads.includes(w.key));

  const pair = workloads()[0]!;
  const unloaded = await unloadedSaves(shared, pair);
  log(`unloaded save latency: p50 ${unloaded.p50Ms} ms, p95 ${unloaded.p95Ms} ms (emulated)`);

  const runs: RunResult[] = [];
  for (const w of selected) {
    for (const key of w.strategies) {
      const strategy = STRATEGIES[key];
      if (!strategy.supports(w.configured) || (options.strategies && !options.strategies.includes(key))) continue;
      const run = await runOne(shared, w, strategy, options.seed);
      runs.push(run);
      const m = run.metrics;
      log(`${w.key} / ${key}: makespan ${(m.makespanMs / 60_000).toFixed(2)} min, ${m.achievedTpm} tok/min, util ${m.utilization}, steady ${m.steadyUtilization}, throttled ${m.throttled}/${m.requests}, lost ${m.lostBatches}/${m.batches} transit p95 ${run.transit.p95Ms} ms (${(run.realMs / 1000).toFixed(1)} s real)`);
    }
  }
  addRatios(runs);
  const bytes = [...files.values()].reduce((s, f) => s + f.bytes, 0);
  return {
    generatedAt: new Date().toISOString(),
    options: { codebase: options.codebase, limit: options.limit ?? null, timeScale: options.timeScale, saves: options.saves, saveStartMs: options.saveStartMs, saveEveryMs: options.saveEveryMs, seed: options.seed },
    codebase: { files: files.size, bytes, groups: scored.groups.length, scorer: scored.scorer, ...(scored.note ? { scorerNote: scored.note } : {}) },
    workloads: selected.map((w) => ({ key: w.key, label: w.label, quotas: Object.fromEntries(w.models.map((m) => [m.id, m.tokensPerMinute])), configured: Object.fromEntries(w.configured.map((m) => [m.id, m.tokensPerMinute])) })),
    unloadedSave: unloaded,
    runs,
    targets: checkTargets(runs, unloaded),
    realMs: Math.round(performance.now() - realStart),
  };
}
