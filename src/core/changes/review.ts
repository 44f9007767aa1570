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
import type { ChangeContext } from '../contract';
import { Budget } from '../engine/budget';
import { dispatchWithRetry } from '../engine/dispatchBatch';
import type { RoutingDecision } from '../engine/api';
import { RunLedger } from '../engine/ledger';
import { prepareFiles } from '../engine/prepare';
import { runSnapshot, summarize } from '../engine/summary';
import { baselineSuppresses, fingerprintAll } from '../findings';
import { analyzeFile } from '../score/analyzeFile';
import type { FileOutcome, SourceFile } from '../types';
import { countSent, planExcerpts, type PendingExcerpt } from './batches';
import { notAnalyzed, reviewable } from './entries';
import { changedFile, mismatch } from './excerpts';
import { importOutline } from './imports';
import { cachedRegion, cacheRegions, scoresOf } from './regionCache';
import { DEFAULT_REGION_OPTIONS } from './regions';
import type { ChangeReviewDeps, ChangeReviewRequest, ChangeReviewResult, ChangeStats, FileState } from './reviewTypes';
import { onChangedLines } from './scope';

export type { ChangeReviewDeps, ChangeReviewRequest, ChangeReviewResult, ChangeStats } from './reviewTypes';

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
  const { diffs, early } = reviewable(request.changes);
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
    countSent(plan, states, stats);
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
    // Findings known from before stay unless this review answers for them: they touch a changed line, or
    // sit in a function it sent whole (a window of a long one cannot judge the function), or it said the same.
    const touches = (f: { startLine: number; endLine: number }) => [...state.file.changed].some((n) => f.startLine <= n && n <= f.endLine);
    const resent = (f: { startLine: number; endLine: number }) => state.file.excerpts.some((e) => !e.window && f.startLine <= e.endLine && e.startLine <= f.endLine);
    const said = new Set(state.findings.map((f) => `${f.ruleId}\0${f.startLine}\0${f.endLine}`));
    const carried = (request.carried?.get(path) ?? []).filter((f) => !touches(f) && !resent(f) && !said.has(`${f.ruleId}\0${f.startLine}\0${f.endLine}`));
    // Fingerprints over the file's whole answer (carried, cached and fresh regions together), then the scope.
    const merged = fingerprintAll([...carried, ...state.findings].map(({ fingerprint: _f, ...f }) => f), state.file.lines).sort((a, b) => a.startLine - b.startLine);
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
