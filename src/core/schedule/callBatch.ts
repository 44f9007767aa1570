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
  reserve(modelId: string, estInputTokens: number, outputCap?: number): { release: () => void } | { reason: string; settling?: Promise<void> };
  charge(modelId: string, inputTokens: number, outputTokens: number, priceRatio?: number): void;
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
  let release: (() => void) | undefined;
  let settling: Promise<void> | undefined;
  // The dispatcher asks before each call it starts, with the call's output cap: the budget holds
  // input + cap, what the call may charge. A batch it retries after a throttle stays admitted.
  const admit = (outputCap?: number, inputTokens?: number) => {
    if (release) return undefined;
    // The input as the model counts it when the dispatcher knows (calibrated), else the plan's estimate.
    const r = budget.reserve(batch.preferredModel, inputTokens ?? batch.estInputTokens, outputCap);
    if ('reason' in r) {
      settling = r.settling;
      return r.reason;
    }
    release = r.release;
    return undefined;
  };
  // split: the answer is read piece by piece below, so the dispatcher may cut the batch to fill a window or fit a model.
  const result = await dispatcher.submit(batch, { ...(signal ? { signal } : {}), ...(budget.limited ? { admit } : {}), split: true });
  release?.();
  // Refused only for calls still in flight: ask again once one settles (it may charge nothing).
  if (result.status === 'skipped' && settling && !signal?.aborted) {
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
  return combine(read, result);
}
