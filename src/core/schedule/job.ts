/** A batch's life inside the dispatcher, from submit to its one result. */
import { renderBatchPrompt } from '../contract';
import type { OutcomeCode } from '../outcome';
import { estimatePromptTokens } from '../plan/estimate';
import type { Batch } from '../plan/types';
import type { ChargedResponse } from '../providers/provider';
import type { QueueEntry } from './modelQueue';
import type { BatchPart, BatchResult } from './types';

export interface Job {
  readonly batch: Batch;
  readonly seq: number;
  readonly bytes: number;
  /** Input tokens of the request, the same on every model (same prompt). */
  readonly input: number;
  readonly prompt: string;
  readonly signal: AbortSignal | undefined;
  /**
   * The run's budget check before each call, told the call's output cap and its input as this model
   * counts it (calibrated): what it may charge.
   */
  readonly admit: ((outputCap: number, inputTokens: number) => string | undefined) | undefined;
  readonly resolve: (result: BatchResult) => void;
  done: boolean;
  /** Model it is queued on, running on, or last ran on. */
  model: string;
  attempts: number;
  reasons: string[];
  throttles: number;
  /** Transient failures per model. */
  transient: Map<string, number>;
  /** What the batch's answered calls were charged so far (ChargedResponse.batchUsage). */
  answered?: { inputTokens: number; outputTokens: number };
  /** Output cap raised after a `max_tokens` stop, for the model that stopped. */
  capOverride?: { model: string; cap: number };
  /** The caller takes the result in parts (BatchResult.parts), so the batch may be cut (split.ts). */
  splittable?: boolean;
  /** Set on a piece of a cut batch: the job whose result it is part of. */
  parent?: Job;
  /** Set on a cut batch: its two pieces, which run as jobs of their own. */
  pieces?: Job[];
  /** Set on a head and the piece sent with it in one call (joint.ts): that call's job. */
  joint?: Job;
  /** Times an idle model took it: at most MAX_STEALS, so two models cannot pass it back and forth. */
  steals?: number;
  /** Set while queued. */
  entry?: QueueEntry;
  /** Set while a call is in flight. */
  call?: AbortController;
  /** Set while backing off before a retry. */
  backoff?: AbortController;
  detach?: () => void;
}

/** How a job ends (Dispatcher.end), once. */
export type JobOutcome =
  | { status: 'ok'; model: string; response: ChargedResponse; parts?: BatchPart[] }
  | { status: 'failed'; reason: string; model?: string; code: OutcomeCode }
  | { status: 'skipped' | 'cancelled'; reason: string; model?: string };

/** What Dispatcher.submit takes beside the batch. */
export interface SubmitOptions {
  signal?: AbortSignal;
  admit?: (outputCap: number, inputTokens: number) => string | undefined;
  split?: boolean;
}

/** The job for a submitted batch: its prompt rendered and its input estimated once (none when `problem`). */
export function newJob(batch: Batch, problem: string | undefined, seq: number, options: SubmitOptions, system: string, instructions: string | undefined, resolve: (result: BatchResult) => void): Job {
  const files = problem ? [] : batch.files;
  // Rendered once: the request sends this prompt, and the estimate is of this same text.
  const prompt = problem ? '' : renderBatchPrompt(files, instructions);
  return {
    batch, seq, bytes: files.reduce((s, f) => s + Buffer.byteLength(f.text, 'utf8'), 0),
    input: problem ? 0 : estimatePromptTokens(system, prompt),
    prompt,
    signal: options.signal, admit: options.admit, resolve, done: false,
    model: problem ? '' : batch.preferredModel, attempts: 0, reasons: [], throttles: 0, transient: new Map(),
    splittable: options.split === true,
  };
}

export function describeJob(job: Job): string {
  return `${job.batch.id} (${job.batch.files.length} file(s), ~${job.input} input tokens)`;
}

/** Why a submitted value cannot be a batch, or undefined when it can. */
export function invalidBatch(batch: unknown): string | undefined {
  if (typeof batch !== 'object' || batch === null) return `expected a batch object, got ${String(batch)}`;
  const b = batch as Partial<Batch>;
  if (typeof b.id !== 'string' || b.id === '') return 'expected batch.id to be a non-empty string';
  if (!Array.isArray(b.files) || b.files.length === 0) return `batch ${b.id}: expected a non-empty files array`;
  if (typeof b.preferredModel !== 'string') return `batch ${b.id}: expected preferredModel to be a model id`;
  if (b.lane !== 'interactive' && b.lane !== 'background') return `batch ${b.id}: expected lane "interactive" or "background", got ${String(b.lane)}`;
  for (const f of b.files) {
    if (typeof f?.path !== 'string' || typeof f.text !== 'string') return `batch ${b.id}: expected every file to have a path and a text`;
  }
  return undefined;
}

/** Resolves or rejects with `promise`, or rejects with the signal's reason as soon as it aborts. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        // Passed through as thrown: classifyError makes sense of whatever it is.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        reject(e);
      },
    );
  });
}
