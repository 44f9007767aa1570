/**
 * Growing a head into the room it leaves (WindowFilling.grow, queueFill.ts): a head that fits the window with
 * less room beside it than the batch behind it needs is sent together with the first files or lines
 * of that batch, as one call. That room was filled by a cut once the answers in flight gave their
 * caps back (a piece paying the prompt again), or stayed empty until the window turned when it was
 * smaller than any piece worth a call. A join adds no call and no prompt: the lines moved are lines
 * the batch behind would have sent under its own prompt anyway, which it still pays once for the rest
 * (measured, docs/scheduler.md: 509 → 486 and 613 → 569 requests for the same files at small quotas).
 *
 * The joint call is a job of its own; its one answer is read into both results — each part keeps the
 * findings of its own files (BatchResult.parts), and the call's usage is shared by code size, so the
 * run's budget charges it once.
 */
import { renderBatchPrompt } from '../contract';
import { estimatePromptTokens } from '../plan/estimate';
import type { BatchFile } from '../plan/types';
import type { ChargedResponse, TokenUsage } from '../providers/provider';
import type { Job, JobOutcome } from './job';
import { cutToFit, MIN_FILL_LINES_TOKENS, type Cut } from './split';
import type { BatchResult } from './types';

/**
 * Whether the first lines of `next` may ride along with `head`: both read in parts, neither tried,
 * cut or capped yet, the same run (signal) and no run budget asking before each call (a joint call
 * would be admitted for one batch and charged to two).
 */
export function joinable(head: Job, next: Job): boolean {
  const fresh = (j: Job) => j.splittable === true && !j.done && !j.pieces && !j.capOverride && !j.admit;
  return fresh(head) && fresh(next) && next.attempts === 0 && head.signal === next.signal;
}

/** The cut of `next` whose first piece, sent with all of `head`'s files, still `fits`. */
export function joinCut(head: Job, next: Job, fits: (files: BatchFile[]) => boolean): Cut | undefined {
  return cutToFit(next.batch.files, (piece) => fits([...head.batch.files, ...piece]), MIN_FILL_LINES_TOKENS);
}

/**
 * One job for `head` and `piece` (the first piece of the batch behind it): its prompt rendered once
 * for both, its result split back into theirs and ended with `end`.
 */
export function jointJob(head: Job, piece: Job, system: string, instructions: string | undefined, end: (job: Job, outcome: JobOutcome) => void): Job {
  const files = [...head.batch.files, ...piece.batch.files];
  const prompt = renderBatchPrompt(files, instructions);
  const input = estimatePromptTokens(system, prompt);
  const share = head.bytes / Math.max(1, head.bytes + piece.bytes);
  const joint: Job = {
    // The head's id: the run that owns the head owns the call (the same signal, so the same run).
    batch: { ...head.batch, files, estInputTokens: input },
    seq: head.seq,
    bytes: head.bytes + piece.bytes,
    input,
    prompt,
    signal: head.signal,
    admit: undefined,
    resolve: (result) => {
      const outcomes = outcomesOf(result, [head.batch.files, piece.batch.files], share);
      [head, piece].forEach((part, i) => {
        part.attempts += result.attempts;
        part.reasons.push(...result.reasons);
        end(part, outcomes[i]!);
      });
    },
    done: false,
    model: head.model,
    attempts: 0,
    reasons: [`sent with the first ${piece.batch.files.length} file(s)/range(s) of ${piece.batch.id} to fill ${head.model}'s window`],
    throttles: 0,
    transient: new Map(head.transient),
    // Its batch-finished is its parts'; it is never cut or joined again.
    parent: head,
  };
  head.joint = joint;
  piece.joint = joint;
  return joint;
}

type Usages = Pick<ChargedResponse, 'usage' | 'batchUsage'>;

/**
 * The parts' outcomes of the joint call: a failure is both parts'; an answer is read by each part for
 * its own files (the findings of the other part's files are not its: findings/normalize drops them),
 * with the head's `share` of the usage and the rest for the piece.
 */
function outcomesOf(result: BatchResult, files: [BatchFile[], BatchFile[]], share: number): JobOutcome[] {
  if (result.status !== 'ok') {
    const { batchId: _id, attempts: _a, reasons: _r, ...outcome } = result;
    return [outcome, outcome];
  }
  return splitUsage(result.response, share).map((usages, i) => {
    const response = { ...result.response, ...usages };
    return { status: 'ok', model: result.model, response, parts: [{ files: files[i]!, model: result.model, response }] };
  });
}

/** The call's usage as the head's `share` and the piece's rest of every count (the two add up to the whole). */
export function splitUsage(response: Usages, share: number): [Usages, Usages] {
  const [usage, rest] = splitCounts(response.usage, share);
  const [batchUsage, batchRest] = splitCounts(response.batchUsage, share);
  return [{ usage, batchUsage }, { usage: rest, batchUsage: batchRest }];
}

function splitCounts(usage: TokenUsage, share: number): [TokenUsage, TokenUsage] {
  const head: TokenUsage = { inputTokens: Math.round(usage.inputTokens * share), outputTokens: Math.round(usage.outputTokens * share) };
  const rest: TokenUsage = { inputTokens: usage.inputTokens - head.inputTokens, outputTokens: usage.outputTokens - head.outputTokens };
  for (const k of ['cacheReadInputTokens', 'cacheWriteInputTokens'] as const) {
    const n = usage[k];
    if (n === undefined) continue;
    head[k] = Math.round(n * share);
    rest[k] = n - head[k];
  }
  return [head, rest];
}
