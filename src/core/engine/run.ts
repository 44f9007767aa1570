/**
 * One analyze run: prepare (discover, redact) → cache → score → plan → dispatch → findings → ledger.
 * Every file that entered leaves through the ledger with exactly one outcome.
 */
import type { ResultCache } from '../cache';
import type { Clock } from '../clock';
import type { ChorusConfig } from '../config/types';
import type { Logger } from '../logger';
import { planBatches } from '../plan';
import type { Dispatcher } from '../schedule';
import type { FileOutcome, Finding, Group, SourceFile } from '../types';
import type { AnalyzeRequest, AnalyzeResult, RoutingDecision } from './api';
import { Budget } from './budget';
import { lookup, modelKeyOf, toRaw } from './cached';
import type { EngineEvent } from './events';
import { createInterimScorer, type EngineScorer } from './interimScorer';
import { dispatchWithRetry } from './dispatchBatch';
import { RunLedger } from './ledger';
import { prepareFiles } from './prepare';
import { runSnapshot, summarize } from './summary';

export interface RunDeps {
  config: ChorusConfig;
  clock: Clock;
  logger: Logger;
  cache: ResultCache | undefined;
  dispatcher: Dispatcher;
  scorer: EngineScorer;
  baseline: () => Promise<Set<string> | undefined>;
  emit: (event: EngineEvent) => void;
  /** Called with each new snapshot so Engine.snapshot() can answer between events. */
  onSnapshot: (snapshot: ReturnType<typeof runSnapshot>) => void;
  maxBatchInputTokens?: number;
}

const METRICS_INTERVAL_MS = 1_000;

export async function executeRun(deps: RunDeps, runId: string, request: AnalyzeRequest): Promise<AnalyzeResult> {
  const { config, clock, logger, dispatcher } = deps;
  const started = clock.now();
  const before = dispatcher.snapshot();
  const signal = request.signal;
  const baseline = await deps.baseline();
  let filesTotal = 0;
  const ledger = new RunLedger((outcome) => deps.emit({ type: 'file-done', runId, outcome }));
  const suppress = (findings: Finding[]) => (baseline ? findings.filter((f) => !baseline.has(f.fingerprint)) : findings);

  const prepared = await prepareFiles(request, config, logger);
  filesTotal = prepared.sources.length + prepared.skipped.length;
  deps.emit({ type: 'run-started', runId, files: filesTotal, lane: request.lane });
  for (const s of prepared.skipped) ledger.settle({ path: s.path, status: 'skipped', reason: s.reason, findings: [] });

  const snapshotNow = () => {
    const snap = runSnapshot(clock.now(), filesTotal, ledger.outcomes().length, dispatcher.snapshot(), dispatcher.recentBatches());
    deps.onSnapshot(snap);
    return snap;
  };
  const ticker = new AbortController();
  void (async () => {
    try {
      for (;;) {
        await clock.sleep(METRICS_INTERVAL_MS, ticker.signal);
        deps.emit({ type: 'metrics', runId, snapshot: snapshotNow() });
      }
    } catch {
      /* the run ended */
    }
  })();

  const routing: RoutingDecision[] = [];
  try {
    // Cache: a hit spends zero tokens.
    const toAnalyze: SourceFile[] = [];
    const modelIds = request.forceModel ? [request.forceModel] : config.models.map((m) => m.id);
    for (const file of prepared.sources) {
      const hit = deps.cache && !request.noCache ? await lookup(deps.cache, file, modelIds) : undefined;
      if (hit) ledger.settle({ path: file.path, status: 'analyzed', model: hit.model, cached: true, findings: suppress(hit.findings) });
      else toAnalyze.push(file);
    }

    if (toAnalyze.length > 0) {
      signal?.throwIfAborted();
      const groups = await scoreOrFallback(deps, toAnalyze, signal);
      const byPath = new Map(toAnalyze.map((f) => [f.path, f]));
      const plan = planBatches(groups, byPath, config, {
        lane: request.lane,
        idPrefix: `${runId}-b`,
        // Packed to fit what each model's tokenizer will count, as learned by earlier calls.
        tokenRatio: dispatcher.tokenRatios(),
        ...(deps.maxBatchInputTokens ? { maxInputTokens: deps.maxBatchInputTokens } : {}),
        ...(request.forceModel ? { forceModel: request.forceModel } : {}),
      });
      for (const s of plan.skipped) ledger.settle({ path: s.path, status: 'skipped', reason: s.reason, findings: [] });
      for (const f of plan.failed) ledger.settle({ path: f.path, status: 'failed', reason: f.reason, findings: [] });
      const chunks = new Map<string, number>();
      for (const batch of plan.batches) for (const f of batch.files) chunks.set(f.path, (chunks.get(f.path) ?? 0) + 1);
      for (const [path, n] of chunks) ledger.expect(path, n);
      // Files the plan neither batched nor skipped would be lost: account for them.
      for (const file of toAnalyze) {
        if (!ledger.has(file.path)) ledger.settle({ path: file.path, status: 'failed', reason: 'not planned into any batch', findings: [] });
      }

      const budget = new Budget(config.budget, config.models);
      await Promise.all(
        plan.batches.map(async (batch) => {
          const result = await dispatchWithRetry(dispatcher, batch, budget, signal, byPath);
          routing.push({
            batchId: batch.id,
            files: [...new Set(batch.files.map((f) => f.path))],
            preferred: batch.preferredModel,
            ...(result.result.model ? { model: result.result.model } : {}),
            reasons: result.result.reasons,
          });
          for (const [path, outcome] of result.files) {
            if (outcome.kind === 'ok') {
              const done = ledger.chunkAnalyzed(path, outcome.model, outcome.findings, outcome.partial);
              if (!done) continue;
              const file = byPath.get(path)!;
              if (deps.cache && !done.partial) await deps.cache.set(file.hash, modelKeyOf(done.model.split(', ')), toRaw(done.findings)).catch((err: unknown) => logger.warn(`cache write failed: ${String(err)}`));
              ledger.settle({ path, status: 'analyzed', model: done.model, ...(done.partial ? { partial: done.partial } : {}), findings: suppress(done.findings) });
            } else {
              ledger.chunkNotAnalyzed(path, outcome.kind, outcome.reason);
            }
          }
        }),
      );
    }
  } catch (err) {
    if (!signal?.aborted) throw err;
  } finally {
    ticker.abort();
  }

  const cancelled = signal?.aborted ?? false;
  for (const path of ledger.pendingPaths()) ledger.settle({ path, status: 'skipped', reason: 'cancelled', findings: [] });
  deps.emit({ type: 'metrics', runId, snapshot: snapshotNow() });
  deps.emit({ type: 'run-finished', runId, cancelled });
  const files: FileOutcome[] = ledger.outcomes();
  return {
    runId,
    files,
    models: summarize(before, dispatcher.snapshot()),
    routing: routing.sort((a, b) => a.batchId.localeCompare(b.batchId, undefined, { numeric: true })),
    redactions: prepared.redactions,
    elapsedMs: clock.now() - started,
    cancelled,
  };
}

/** Scoring only decides routing: if the scorer breaks (a worker died), size-only groups still route. */
async function scoreOrFallback(deps: RunDeps, files: readonly SourceFile[], signal: AbortSignal | undefined): Promise<Group[]> {
  const inputs = files.map((f) => ({ path: f.path, text: f.text, bytes: f.bytes, hash: f.hash }));
  try {
    return (await deps.scorer.score(inputs, signal)).groups;
  } catch (err) {
    if (signal?.aborted) throw err;
    deps.logger.warn(`scoring failed (${err instanceof Error ? err.message : String(err)}); routing by size only`);
    return (await createInterimScorer().score(inputs, signal)).groups;
  }
}
