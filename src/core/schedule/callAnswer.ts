/**
 * The call stage's reading of an answer: what its stop reason means and the findings per file,
 * parsed by the shared contract (findings/). A batch the dispatcher cut is read piece by piece and
 * combined. What each kind leads to (asked again, split, failed) is callBatch.ts's.
 */
import type { ChargedResponse } from '../providers/provider';
import { parseBatchFindings } from '../findings';
import type { Finding, OutcomeCode } from '../types';
import type { BatchResult } from './types';

const BLOCKED = new Set(['content_filtered', 'guardrail_intervened']);
const MALFORMED = new Set(['malformed_tool_use', 'malformed_model_output']);
const CONTEXT_EXCEEDED = 'model_context_window_exceeded';

/** What one submission of a batch came to, for the caller that reads it file by file. */
export type Attempt =
  | { kind: 'ok'; model: string; byFile: Map<string, Finding[]>; partial: Map<string, string>; result: BatchResult }
  | { kind: 'failed' | 'skipped' | 'malformed' | 'too-large'; reason: string; code: OutcomeCode; result: BatchResult };

/** A file's path and the text its findings are read against. */
export interface FileText {
  path: string;
  text: string;
}

/** One answer's findings per file, or why the answer is not usable. */
export function readAnswer(model: string, response: ChargedResponse, texts: FileText[], result: BatchResult): Attempt {
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
export function combine(read: Attempt[], result: BatchResult): Attempt {
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
