/**
 * The front half of a run, before any call: prepare (discover, hold back, redact) → cache → score →
 * plan. `executeRun` and `Engine.estimate` both go through `planRun`, so what the estimate counts is
 * what the run sends, file by file, and the scorer's fallback lives here once: a scorer that fails
 * (a worker died) never stops a run or an estimate, the files route by size instead.
 */
import type { ResultCache } from '../cache';
import type { ChorusConfig } from '../config/types';
import type { Logger } from '../logger';
import { outcomeOf, type OutcomeCode } from '../outcome';
import { planBatches, type Batch } from '../plan';
import type { Group, SourceFile } from '../types';
import type { AnalyzeRequest } from './api';
import { lookup, type CacheHit } from './cached';
import { createInterimScorer, type EngineScorer } from './interimScorer';
import { prepareFiles, type Prepared } from './prepare';

export interface PlanDeps {
  config: ChorusConfig;
  logger: Logger;
  cache: ResultCache | undefined;
  scorer: EngineScorer;
  /**
   * Per model: the service's tokens per token of our estimate, as learned so far (calibration.ts);
   * read when the plan is made, after scoring, so what other runs taught the engine meanwhile counts.
   */
  tokenRatios: () => Readonly<Record<string, number>>;
  maxBatchInputTokens?: number;
}

/** A file the plan will not send, and why (as data and for people). */
export interface NotPlanned {
  path: string;
  status: 'skipped' | 'failed';
  code: OutcomeCode;
  reason: string;
}

export interface RunPlan {
  prepared: Prepared;
  /** Files served from the cache (zero tokens), by path. */
  cached: Map<string, CacheHit>;
  /** Files to send, by path. */
  toSend: Map<string, SourceFile>;
  batches: Batch[];
  /** Skipped before or by planning (discovery, secrets, the planner), and failed by the planner. */
  notPlanned: NotPlanned[];
}

export interface PlanHooks {
  /** Discovery and redaction are done: the run can announce how many files entered. */
  onPrepared?(prepared: Prepared): void;
  /** A cache hit, as soon as it is known (the run publishes it before scoring the rest). */
  onCached?(file: SourceFile, hit: CacheHit): void;
  /** Batch ids are `${idPrefix}${n}`. */
  idPrefix?: string;
}

export async function planRun(deps: PlanDeps, request: AnalyzeRequest, hooks: PlanHooks = {}): Promise<RunPlan> {
  const { config, logger } = deps;
  const signal = request.signal;
  const prepared = await prepareFiles(request, config, logger);
  hooks.onPrepared?.(prepared);
  const notPlanned: NotPlanned[] = prepared.skipped.map((s) => ({ path: s.path, status: 'skipped', code: s.code, reason: s.reason }));

  const cached = new Map<string, CacheHit>();
  const toSend = new Map<string, SourceFile>();
  const modelIds = request.forceModel ? [request.forceModel] : config.models.map((m) => m.id);
  for (const file of prepared.sources) {
    const hit = deps.cache && !request.noCache ? await lookup(deps.cache, file, modelIds) : undefined;
    if (hit) {
      cached.set(file.path, hit);
      hooks.onCached?.(file, hit);
    } else {
      toSend.set(file.path, file);
    }
  }
  if (toSend.size === 0) return { prepared, cached, toSend, batches: [], notPlanned };

  signal?.throwIfAborted();
  const groups = await scoreOrFallback(deps.scorer, logger, [...toSend.values()], signal);
  const plan = planBatches(groups, toSend, config, {
    lane: request.lane,
    // Packed to fit what each model's tokenizer will count, as learned by earlier calls.
    tokenRatio: deps.tokenRatios(),
    ...(hooks.idPrefix ? { idPrefix: hooks.idPrefix } : {}),
    ...(deps.maxBatchInputTokens ? { maxInputTokens: deps.maxBatchInputTokens } : {}),
    ...(request.forceModel ? { forceModel: request.forceModel } : {}),
  });
  const forcedMissing = request.forceModel !== undefined && !config.models.some((m) => m.id === request.forceModel);
  for (const s of plan.skipped) {
    // The planner skips for three reasons, told apart by what it was given, not by its wording.
    const code: OutcomeCode = forcedMissing ? 'no-model' : toSend.has(s.path) ? 'too-large' : 'internal';
    notPlanned.push({ path: s.path, status: 'skipped', code, reason: s.reason });
  }
  // The planner fails a file only when no model's quota fits even a batch of it alone.
  for (const f of plan.failed) notPlanned.push({ path: f.path, status: 'failed', code: 'quota-too-small', reason: f.reason });
  // Files the plan neither batched nor skipped would be lost: account for them.
  const accounted = new Set([...plan.batches.flatMap((b) => b.files.map((f) => f.path)), ...notPlanned.map((n) => n.path)]);
  for (const path of toSend.keys()) {
    if (!accounted.has(path)) notPlanned.push({ path, status: 'failed', code: 'internal', reason: 'not planned into any batch' });
  }
  return { prepared, cached, toSend, batches: plan.batches, notPlanned };
}

/** A not-planned file as the outcome fields of a FileOutcome. */
export function notPlannedOutcome(n: NotPlanned): { code: OutcomeCode; reason: string; retryable: boolean } {
  const { code, message, retryable } = outcomeOf(n.code, n.reason);
  return { code, reason: message, retryable: retryable ?? false };
}

/** Scoring only decides routing: if the scorer breaks (a worker died), size-only groups still route. */
async function scoreOrFallback(scorer: EngineScorer, logger: Logger, files: readonly SourceFile[], signal: AbortSignal | undefined): Promise<Group[]> {
  const inputs = files.map((f) => ({ path: f.path, text: f.text, bytes: f.bytes, hash: f.hash }));
  try {
    return (await scorer.score(inputs, signal)).groups;
  } catch (err) {
    if (signal?.aborted) throw err;
    logger.warn(`scoring failed (${err instanceof Error ? err.message : String(err)}); routing by size only`);
    return (await createInterimScorer().score(inputs, signal)).groups;
  }
}
