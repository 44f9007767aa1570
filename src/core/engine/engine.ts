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
import { createBedrockProviders, priceRatio, serviceTierFor, serviceTierWarning, socketsForModels } from '../providers';
import { DEFAULT_MAX_CONCURRENCY } from '../schedule/options';
import type { ModelProvider } from '../providers/provider';
import { Dispatcher } from '../schedule';
import { createScorer } from '../score';
import { reviewChanges, type ChangeReviewRequest, type ChangeReviewResult } from '../changes/review';
import { reviewSave, SaveMemory } from '../changes/incremental';
import type { AnalyzeRequest, AnalyzeResult, ConnectionReport, Engine, EngineOptions, Estimate, PlannedFile, Run } from './api';
import { testModels } from './connection';
import { checkCredentials } from './credentials';
import { runEvents, type EngineEvent, type EngineListener } from './events';
import type { EngineScorer } from './interimScorer';
import { notPlannedOutcome, planRun, type PlanDeps } from './plan';
import { executeRun } from './run';
import { runSnapshot } from './summary';

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
  /** Each active run's own listeners, by run id, in start order. */
  private readonly active = new Map<string, Set<EngineListener>>();
  /** Which run submitted each batch in flight: dispatcher events carry only the batch id. */
  private readonly batchOwners = new Map<string, string>();
  private disposed = false;
  private sharedLedger: RedisQuotaLedger | undefined;
  /** Who books our quota and whose answers the cache holds (config/destination.ts). */
  private readonly destination: string;
  /** The last analyzed version of files saved with `incremental` (changes/incremental.ts). */
  private readonly saves = new SaveMemory();

  constructor(private readonly options: EngineOptions) {
    const { config } = options;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    // A cap above Bedrock's limit is clamped (plan/estimate.ts maxOutputCap); say so once per engine.
    for (const model of config.models) {
      const warning = outputLimitWarning(model);
      if (warning) this.logger.warn(warning);
      const tier = serviceTierWarning(model);
      if (tier) this.logger.warn(tier);
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
      // A quota lower than configured shows as one throttle, not a burst of them (quotaWindow.ts).
      probeQuota: true,
      ...(config.instructions ? { instructions: config.instructions } : {}),
      ...(options.maxBatchInputTokens ? { maxBatchInputTokens: options.maxBatchInputTokens } : {}),
      ...(this.usesBedrockDefaults ? { destination: config.endpoint ? `the endpoint ${config.endpoint}` : `Bedrock Runtime in ${config.region}` } : {}),
    });
    this.attachLedger();
    this.dispatcher.onEvent((event) => {
      if (event.type === 'batch-started') {
        const { attempt: _attempt, ...rest } = event;
        this.emit({ ...rest, runId: this.ownerOf(rest.batchId) });
      } else if (event.type === 'model-disabled') {
        // A model leaving concerns every active run: each run's own listeners hear it with its id,
        // the engine's listeners once (with the latest run's id).
        for (const [runId, listeners] of this.active) notify(listeners, { ...event, runId }, this.logger);
        notify(this.listeners, { ...event, runId: this.latestRunId() }, this.logger);
      } else {
        this.emit({ ...event, runId: this.ownerOf(event.batchId) });
      }
    });
    this.scorer = options.scorer ?? createScorer();
  }

  start(request: AnalyzeRequest): Run {
    this.assertLive();
    // The id exists before any work, so every event of the run, the first included, carries it.
    const id = `run${++this.runs}`;
    const own = new Set<EngineListener>();
    this.active.set(id, own);
    const stop = new AbortController();
    const signal = request.signal ? AbortSignal.any([request.signal, stop.signal]) : stop.signal;
    const result = this.execute(id, { ...request, signal }).finally(() => this.active.delete(id));
    return {
      id,
      events: runEvents(own),
      result,
      cancel: (reason) => stop.abort(new Error(reason ?? 'cancelled')),
    };
  }

  analyze(request: AnalyzeRequest): Promise<AnalyzeResult> {
    return this.start(request).result;
  }

  private async execute(runId: string, request: AnalyzeRequest): Promise<AnalyzeResult> {
    // Not a step of start(): the caller subscribes to the handle before the first event.
    await Promise.resolve();
    // The opening burst is what overruns a shared quota: count it in the shared window when it can be.
    await this.beforeSending();
    const save = request.incremental && request.paths?.length === 1 && !request.changedSince ? request.paths[0]! : undefined;
    if (save !== undefined) {
      const { root, lane, contents, noCache, forceModel, signal } = request;
      const reviewed = await reviewSave(this.runDeps(runId), runId, { root, path: save, lane, ...(contents ? { contents } : {}), ...(noCache ? { noCache } : {}), ...(forceModel ? { forceModel } : {}), ...(signal ? { signal } : {}) }, this.saves);
      if (reviewed) return reviewed;
    }
    return executeRun(
      {
        ...this.runDeps(runId),
        onSnapshot: (snapshot) => (this.lastSnapshot = snapshot),
        ...(save !== undefined ? { onAnalyzed: (file, findings) => this.saves.remember(file.path, file.text, findings) } : {}),
      },
      runId,
      request,
    );
  }

  /** The shared ledger connected, and the credentials checked once: what every run needs before its first call. */
  private async beforeSending(): Promise<void> {
    await this.sharedLedger?.ready();
    if (this.usesBedrockDefaults && !this.credentialsChecked) {
      await checkCredentials(this.options.config.region, this.options.config.profile);
      this.credentialsChecked = true;
    }
  }

  /** What a run and a change review share: the plan step's parts, the dispatcher, this run's submitter. */
  private runDeps(runId: string) {
    return {
      ...this.planDeps(),
      clock: this.clock,
      dispatcher: this.dispatcher,
      submitter: this.submitterFor(runId),
      baseline: () => this.readBaseline(),
      emit: (event: EngineEvent) => this.emit(event),
    };
  }

  /** A change review (src/core/changes/review.ts) on this engine's dispatcher, cache and scorer. */
  async reviewChanges(request: ChangeReviewRequest): Promise<ChangeReviewResult> {
    this.assertLive();
    const runId = `run${++this.runs}`;
    this.active.set(runId, new Set());
    try {
      await this.beforeSending();
      return await reviewChanges(this.runDeps(runId), runId, request);
    } finally {
      this.active.delete(runId);
    }
  }

  /** Submits a run's batches, remembering which run each belongs to (its events carry that id). */
  private submitterFor(runId: string): Pick<Dispatcher, 'submit'> {
    return {
      submit: (batch, options) => {
        this.batchOwners.set(batch.id, runId);
        return this.dispatcher.submit(batch, options).finally(() => this.batchOwners.delete(batch.id));
      },
    };
  }

  private readBaseline(): Promise<Set<string> | undefined> {
    return this.options.baselinePath ? readBaseline(this.options.baselinePath) : Promise.resolve(undefined);
  }

  private planDeps(): PlanDeps {
    return {
      config: this.options.config,
      logger: this.logger,
      cache: this.cache,
      scorer: this.scorer,
      tokenRatios: () => this.dispatcher.tokenRatios(),
      ...(this.options.maxBatchInputTokens ? { maxBatchInputTokens: this.options.maxBatchInputTokens } : {}),
    };
  }

  async estimate(request: AnalyzeRequest): Promise<Estimate> {
    this.assertLive();
    const { config } = this.options;
    const deps = this.planDeps();
    const plan = await planRun(deps, request);
    const ratios = deps.tokenRatios();
    const files: PlannedFile[] = [
      ...[...plan.cached].map(([path, hit]): PlannedFile => ({ path, status: 'cached', model: hit.model })),
      ...plan.notPlanned.map((n): PlannedFile => {
        const { code, reason } = notPlannedOutcome(n);
        return { path: n.path, status: n.status, code, reason };
      }),
      ...[...new Set(plan.batches.flatMap((b) => b.files.map((f) => f.path)))].map((path): PlannedFile => ({ path, status: 'planned' })),
    ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    let inputTokens = 0;
    let costUsd = 0;
    for (const batch of plan.batches) {
      const model = config.models.find((m) => m.id === batch.preferredModel);
      // As the model counts it, once this engine has learned how (calibration.ts).
      const counted = Math.ceil(batch.estInputTokens * (ratios[batch.preferredModel] ?? 1));
      inputTokens += counted;
      // Priced at the tier this run's lane would ask for (providers/serviceTier.ts).
      costUsd += (((model?.costPer1kInput ?? 0) * counted) / 1000) * priceRatio(model ? serviceTierFor(model, request.lane) : undefined);
    }
    return {
      files: plan.prepared.sources.length,
      bytes: plan.prepared.sources.reduce((s, f) => s + f.bytes, 0),
      cachedFiles: plan.cached.size,
      inputTokens,
      costUsd,
      plan: files,
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

  /** The run that submitted a batch; the latest active run for a batch no run claims (none should). */
  private ownerOf(batchId: string): string {
    return this.batchOwners.get(batchId) ?? this.latestRunId();
  }

  private latestRunId(): string {
    return [...this.active.keys()].at(-1) ?? '';
  }

  private emit(event: EngineEvent): void {
    notify(this.listeners, event, this.logger);
    const own = this.active.get(event.runId);
    if (own) notify(own, event, this.logger);
  }
}

function notify(listeners: Iterable<EngineListener>, event: EngineEvent, logger: { error(message: string): void }): void {
  for (const listener of listeners) {
    try {
      listener(event);
    } catch (err) {
      logger.error(`engine listener failed on ${event.type}: ${String(err)}`);
    }
  }
}

export function createEngine(options: EngineOptions): Engine {
  return new ChorusEngine(options);
}
