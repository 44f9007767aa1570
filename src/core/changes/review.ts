/**
 * A change review: the engine's entry point for "review what changed" (`--changed-since`, `--diff`,
 * Review Changes in the editor, a save after an edit). Per changed file it sends the enclosing
 * functions of the changed lines (excerpts.ts) with the file's outline, never the whole file; each
 * function's answer is cached on its own (the content + outline + marks, the model, the prompt
 * version and the destination, through the ResultCache), so after an edit only the functions that
 * changed cost tokens and the others keep their findings with their lines shifted.
 *
 * The files go through the engine's prepare step (discovery rules, never-send, redaction) before
 * anything is cut from them, so excerpts and outlines are cut from redacted text. Every file of the
 * diff leaves as analyzed, skipped or failed, with why.
 */
import type { ResultCache } from '../cache';
import type { Clock } from '../clock';
import type { ChorusConfig } from '../config/types';
import type { ChangeContext, RawFinding } from '../contract';
import { Budget } from '../engine/budget';
import { modelKeyOf, toRaw } from '../engine/cached';
import { dispatchWithRetry } from '../engine/dispatchBatch';
import type { AnalyzeResult, RoutingDecision } from '../engine/api';
import type { EngineEvent } from '../engine/events';
import type { EngineScorer } from '../engine/interimScorer';
import { RunLedger } from '../engine/ledger';
import { prepareFiles } from '../engine/prepare';
import { runSnapshot, summarize } from '../engine/summary';
import { baselineSuppresses, fingerprintAll, normalizeFindings, validateFindingsInput } from '../findings';
import type { Logger } from '../logger';
import type { Dispatcher } from '../schedule';
import { analyzeFile } from '../score/analyzeFile';
import { isRetryable, type OutcomeCode } from '../outcome';
import type { FileOutcome, Finding, Lane, SourceFile } from '../types';
import { planExcerpts, type PendingExcerpt } from './batches';
import type { DiffFile } from './diff';
import { changedFile, mismatch, type ChangedFile } from './excerpts';
import { importOutline } from './imports';
import { DEFAULT_REGION_OPTIONS, type RegionOptions } from './regions';
import { onChangedLines, type ChangeScope } from './scope';

export interface ChangeReviewRequest {
  /** Absolute path of the folder; the diff's paths are relative to it. */
  root: string;
  /** What changed (parseUnifiedDiff, gitChanges). */
  changes: readonly DiffFile[];
  lane: Lane;
  /** Newest contents by relative path (unsaved editors, or a commit's files); read from disk otherwise. */
  contents?: ReadonlyMap<string, string>;
  /** `changed` (default): findings on changed lines only; `all`: everything said about the sent context. */
  scope?: ChangeScope;
  noCache?: boolean;
  forceModel?: string;
  regions?: Partial<RegionOptions>;
  signal?: AbortSignal;
}

/** What the review sent and reused, in functions (regions) and lines. */
export interface ChangeStats {
  files: number;
  regions: number;
  /** Regions sent to a model this run. */
  regionsSent: number;
  /** Regions served from the function-level cache. */
  regionsCached: number;
  changedLines: number;
  /** Lines of code sent in excerpts (outlines not counted). */
  linesSent: number;
}

export interface ChangeReviewResult extends AnalyzeResult {
  changes: ChangeStats;
}

/** What a review needs of the engine: the same parts a run uses (engine/run.ts RunDeps). */
export interface ChangeReviewDeps {
  config: ChorusConfig;
  clock: Clock;
  logger: Logger;
  cache: ResultCache | undefined;
  dispatcher: Dispatcher;
  /** Who submits the review's batches (the engine's, to attribute batch events to this run); default the dispatcher. */
  submitter?: Pick<Dispatcher, 'submit'>;
  scorer: EngineScorer;
  baseline: () => Promise<Set<string> | undefined>;
  emit: (event: EngineEvent) => void;
  maxBatchInputTokens?: number;
}

/** A path a diff may name: inside the folder, no `..`, not absolute. */
function safePath(path: string | undefined): path is string {
  return typeof path === 'string' && path !== '' && !path.includes('\0') && !path.startsWith('/') && !/^[A-Za-z]:/.test(path) && !path.split(/[\\/]/).includes('..');
}

/** Why a diff entry has nothing to send (and its outcome code, where one fits), or undefined when it does. */
function nothingToReview(d: DiffFile): { reason: string; code?: OutcomeCode } | undefined {
  if (d.status === 'deleted') return { reason: 'deleted by the change: nothing left to review', code: 'not-found' };
  if (d.status === 'binary') return { reason: 'a binary change: not reviewed', code: 'binary' };
  if (d.hunks.length === 0 && d.status !== 'added') return { reason: `${d.status === 'renamed' ? 'renamed' : 'changed'} without a change to its text: nothing to review` };
  return undefined;
}

/** A skipped or failed outcome with its code, and whether trying again may help, when it has one. */
function notAnalyzed(path: string, status: 'failed' | 'skipped', reason: string, code?: OutcomeCode): FileOutcome {
  return { path, status, reason, ...(code ? { code, retryable: isRetryable(code) } : {}), findings: [] };
}

interface FileState {
  file: ChangedFile;
  pending: number;
  findings: Finding[];
  models: Set<string>;
  partial: string[];
  cachedRegions: number;
  failure?: { status: 'failed' | 'skipped'; reason: string; code?: OutcomeCode };
}

export async function reviewChanges(deps: ChangeReviewDeps, runId: string, request: ChangeReviewRequest): Promise<ChangeReviewResult> {
  const { config, clock, logger, dispatcher } = deps;
  const started = clock.now();
  const before = dispatcher.snapshot();
  const signal = request.signal;
  const scope = request.scope ?? 'changed';
  const regionOptions = { ...DEFAULT_REGION_OPTIONS, ...request.regions };
  const baseline = await deps.baseline();
  const ledger = new RunLedger((outcome) => deps.emit({ type: 'file-done', runId, outcome }));
  const stats: ChangeStats = { files: 0, regions: 0, regionsSent: 0, regionsCached: 0, changedLines: 0, linesSent: 0 };

  // Which diff entries can be reviewed; the rest leave now with why.
  const diffs = new Map<string, DiffFile>();
  const early: FileOutcome[] = [];
  for (const d of request.changes) {
    const path = d.newPath ?? d.oldPath;
    if (!safePath(path)) {
      early.push(notAnalyzed(String(path ?? '(no path)'), 'skipped', 'the diff names a path outside the folder: not reviewed', 'outside-workspace'));
      continue;
    }
    const none = nothingToReview(d);
    if (none) early.push(notAnalyzed(path, 'skipped', none.reason, none.code));
    else if (!diffs.has(path)) diffs.set(path, d);
  }
  const prepared =
    diffs.size > 0
      ? await prepareFiles({ root: request.root, paths: [...diffs.keys()], lane: request.lane, ...(request.contents ? { contents: request.contents } : {}), ...(signal ? { signal } : {}) }, config, logger)
      : { sources: [], skipped: [], redactions: 0 };
  deps.emit({ type: 'run-started', runId, files: early.length + prepared.sources.length + prepared.skipped.length, lane: request.lane });
  for (const o of early) ledger.settle(o);
  for (const s of prepared.skipped) ledger.settle({ ...s, status: 'skipped', findings: [] });

  const states = new Map<string, FileState>();
  const routing: RoutingDecision[] = [];
  try {
    const toSend: PendingExcerpt[] = [];
    const contexts = new Map<string, ChangeContext>();
    for (const source of prepared.sources) {
      signal?.throwIfAborted();
      const diff = diffs.get(source.path)!;
      const wrong = mismatch(diff, source);
      if (wrong) {
        ledger.settle({ path: source.path, status: 'skipped', reason: wrong, findings: [] });
        continue;
      }
      const analysis = await analyzeFile(source.path, source.text, source.bytes).catch(() => undefined);
      const imports = analysis?.rawImports.length
        ? await importOutline(request.root, source, analysis.rawImports, { config, logger, lane: request.lane, ...(request.contents ? { contents: request.contents } : {}), ...(signal ? { signal } : {}) }).catch((err: unknown) => {
            logger.warn(`imported signatures of ${source.path} left out: ${err instanceof Error ? err.message : String(err)}`);
            return [];
          })
        : [];
      const file = changedFile(source, diff, analysis?.functions ?? [], regionOptions, imports);
      const state: FileState = { file, pending: 0, findings: [], models: new Set(), partial: [], cachedRegions: 0 };
      states.set(source.path, state);
      stats.files++;
      stats.regions += file.excerpts.length;
      stats.changedLines += file.changed.size;
      contexts.set(source.path, file.context);
      for (const [i, e] of file.excerpts.entries()) {
        const hit = request.noCache ? undefined : await cachedRegion(deps.cache, config, request.forceModel, e.key, e.startLine, source);
        if (hit) {
          state.findings.push(...hit.findings);
          state.models.add(hit.model);
          state.cachedRegions++;
          stats.regionsCached++;
        } else {
          toSend.push({ path: source.path, region: i, firstLine: e.startLine, text: e.text, changed: e.changed, hash: source.hash });
        }
      }
    }

    const scores = await scoresOf(deps, toSend, states, signal);
    const plan = planExcerpts(toSend, contexts, scores, config, {
      lane: request.lane,
      idPrefix: `${runId}-b`,
      tokenRatio: dispatcher.tokenRatios(),
      ...(deps.maxBatchInputTokens ? { maxInputTokens: deps.maxBatchInputTokens } : {}),
      ...(request.forceModel ? { forceModel: request.forceModel } : {}),
    });
    for (const f of plan.failed) {
      const state = states.get(f.path);
      if (state) state.failure = { status: 'failed', reason: f.reason, code: f.code };
    }
    for (const batch of plan.batches) {
      for (const path of new Set(batch.files.map((f) => f.path))) {
        const state = states.get(path);
        if (state && !state.failure) state.pending++;
      }
    }
    const sentRegions = new Set<string>();
    for (const batch of plan.batches) {
      for (const f of batch.files) {
        if (states.get(f.path)?.failure) continue;
        const region = (f as { region?: number }).region ?? -1;
        if (!sentRegions.has(`${f.path}#${region}`)) {
          sentRegions.add(`${f.path}#${region}`);
          stats.regionsSent++;
          const e = states.get(f.path)!.file.excerpts[region];
          if (e) stats.linesSent += e.endLine - e.startLine + 1;
        }
      }
    }
    // Files with nothing left to send (every function cached, or nothing changed that is still there).
    for (const [path, state] of states) if (state.pending === 0) settle(path, state);

    const byPath = new Map<string, SourceFile>([...states].map(([path, s]) => [path, s.file.source]));
    const budget = new Budget(config.budget, config.models);
    await Promise.all(
      plan.batches.map(async (batch) => {
        const live = batch.files.filter((f) => !states.get(f.path)?.failure);
        if (live.length === 0) return;
        const result = await dispatchWithRetry(deps.submitter ?? dispatcher, { ...batch, files: live }, budget, signal, byPath);
        routing.push({
          batchId: batch.id,
          files: [...new Set(live.map((f) => f.path))],
          preferred: batch.preferredModel,
          ...(result.result.model ? { model: result.result.model } : {}),
          reasons: result.result.reasons,
        });
        for (const [path, outcome] of result.files) {
          const state = states.get(path);
          if (!state) continue;
          if (outcome.kind === 'ok') {
            state.findings.push(...outcome.findings);
            state.models.add(outcome.model);
            if (outcome.partial) state.partial.push(outcome.partial);
            else await cacheRegions(deps, state, live, path, outcome.model, outcome.findings, plan.cut);
          } else if (!state.failure || (state.failure.status === 'skipped' && outcome.kind === 'failed')) {
            state.failure = { status: outcome.kind, reason: outcome.reason, code: outcome.code };
          }
          if (--state.pending === 0) settle(path, state);
        }
      }),
    );
  } catch (err) {
    if (!signal?.aborted) throw err;
  }

  function settle(path: string, state: FileState): void {
    if (state.failure) {
      ledger.settle(notAnalyzed(path, state.failure.status, state.failure.reason, state.failure.code));
      return;
    }
    // Fingerprints over the file's whole answer (cached and fresh regions together), then the scope.
    const merged = fingerprintAll(state.findings.map(({ fingerprint: _f, ...f }) => f), state.file.lines).sort((a, b) => a.startLine - b.startLine);
    const scoped = onChangedLines(merged, state.file.changed, scope).filter((f) => !baseline || !baselineSuppresses(baseline, f));
    const outcome: FileOutcome = { path, status: 'analyzed', findings: scoped };
    if (state.models.size > 0) outcome.model = [...state.models].sort().join(', ');
    if (state.file.excerpts.length > 0 && state.cachedRegions === state.file.excerpts.length) outcome.cached = true;
    if (state.partial.length > 0) outcome.partial = state.partial.join('; ');
    ledger.settle(outcome);
  }

  const cancelled = signal?.aborted ?? false;
  for (const path of ledger.pendingPaths()) ledger.settle(notAnalyzed(path, 'skipped', 'cancelled', 'cancelled'));
  for (const [path] of states) if (!ledger.has(path)) ledger.settle(notAnalyzed(path, 'skipped', 'cancelled', 'cancelled'));
  const files = ledger.outcomes();
  deps.emit({ type: 'metrics', runId, snapshot: runSnapshot(clock.now(), files.length, files.length, dispatcher.snapshot(), dispatcher.recentBatches()) });
  deps.emit({ type: 'run-finished', runId, cancelled });
  return {
    runId,
    files,
    models: summarize(before, dispatcher.snapshot()),
    routing: routing.sort((a, b) => a.batchId.localeCompare(b.batchId, undefined, { numeric: true })),
    redactions: prepared.redactions,
    elapsedMs: clock.now() - started,
    cancelled,
    changes: stats,
  };
}

/** Complexity scores by path (routing only); a broken scorer routes everything as simple. */
async function scoresOf(deps: ChangeReviewDeps, toSend: readonly PendingExcerpt[], states: ReadonlyMap<string, FileState>, signal: AbortSignal | undefined): Promise<Map<string, number>> {
  const scores = new Map<string, number>();
  const paths = [...new Set(toSend.map((e) => e.path))];
  if (paths.length === 0) return scores;
  try {
    const inputs = paths.map((p) => states.get(p)!.file.source).map((s) => ({ path: s.path, text: s.text, bytes: s.bytes, hash: s.hash }));
    for (const g of (await deps.scorer.score(inputs, signal)).groups) for (const p of g.files) scores.set(p, g.score);
  } catch (err) {
    if (signal?.aborted) throw err;
    deps.logger.warn(`scoring failed (${err instanceof Error ? err.message : String(err)}); routing by the least demanding model`);
  }
  return scores;
}

/**
 * A region's cached answer, its lines moved to where the region is now. Entries are as untrusted as
 * an answer (engine/cached.ts): validated, and forgotten when they fail.
 */
async function cachedRegion(cache: ResultCache | undefined, config: ChorusConfig, forceModel: string | undefined, key: string, startLine: number, source: SourceFile): Promise<{ model: string; findings: Finding[] } | undefined> {
  if (!cache) return undefined;
  for (const model of forceModel ? [forceModel] : config.models.map((m) => m.id)) {
    const entry = await cache.get(key, modelKeyOf([model]));
    if (!entry) continue;
    const checked = validateFindingsInput({ findings: entry.findings });
    if (!checked.ok || checked.rejected.length > 0) {
      await cache.forget(key, modelKeyOf([model]));
      continue;
    }
    const shift = startLine - 1;
    const raw: RawFinding[] = checked.findings.map((f) => ({ ...f, file: source.path, startLine: f.startLine + shift, endLine: f.endLine + shift }));
    return { model, findings: normalizeFindings(raw, [source], model).byFile.get(source.path) ?? [] };
  }
  return undefined;
}

/** Stores each sent region's findings under its own key, lines relative to the region's first line. */
async function cacheRegions(deps: ChangeReviewDeps, state: FileState, files: readonly { path: string; region?: number }[], path: string, model: string, findings: readonly Finding[], cut: ReadonlySet<string>): Promise<void> {
  if (!deps.cache) return;
  const regions = new Set(files.filter((f) => f.path === path).map((f) => (f as { region?: number }).region ?? -1));
  for (const index of regions) {
    const e = state.file.excerpts[index];
    if (!e || cut.has(`${path}#${index}`)) continue;
    const own = findings.filter((f) => f.startLine >= e.startLine && f.startLine <= e.endLine);
    const rel = toRaw(own).map((f) => ({ ...f, startLine: f.startLine - e.startLine + 1, endLine: Math.max(f.startLine, f.endLine) - e.startLine + 1 }));
    await deps.cache.set(e.key, modelKeyOf([model]), rel).catch((err: unknown) => deps.logger.warn(`cache write failed: ${String(err)}`));
  }
}
