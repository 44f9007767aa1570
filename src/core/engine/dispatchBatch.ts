/**
 * One batch through the dispatcher, with the run's budget as its admission check, and its answer
 * parsed into findings by the shared contract. What the answer's stop reason means is decided here:
 * - a malformed answer (or `malformed_tool_use` / `malformed_model_output`) is asked once more, then
 *   the batch's files fail with the reason;
 * - `model_context_window_exceeded`: the batch is split into halves along file/chunk boundaries and
 *   each half is retried (a batch of one file or chunk that still does not fit fails with it);
 * - `content_filtered` / `guardrail_intervened`: the files fail with that reason, never silently;
 * - `max_tokens` with a well-formed answer (after the dispatcher's cap growth): the files are
 *   analyzed, marked partial;
 * - `max_tokens` at the largest cap with an answer cut mid-JSON (a file with more findings than the
 *   model may write): split like a context overflow — fewer files or lines, fewer findings per answer
 *   — down to pieces of MIN_PIECE_CODE_TOKENS; below that the file fails with `output-exceeded`.
 */
import type { Batch } from '../plan';
import { estimateRequestTokens } from '../plan/estimate';
import type { ChargedResponse } from '../providers/provider';
import { priceRatio } from '../providers/serviceTier';
import type { BatchResult, Dispatcher } from '../schedule';
import { estimateTokens } from '../contract';
import { cutToFit, MIN_PIECE_CODE_TOKENS } from '../schedule/split';
import { parseBatchFindings } from '../findings';
import type { Finding, OutcomeCode, SourceFile } from '../types';
import type { Budget } from './budget';

/** How one file of the batch left it. */
export type FileDispatch =
  | { kind: 'ok'; model: string; findings: Finding[]; partial?: string }
  | { kind: 'failed' | 'skipped'; reason: string; code: OutcomeCode };

export interface Dispatched {
  /** The dispatcher's result of the batch (the first half's after a split), for routing records. */
  result: BatchResult;
  /** Every distinct path of the batch, once. */
  files: Map<string, FileDispatch>;
}

const BLOCKED = new Set(['content_filtered', 'guardrail_intervened']);
const MALFORMED = new Set(['malformed_tool_use', 'malformed_model_output']);
const CONTEXT_EXCEEDED = 'model_context_window_exceeded';
/** Smallest piece (code tokens, ≈ 5–10 lines) an answer too long for the output cap is cut down to. */
const OUTPUT_PIECE_TOKENS = 60;

type Attempt =
  | { kind: 'ok'; model: string; byFile: Map<string, Finding[]>; partial: Map<string, string>; result: BatchResult }
  | { kind: 'failed' | 'skipped' | 'malformed' | 'too-large'; reason: string; code: OutcomeCode; result: BatchResult };

/** Submits a batch; see the header for what each kind of answer leads to. */
export async function dispatchWithRetry(
  dispatcher: Pick<Dispatcher, 'submit'>,
  batch: Batch,
  budget: Budget,
  signal: AbortSignal | undefined,
  byPath: ReadonlyMap<string, SourceFile>,
): Promise<Dispatched> {
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

/**
 * Halves of a batch along its file/chunk entries, or of its one file or chunk along its lines (line
 * numbers kept); each carries its own input estimate. Undefined when nothing is left to cut.
 */
function halves(batch: Batch, why: string, minPieceTokens: number): [Batch, Batch] | undefined {
  const half = (files: Batch['files'], n: number): Batch => ({
    ...batch,
    id: `${batch.id}-h${n}`,
    files,
    estInputTokens: estimateRequestTokens(files),
    reason: `half ${n} of ${batch.id}: ${why}`,
  });
  if (batch.files.length >= 2) {
    const mid = Math.ceil(batch.files.length / 2);
    return [half(batch.files.slice(0, mid), 1), half(batch.files.slice(mid), 2)];
  }
  // By the code's own tokens: the prompt and tool spec every request carries do not halve.
  const code = (files: Batch['files']) => files.reduce((sum, f) => sum + estimateTokens(f.text), 0);
  const size = code(batch.files);
  const cut = cutToFit(batch.files, (piece) => code(piece) <= size / 2, minPieceTokens);
  return cut ? [half(cut.piece, 1), half(cut.rest, 2)] : undefined;
}

async function splitAndRetry(
  dispatcher: Pick<Dispatcher, 'submit'>,
  batch: Batch,
  budget: Budget,
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

/** `lines 120–151 of a.js`, or `a.js` for a whole file: the piece a failure is about. */
function linesOf(batch: Batch): string {
  const [f] = batch.files;
  if (!f || batch.files.length > 1) return `a batch of ${batch.files.length} files`;
  const first = f.firstLine ?? 1;
  const last = first + f.text.split('\n').length - (f.text.endsWith('\n') ? 2 : 1);
  return f.firstLine === undefined && !f.chunk ? f.path : `lines ${first}–${last} of ${f.path}`;
}

/**
 * Two chunks of one file in different halves: a failure outranks a skip, which outranks findings —
 * except a piece whose answer did not fit the output cap: the file keeps the other pieces' findings,
 * marked partial with the lines that are missing.
 */
function merge(a: FileDispatch | undefined, b: FileDispatch): FileDispatch {
  if (!a) return b;
  type Overflow = Exclude<FileDispatch, { kind: 'ok' }>;
  const overflowed = (d: FileDispatch): d is Overflow => d.kind === 'failed' && d.code === 'output-exceeded';
  const missing = (ok: Extract<FileDispatch, { kind: 'ok' }>, lost: Overflow): FileDispatch => ({ ...ok, partial: [ok.partial, lost.reason].filter(Boolean).join('; ') });
  if (a.kind === 'ok' && overflowed(b)) return missing(a, b);
  if (b.kind === 'ok' && overflowed(a)) return missing(b, a);
  if (a.kind === 'failed' || (a.kind === 'skipped' && b.kind !== 'failed')) return a;
  if (a.kind !== 'ok' || b.kind !== 'ok') return b;
  const partial = [a.partial, b.partial].filter(Boolean).join('; ');
  const model = a.model === b.model ? a.model : `${a.model}, ${b.model}`;
  return { kind: 'ok', model, findings: [...a.findings, ...b.findings], ...(partial ? { partial } : {}) };
}

async function submitOnce(
  dispatcher: Pick<Dispatcher, 'submit'>,
  batch: Batch,
  budget: Budget,
  signal: AbortSignal | undefined,
  texts: { path: string; text: string }[],
): Promise<Attempt> {
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

/** One answer's findings per file, or why the answer is not usable. */
function readAnswer(model: string, response: ChargedResponse, texts: { path: string; text: string }[], result: BatchResult): Attempt {
  const stop = response.stopReason;
  if (BLOCKED.has(stop)) return { kind: 'failed', reason: `the answer was blocked (${stop} from ${model})`, code: 'content-filtered', result };
  if (MALFORMED.has(stop)) return { kind: 'malformed', reason: `the model stopped with ${stop} (from ${model})`, code: 'malformed-output', result };
  if (stop === CONTEXT_EXCEEDED) return { kind: 'too-large', reason: `${CONTEXT_EXCEEDED} from ${model}`, code: 'context-exceeded', result };
  const parsed = parseBatchFindings(response, texts, model);
  // Cut mid-answer at the largest cap (the dispatcher grew it first): asking again gets the same cut; fewer files or lines do not.
  if (!parsed.ok && stop === 'max_tokens') return { kind: 'too-large', reason: `the answer did not fit ${model}'s largest output cap (max_tokens)`, code: 'output-exceeded', result };
  if (!parsed.ok) return { kind: 'malformed', reason: `${parsed.reason} (from ${model})`, code: 'malformed-output', result };
  const partial = new Map<string, string>();
  const truncated = stop === 'max_tokens' ? `the answer stopped at ${model}'s largest output cap (max_tokens): findings may be missing` : undefined;
  for (const { path } of texts) {
    const why = [truncated, ...(parsed.notes.get(path) ?? [])].filter(Boolean).join('; ');
    if (why) partial.set(path, why);
  }
  return { kind: 'ok', model, byFile: parsed.byFile, partial, result };
}

/**
 * The pieces' answers as the batch's: the first unusable one decides for the whole batch (asked
 * again, split or failed as one answer would be), else every file's findings from every piece
 * (a file cut across pieces has findings in each).
 */
function combine(read: Attempt[], result: BatchResult): Attempt {
  const bad = read.find((a) => a.kind !== 'ok');
  if (bad || read.length === 1) return bad ?? read[0]!;
  const byFile = new Map<string, Finding[]>();
  const partial = new Map<string, string>();
  const models: string[] = [];
  for (const a of read) {
    if (a.kind !== 'ok') continue;
    if (!models.includes(a.model)) models.push(a.model);
    for (const [path, findings] of a.byFile) byFile.set(path, [...(byFile.get(path) ?? []), ...findings]);
    for (const [path, why] of a.partial) partial.set(path, partial.has(path) ? `${partial.get(path)!}; ${why}` : why);
  }
  return { kind: 'ok', model: models.join(', '), byFile, partial, result };
}
