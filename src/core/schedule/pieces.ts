/**
 * A cut batch (split.ts) runs as two jobs of its own; the batch's one result is theirs together:
 * ok with every piece's answer (BatchResult.parts) when all pieces are ok, else the first piece that
 * is not, so that no file of the batch leaves without a reason.
 */
import { renderBatchPrompt } from '../contract';
import { estimatePromptTokens } from '../plan/estimate';
import type { BatchFile } from '../plan/types';
import type { TokenUsage } from '../providers/provider';
import type { Job } from './job';
import type { ModelQueue } from './modelQueue';
import type { Router } from './router';
import { bytesOf, cutToFit, type Cut } from './split';
import type { BatchPart, BatchResult } from './types';

/** A BatchResult without what the dispatcher adds when it ends the job (distributed over the union). */
type Outcome = BatchResult extends infer R ? (R extends BatchResult ? Omit<R, 'batchId' | 'attempts' | 'reasons'> : never) : never;

/** The pieces of `job` as jobs, each reporting to `settle` once it has its result. */
export function pieceJobs(job: Job, cut: Cut, system: string, instructions: string | undefined, settle: (job: Job, outcome: Outcome) => void): [Job, Job] {
  const results: (BatchResult | undefined)[] = [undefined, undefined];
  // Each piece's prompt rendered once, its estimate of that text carried by the piece's batch.
  const make = (files: BatchFile[], i: number, prompt = renderBatchPrompt(files, instructions), input = estimatePromptTokens(system, prompt)): Job => ({
    batch: { ...job.batch, files, estInputTokens: input },
    seq: job.seq,
    bytes: files.reduce((s, f) => s + Buffer.byteLength(f.text, 'utf8'), 0),
    input,
    prompt,
    signal: job.signal,
    admit: job.admit,
    resolve: (result) => {
      results[i] = result;
      if (results.every((r) => r !== undefined)) settle(job, merged(job, results, [cut.piece, cut.rest]));
    },
    done: false,
    model: job.model,
    attempts: 0,
    reasons: [],
    throttles: 0,
    transient: new Map(job.transient),
    splittable: true,
    parent: job,
  });
  const pieces: [Job, Job] = [make(cut.piece, 0), make(cut.rest, 1)];
  job.pieces = pieces;
  return pieces;
}

function sum(a: TokenUsage, b: TokenUsage): TokenUsage {
  const total: TokenUsage = { inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens };
  for (const k of ['cacheReadInputTokens', 'cacheWriteInputTokens'] as const) if (a[k] !== undefined || b[k] !== undefined) total[k] = (a[k] ?? 0) + (b[k] ?? 0);
  return total;
}

function merged(job: Job, results: BatchResult[], files: BatchFile[][]): Outcome {
  job.attempts += results.reduce((s, r) => s + r.attempts, 0);
  results.forEach((r, i) => job.reasons.push(...r.reasons.map((why) => `piece ${i + 1}: ${why}`)));
  const failed = results.find((r) => r.status === 'failed') ?? results.find((r) => r.status === 'cancelled') ?? results.find((r) => r.status === 'skipped');
  if (failed && failed.status !== 'ok') {
    const { batchId: _id, attempts: _a, reasons: _r, ...outcome } = failed;
    return outcome;
  }
  const parts: BatchPart[] = results.flatMap((r, i) => (r.status !== 'ok' ? [] : (r.parts ?? [{ files: files[i]!, model: r.model, response: r.response }])));
  const first = parts[0]!;
  const batchUsage = results.reduce<TokenUsage | undefined>((s, r) => (r.status !== 'ok' ? s : s ? sum(s, r.response.batchUsage) : r.response.batchUsage), undefined)!;
  return { status: 'ok', model: first.model, response: { ...first.response, batchUsage }, parts };
}

/**
 * Filling the window (WindowFilling.cut, queueFill.ts): the cut of a queued job (no call made yet, cap not raised)
 * whose first piece reserves at most `room` on `q` and fits its per-batch limits, if there is one.
 */
export function roomCut(job: Job, q: ModelQueue, room: number, router: Router, inputOf: (files: readonly BatchFile[]) => number): Cut | undefined {
  // A job tried before is cut too: its calls were refused or truncated, never answered in full, and a
  // batch larger than a quota learned far below the configured one can only run cut (cutOversize, admission.ts).
  if (job.done) return undefined;
  return cutToFit(job.batch.files, (files) => fitsRoom(files, q, room, router, inputOf));
}

/**
 * Whether `files`, sent as one call on `q`, reserve at most `room` and fit its per-batch limits, with
 * an input (as `q` counts it) of at most `largest`.
 */
export function fitsRoom(files: readonly BatchFile[], q: ModelQueue, room: number, router: Router, inputOf: (files: readonly BatchFile[]) => number, largest = Number.POSITIVE_INFINITY): boolean {
  const input = inputOf(files);
  return router.needFor(input, q, files.length) <= room && router.inputFor(input, q) <= largest && router.fits(bytesOf(files), input, q);
}
