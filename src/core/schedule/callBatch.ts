/**
 * One batch through the dispatcher, with the run's budget as its admission check, and its answer read
 * into findings per file (callAnswer.ts). What the answer's stop reason leads to is decided here:
 * - a malformed answer (or `malformed_tool_use` / `malformed_model_output`) is asked once more, then
 *   the batch's files fail with the reason;
 * - `model_context_window_exceeded`: the batch is split into halves along file/chunk boundaries and
 *   each half is retried (a batch of one file or chunk that still does not fit fails with it);
 * - `content_filtered` / `guardrail_intervened`: the files fail with that reason, never silently;
 * - `max_tokens` with a well-formed answer (after the dispatcher's cap growth): the files are
 *   analyzed, marked partial;
 * - `max_tokens` at the largest cap with an answer cut mid-JSON (a file with more findings than the
 *   model may write): split like a context overflow — fewer files or lines, fewer findings per answer
 *   — down to pieces of OUTPUT_PIECE_TOKENS; below that the file fails with `output-exceeded`.
 * The engine hands batches in and gets per-file outcomes back.
 */
import type { Batch } from '../plan/types';
import { priceRatio } from '../providers/serviceTier';
import type { OutcomeCode, SourceFile } from '../types';
import { combine, readAnswer, type Attempt, type FileText } from './callAnswer';
import { halves, linesOf, merge, OUTPUT_PIECE_TOKENS, type FileDispatch } from './callOverflow';
import type { Dispatcher } from './dispatcher';
import { promptTokensOf } from './calibration';
import { MIN_PIECE_CODE_TOKENS } from './split';
import type { BatchResult } from './types';

export type { FileDispatch } from './callOverflow';

export interface Dispatched {
  /** The dispatcher's result of the batch (the first half's after a split), for routing records. */
  result: BatchResult;
  /** Every distinct path of the batch, once. */
  files: Map<string, FileDispatch>;
}

/** The run's budget as the call stage uses it (engine/budget.ts is one); structural, so schedule/ does not import the engine. */
export interface RunBudget {
  readonly limited: boolean;
  /** `modelId` undefined: the call's model is not known (the budget assumes the dearest). */
  /** `keep`: the call may have been charged without a usage seen; its reservation counts as spent. */
  reserve(modelId: string | undefined, inputTokens: number, outputCap?: number): { release: () => void; keep?: () => void } | { reason: string; settling?: Promise<void> };
  charge(modelId: string, inputTokens: number, outputTokens: number, priceRatio?: number): void;
  /** A call reserved for `reservedFor` input tokens (the dispatcher's count) that the service counted `reported`. */
  observeInput?(modelId: string, reservedFor: number, reported: number): void;
}

type Submitter = Pick<Dispatcher, 'submit'>;

/** Submits a batch; see the header for what each kind of answer leads to. */
export async function dispatchWithRetry(dispatcher: Submitter, batch: Batch, budget: RunBudget, signal: AbortSignal | undefined, byPath: ReadonlyMap<string, SourceFile>): Promise<Dispatched> {
  const texts = [...new Set(batch.files.map((f) => f.path))].map((path) => ({ path, text: byPath.get(path)!.text }));
  let attempt = await submitOnce(dispatcher, batch, budget, signal, texts);
  if (attempt.kind === 'malformed') {
    if (signal?.aborted) return everyFile(batch, { kind: 'skipped', reason: 'cancelled', code: 'cancelled' }, attempt.result);
    attempt = await submitOnce(dispatcher, { ...batch, id: `${batch.id}-again` }, budget, signal, texts);
  }
  if (attempt.kind === 'too-large') return splitAndRetry(dispatcher, batch, budget, signal, byPath, attempt);
  if (attempt.kind === 'ok') {
    const { model, byFile, partial, result } = attempt;
    const files = new Map<string, FileDispatch>();
    for (const { path } of texts) {
      const why = partial.get(path);
      files.set(path, { kind: 'ok', model, findings: byFile.get(path) ?? [], ...(why ? { partial: why } : {}) });
    }
    return { result, files };
  }
  return everyFile(batch, { kind: attempt.kind === 'malformed' ? 'failed' : attempt.kind, reason: attempt.reason, code: attempt.code }, attempt.result);
}

function everyFile(batch: Batch, outcome: FileDispatch, result: BatchResult): Dispatched {
  return { result, files: new Map(batch.files.map((f) => [f.path, outcome])) };
}

async function splitAndRetry(
  dispatcher: Submitter,
  batch: Batch,
  budget: RunBudget,
  signal: AbortSignal | undefined,
  byPath: ReadonlyMap<string, SourceFile>,
  attempt: { reason: string; code: OutcomeCode; result: BatchResult },
): Promise<Dispatched> {
  if (signal?.aborted) return everyFile(batch, { kind: 'skipped', reason: 'cancelled', code: 'cancelled' }, attempt.result);
  // A context overflow stops at pieces worth a call; an answer too long for the output cap goes down
  // to a few lines (a file with a finding on every line), at the price of more, smaller calls.
  const pair = halves(batch, attempt.reason, attempt.code === 'output-exceeded' ? OUTPUT_PIECE_TOKENS : MIN_PIECE_CODE_TOKENS);
  if (!pair) {
    const reason = `${attempt.reason}, and ${linesOf(batch)} cannot be split further`;
    return everyFile(batch, { kind: 'failed', reason, code: attempt.code }, attempt.result);
  }
  const parts = await Promise.all(pair.map((h) => dispatchWithRetry(dispatcher, h, budget, signal, byPath)));
  const files = new Map<string, FileDispatch>();
  for (const part of parts) for (const [path, outcome] of part.files) files.set(path, merge(files.get(path), outcome));
  const first = parts[0]!.result;
  return { result: { ...first, reasons: [...attempt.result.reasons, `${attempt.reason}: split into halves`, ...first.reasons] }, files };
}

async function submitOnce(dispatcher: Submitter, batch: Batch, budget: RunBudget, signal: AbortSignal | undefined, texts: FileText[]): Promise<Attempt> {
  // Every call the dispatcher starts for this batch — the first, a retry after a throttle or a
  // truncation (its larger cap), each piece of a cut batch — reserves what it may charge: input +
  // cap. The earlier calls' reservations stay held until their charges land below (the batch's
  // answered calls are charged together), so a truncated call's input + cap and its retry's are both
  // covered, and a retry that does not fit beside them is not made (skipped with the reason).
  const held: { release: () => void; keep?: () => void }[] = [];
  const releaseAll = () => held.splice(0).forEach((r) => r.release());
  let settling: Promise<void> | undefined;
  /** The input the last call was reserved for, to learn how far the service counts above it. */
  let lastInput: number | undefined;
  const admit = (outputCap?: number, inputTokens?: number, modelId?: string) => {
    // The input as the model counts it when the dispatcher knows (calibrated), else the plan's
    // estimate; the model the call goes to when the dispatcher says (a fallback may go elsewhere).
    const input = inputTokens ?? batch.estInputTokens;
    const r = budget.reserve(modelId, input, outputCap);
    if ('reason' in r) {
      settling = r.settling;
      return r.reason;
    }
    held.push(r);
    lastInput = input;
    return undefined;
  };
  // split: the answer is read piece by piece below, so the dispatcher may cut the batch to fill a window or fit a model.
  const result = await dispatcher.submit(batch, { ...(signal ? { signal } : {}), ...(budget.limited ? { admit } : {}), split: true });
  // A result that is not ok reports no usage, yet calls before its last may have been answered and
  // charged (a truncated answer whose retry did not fit or failed). The last call of a failure is the
  // failure itself (never answered), a budget skip's last is the one refused; so a skip after a call,
  // a failure after two, keep their reservations as charged for the rest of the run: the budget never
  // counts less than the service may have charged. Such a batch is not asked again — it would pay
  // for those calls twice.
  const admitted = held.length;
  if (result.status !== 'ok') {
    const unanswered = result.status === 'cancelled' || (result.status === 'failed' && admitted <= 1);
    held.splice(0).forEach((r) => (unanswered ? r.release : (r.keep ?? r.release))());
  }
  // Refused before any call, only for calls still in flight: ask again once one settles (it may charge nothing).
  if (result.status === 'skipped' && settling && admitted === 0 && !signal?.aborted) {
    const wait = settling;
    await new Promise<void>((resolve) => {
      void wait.then(resolve);
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    if (!signal?.aborted) return submitOnce(dispatcher, batch, budget, signal, texts);
    return { kind: 'skipped', reason: 'cancelled', code: 'cancelled', result };
  }
  if (result.status === 'cancelled') return { kind: 'skipped', reason: 'cancelled', code: 'cancelled', result };
  // The dispatcher skips a batch only when the budget refused it; a failure carries its own code.
  if (result.status !== 'ok') return { kind: result.status, reason: result.reason, code: result.status === 'failed' ? result.code : 'budget', result };
  // What the dispatcher settled the quota to (the reservation when usage was missing or implausible),
  // for every answered call of the batch: those cut at max_tokens and asked again cost tokens too.
  // A batch the dispatcher cut (submit's `split`) is charged and read piece by piece.
  const parts = result.parts ?? [{ files: batch.files, model: result.model, response: result.response }];
  const read: Attempt[] = [];
  for (const part of parts) {
    budget.charge(part.model, part.response.batchUsage.inputTokens, part.response.batchUsage.outputTokens, priceRatio(part.response.serviceTier));
    const paths = new Set(part.files.map((f) => f.path));
    read.push(readAnswer(part.model, part.response, texts.filter((t) => paths.has(t.path)), result));
  }
  // The last call's answer against what it was reserved for (not for a cut batch: its pieces share
  // this admit, so which reservation was whose is not known).
  if (!result.parts && lastInput !== undefined) budget.observeInput?.(result.model, lastInput, promptTokensOf(result.response.usage));
  releaseAll();
  return combine(read, result);
}
