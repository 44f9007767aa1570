/**
 * The engine: one per host lifetime, owning one long-lived dispatcher (so interactive work overtakes
 * a queued workspace run), the result cache and the scorer. Hosts subscribe to its events.
 */
import { ResultCache } from '../cache';
import { systemClock } from '../clock';
import { outputLimitWarning } from '../config/defaults';
import { destinationKey, destinationOf } from '../config/destination';
import { FileQuotaLedger } from '../ledger/fileLedger';
import { RedisQuotaLedger } from '../ledger/redisLedger';
import { readBaseline } from '../findings';
import { silentLogger } from '../logger';
import type { RunSnapshot } from '../metrics/types';
import { planBatches } from '../plan';
import { createBedrockProviders, socketsForModels } from '../providers';
import { DEFAULT_MAX_CONCURRENCY } from '../schedule/options';
import type { ModelProvider } from '../providers/provider';
import { Dispatcher } from '../schedule';
import { createScorer } from '../score';
import type { AnalyzeRequest, AnalyzeResult, ConnectionReport, Engine, EngineOptions, Estimate } from './api';
import { lookup } from './cached';
import { testModels } from './connection';
import { checkCredentials } from './credentials';
import type { EngineEvent, EngineListener } from './events';
import type { EngineScorer } from './interimScorer';
import { prepareFiles } from './prepare';
import { executeRun } from './run';
import { runSnapshot } from './summary';

/**
 * Dispatcher events carry batch ids, which the run prefixes with its id (`run3-b1`); events without
 * one (a model leaving) belong to the latest run.
 */
function runIdOf(batchId: string, fallback: string): string {
  return /^(run\d+)-b/.exec(batchId)?.[1] ?? fallback;
}

class ChorusEngine implements Engine {
  private readonly listeners = new Set<EngineListener>();
  private readonly clock;
  private readonly logger;
  private readonly cache: ResultCache;
  private readonly providerFor: (id: string) => ModelProvider;
  private readonly dispatcher: Dispatcher;
  private readonly scorer: EngineScorer;
  private readonly usesBedrockDefaults: boolean;
  private credentialsChecked = false;
  private lastSnapshot?: RunSnapshot;
  private runs = 0;
  private activeRunId = '';
  private disposed = false;
  private sharedLedger: RedisQuotaLedger | undefined;
  /** Who books our quota and whose answers the cache holds (config/destination.ts). */
  private readonly destination: string;

  constructor(private readonly options: EngineOptions) {
    const { config } = options;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    // A cap above Bedrock's limit is clamped (plan/estimate.ts maxOutputCap); say so once per engine.
    for (const model of config.models) {
      const warning = outputLimitWarning(model);
      if (warning) this.logger.warn(warning);
    }
    this.destination = destinationKey(destinationOf(config));
    this.cache = new ResultCache(options.cacheDir, {
      destination: this.destination,
      onUnavailable: (message) => this.logger.warn(message),
    });
    this.usesBedrockDefaults = !options.providerFor;
    this.providerFor =
      options.providerFor ??
      createBedrockProviders({
        region: config.region,
        clock: this.clock,
        maxSockets: socketsForModels(config.models.map(() => DEFAULT_MAX_CONCURRENCY)),
        ...(config.profile ? { profile: config.profile } : {}),
        ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      });
    this.dispatcher = new Dispatcher({
      models: config.models,
      providerFor: this.providerFor,
      clock: this.clock,
      logger: this.logger,
      spillover: config.spillover,
      interactiveReserve: options.interactive === true,
      ...(config.instructions ? { instructions: config.instructions } : {}),
      ...(this.usesBedrockDefaults ? { destination: config.endpoint ? `the endpoint ${config.endpoint}` : `Bedrock Runtime in ${config.region}` } : {}),
    });
    this.attachLedger();
    this.dispatcher.onEvent((event) => {
      const runId = 'batchId' in event ? runIdOf(event.batchId, this.activeRunId) : this.activeRunId;
      if (event.type === 'batch-started') {
        const { attempt: _attempt, ...rest } = event;
        this.emit({ ...rest, runId });
      } else {
        this.emit({ ...event, runId });
      }
    });
    this.scorer = options.scorer ?? createScorer();
  }

  async analyze(request: AnalyzeRequest): Promise<AnalyzeResult> {
    this.assertLive();
    // The opening burst is what overruns a shared quota: count it in the shared window when it can be.
    await this.sharedLedger?.ready();
    if (this.usesBedrockDefaults && !this.credentialsChecked) {
      await checkCredentials(this.options.config.region, this.options.config.profile);
      this.credentialsChecked = true;
    }
    const runId = `run${++this.runs}`;
    this.activeRunId = runId;
    return executeRun(
      {
        config: this.options.config,
        clock: this.clock,
        logger: this.logger,
        cache: this.cache,
        dispatcher: this.dispatcher,
        scorer: this.scorer,
        baseline: () => (this.options.baselinePath ? readBaseline(this.options.baselinePath) : Promise.resolve(undefined)),
        emit: (event) => this.emit(event),
        onSnapshot: (snapshot) => (this.lastSnapshot = snapshot),
        ...(this.options.maxBatchInputTokens ? { maxBatchInputTokens: this.options.maxBatchInputTokens } : {}),
      },
      runId,
      request,
    );
  }

  async estimate(request: AnalyzeRequest): Promise<Estimate> {
    this.assertLive();
    const { config } = this.options;
    const prepared = await prepareFiles(request, config, this.logger);
    const modelIds = request.forceModel ? [request.forceModel] : config.models.map((m) => m.id);
    const uncached = [];
    for (const file of prepared.sources) {
      if (request.noCache || !(await lookup(this.cache, file, modelIds))) uncached.push(file);
    }
    const { groups } = await this.scorer.score(uncached.map((f) => ({ path: f.path, text: f.text, bytes: f.bytes })), request.signal);
    const ratios = this.dispatcher.tokenRatios();
    const plan = planBatches(groups, new Map(uncached.map((f) => [f.path, f])), config, {
      lane: request.lane,
      tokenRatio: ratios,
      ...(this.options.maxBatchInputTokens ? { maxInputTokens: this.options.maxBatchInputTokens } : {}),
      ...(request.forceModel ? { forceModel: request.forceModel } : {}),
    });
    let inputTokens = 0;
    let costUsd = 0;
    for (const batch of plan.batches) {
      const model = config.models.find((m) => m.id === batch.preferredModel);
      // As the model counts it, once this engine has learned how (calibration.ts).
      const counted = Math.ceil(batch.estInputTokens * (ratios[batch.preferredModel] ?? 1));
      inputTokens += counted;
      costUsd += ((model?.costPer1kInput ?? 0) * counted) / 1000;
    }
    return {
      files: prepared.sources.length,
      bytes: prepared.sources.reduce((s, f) => s + f.bytes, 0),
      cachedFiles: prepared.sources.length - uncached.length,
      inputTokens,
      costUsd,
    };
  }

  testConnection(signal?: AbortSignal): Promise<ConnectionReport[]> {
    this.assertLive();
    const { config } = this.options;
    return testModels(config.models, this.providerFor, this.clock, { region: config.region, ...(config.profile ? { profile: config.profile } : {}) }, signal);
  }

  onEvent(listener: EngineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): RunSnapshot {
    return this.lastSnapshot ?? runSnapshot(this.clock.now(), 0, 0, this.dispatcher.snapshot(), this.dispatcher.recentBatches());
  }

  clearCache(): Promise<void> {
    return this.cache.clear();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.dispatcher.dispose();
    void this.sharedLedger?.close();
    this.scorer.dispose();
    this.listeners.clear();
  }

  /**
   * The quota other holders share with us: the account's Redis ledger when one is configured (the
   * machine's file ledger standing in while it is away), else the machine's file ledger, else none.
   */
  private attachLedger(): void {
    const { ledgerDir, sharedQuotaUrl } = this.options;
    const { destination } = this;
    const file = ledgerDir ? new FileQuotaLedger(ledgerDir, { clock: this.clock, logger: this.logger }) : undefined;
    if (sharedQuotaUrl) {
      try {
        const redis = new RedisQuotaLedger(sharedQuotaUrl, { clock: this.clock, logger: this.logger, ...(file ? { fallback: file } : {}) });
        this.sharedLedger = redis;
        this.dispatcher.shareWindows((modelId) => redis.window(destination, modelId));
        return;
      } catch (err) {
        // An unusable URL (the message never quotes it): say so, and share on this machine only.
        this.logger.warn(`${err instanceof Error ? err.message : String(err)}; quotas are counted for ${file ? 'this machine' : 'this process'} only`);
      }
    }
    if (file) this.dispatcher.shareWindows((modelId) => file.window(destination, modelId));
  }

  private assertLive(): void {
    if (this.disposed) throw new Error('This Chorus engine was disposed.');
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.logger.error(`engine listener failed on ${event.type}: ${String(err)}`);
      }
    }
  }
}

export function createEngine(options: EngineOptions): Engine {
  return new ChorusEngine(options);
}
