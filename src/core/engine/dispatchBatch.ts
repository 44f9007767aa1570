/**
 * One batch through the dispatcher, with the run's budget as its admission check, and its answer
 * parsed into findings by the shared contract. A malformed answer is asked once more.
 */
import type { Batch } from '../plan';
import type { BatchResult, Dispatcher } from '../schedule';
import { parseBatchFindings } from '../findings';
import type { Finding, SourceFile } from '../types';
import type { Budget } from './budget';

export type Dispatched =
  | { kind: 'ok'; model: string; byFile: Map<string, Finding[]>; result: BatchResult }
  | { kind: 'failed' | 'skipped'; reason: string; result: BatchResult };

/** Submits a batch; a malformed answer is asked once more before the batch's files fail. */
export async function dispatchWithRetry(
  dispatcher: Dispatcher,
  batch: Batch,
  budget: Budget,
  signal: AbortSignal | undefined,
  byPath: ReadonlyMap<string, SourceFile>,
): Promise<Dispatched> {
  const texts = [...new Set(batch.files.map((f) => f.path))].map((path) => ({ path, text: byPath.get(path)!.text }));
  const first = await submitOnce(dispatcher, batch, budget, signal, texts);
  if (first.kind !== 'malformed') return first;
  if (signal?.aborted) return { kind: 'skipped', reason: 'cancelled', result: first.result };
  return settled(await submitOnce(dispatcher, { ...batch, id: `${batch.id}-again` }, budget, signal, texts));
}

type Attempt = Dispatched | { kind: 'malformed'; reason: string; result: BatchResult };

function settled(attempt: Attempt): Dispatched {
  return attempt.kind === 'malformed' ? { ...attempt, kind: 'failed' } : attempt;
}

async function submitOnce(
  dispatcher: Dispatcher,
  batch: Batch,
  budget: Budget,
  signal: AbortSignal | undefined,
  texts: { path: string; text: string }[],
): Promise<Attempt> {
  let release: (() => void) | undefined;
  // The dispatcher asks before each call it starts; a batch it retries after a throttle stays admitted.
  const admit = () => {
    if (release) return undefined;
    const r = budget.reserve(batch.preferredModel, batch.estInputTokens);
    if ('reason' in r) return r.reason;
    release = r.release;
    return undefined;
  };
  const result = await dispatcher.submit(batch, { ...(signal ? { signal } : {}), ...(budget.limited ? { admit } : {}) });
  release?.();
  if (result.status === 'cancelled') return { kind: 'skipped', reason: 'cancelled', result };
  if (result.status !== 'ok') return { kind: result.status, reason: result.reason, result };
  budget.charge(result.model, result.response.usage.inputTokens, result.response.usage.outputTokens);
  const parsed = parseBatchFindings(result.response, texts, result.model);
  if (parsed.ok) return { kind: 'ok', model: result.model, byFile: parsed.byFile, result };
  return { kind: 'malformed', reason: `${parsed.reason} (from ${result.model})`, result };
}
