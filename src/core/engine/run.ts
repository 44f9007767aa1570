/**
 * One analyze run: the plan step (plan.ts: prepare → cache → score → plan) → dispatch → findings →
 * ledger. Every file that entered leaves through the ledger with exactly one outcome.
 */
import type { Clock } from '../clock';
import { outcomeOf } from '../outcome';
import type { Dispatcher } from '../schedule';
import type { FileOutcome, Finding, SourceFile } from '../types';
import type { AnalyzeRequest, AnalyzeResult, RoutingDecision } from './api';
import { Budget } from './budget';
import { modelKeyOf, toRaw } from './cached';
import type { EngineEvent } from './events';
import { dispatchWithRetry } from './dispatchBatch';
import { RunLedger } from './ledger';
import { notPlannedOutcome, planRun, type PlanDeps } from './plan';
import type { Prepared } from './prepare';
import { runSnapshot, summarize } from './summary';
import { baselineSuppresses } from '../findings/baseline';

export interface RunDeps extends PlanDeps {
  clock: Clock;
  /** The engine's long-lived dispatcher, for its counters and snapshots. */
  dispatcher: Dispatcher;
  /** Submits this run's batches (the engine records which run each batch belongs to). */
  submitter: Pick<Dispatcher, 'submit'>;
  baseline: () => Promise<Set<string> | undefined>;
  emit: (event: EngineEvent) => void;
  /** Called with each new snapshot so Engine.snapshot() can answer between events. */
  onSnapshot: (snapshot: ReturnType<typeof runSnapshot>) => void;
  /** Each file analyzed in full (fresh or cached): the version later saves are diffed against. */
  onAnalyzed?: (file: SourceFile, findings: readonly Finding[]) => void;
}

const METRICS_INTERVAL_MS = 1_000;

export async function executeRun(deps: RunDeps, runId: string, request: AnalyzeRequest): Promise<AnalyzeResult> {
  const { config, clock, logger, dispatcher } = deps;
  const started = clock.now();
  const before = dispatcher.snapshot();
  const signal = request.signal;
  const baseline = await deps.baseline();
  let filesTotal = 0;
  let prepared: Prepared | undefined;
  const ledger = new RunLedger((outcome) => deps.emit({ type: 'file-done', runId, outcome }));
  const suppress = (findings: Finding[]) => (baseline ? findings.filter((f) => !baselineSuppresses(baseline, f)) : findings);

  const snapshotNow = () => {
    const snap = runSnapshot(clock.now(), filesTotal, ledger.outcomes().length, dispatcher.snapshot(), dispatcher.recentBatches());
    deps.onSnapshot(snap);
    return snap;
  };
  const ticker = new AbortController();
  const tick = async () => {
    try {
      for (;;) {
        await clock.sleep(METRICS_INTERVAL_MS, ticker.signal);
        deps.emit({ type: 'metrics', runId, snapshot: snapshotNow() });
      }
    } catch {
      /* the run ended */
    }
  };

  const routing: RoutingDecision[] = [];
  try {
    const plan = await planRun(deps, request, {
      idPrefix: `${runId}-b`,
      onPrepared: (p) => {
        prepared = p;
        filesTotal = p.sources.length + p.skipped.length;
        deps.emit({ type: 'run-started', runId, files: filesTotal, lane: request.lane });
        void tick();
        for (const f of p.skipped) ledger.settle({ path: f.path, status: 'skipped', reason: f.reason, code: f.code, retryable: outcomeOf(f.code, f.reason).retryable ?? false, findings: [] });
      },
      // A hit spends zero tokens and is published before the rest is scored.
      onCached: (file, hit) => {
        const findings = suppress(hit.findings);
        deps.onAnalyzed?.(file, findings);
        ledger.settle({ path: file.path, status: 'analyzed', model: hit.model, cached: true, findings });
      },
    });
    for (const n of plan.notPlanned) ledger.settle({ path: n.path, status: n.status, ...notPlannedOutcome(n), findings: [] });
    const byPath = plan.toSend;
    const chunks = new Map<string, number>();
    for (const batch of plan.batches) for (const f of batch.files) chunks.set(f.path, (chunks.get(f.path) ?? 0) + 1);
    for (const [path, n] of chunks) ledger.expect(path, n);

    const budget = new Budget(config.budget, config.models);
    await Promise.all(
      plan.batches.map(async (batch) => {
        const result = await dispatchWithRetry(deps.submitter, batch, budget, signal, byPath);
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
            const findings = suppress(done.findings);
            if (!done.partial) deps.onAnalyzed?.(file, findings);
            ledger.settle({ path, status: 'analyzed', model: done.model, ...(done.partial ? { partial: done.partial } : {}), findings });
          } else {
            ledger.chunkNotAnalyzed(path, outcome.kind, outcome.reason, outcome.code);
          }
        }
      }),
    );
  } catch (err) {
    if (!signal?.aborted) throw err;
  } finally {
    ticker.abort();
  }

  const cancelled = signal?.aborted ?? false;
  const cancel = outcomeOf('cancelled', 'cancelled');
  const skipCancelled = (path: string) => ledger.settle({ path, status: 'skipped', reason: cancel.message, code: cancel.code, retryable: true, findings: [] });
  for (const path of ledger.pendingPaths()) skipCancelled(path);
  // Cancelled while scoring or planning: the files that entered but were never planned leave too.
  for (const file of prepared?.sources ?? []) if (!ledger.has(file.path)) skipCancelled(file.path);
  deps.emit({ type: 'metrics', runId, snapshot: snapshotNow() });
  deps.emit({ type: 'run-finished', runId, cancelled });
  const files: FileOutcome[] = ledger.outcomes();
  return {
    runId,
    files,
    models: summarize(before, dispatcher.snapshot()),
    routing: routing.sort((a, b) => a.batchId.localeCompare(b.batchId, undefined, { numeric: true })),
    redactions: prepared?.redactions ?? 0,
    elapsedMs: clock.now() - started,
    cancelled,
  };
}
