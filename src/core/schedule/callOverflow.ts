/**
 * A batch too large for one answer (a context overflow, or an answer cut mid-JSON at the largest
 * output cap): how it is halved, how a failure names the piece it is about, and how the halves'
 * per-file outcomes come back together. callBatch.ts decides when.
 */
import { estimateTokens } from '../contract';
import { estimateRequestTokens } from '../plan/estimate';
import type { Batch } from '../plan/types';
import type { Finding, OutcomeCode } from '../types';
import { cutToFit } from './split';

/** How one file of the batch left it. */
export type FileDispatch =
  | { kind: 'ok'; model: string; findings: Finding[]; partial?: string }
  | { kind: 'failed' | 'skipped'; reason: string; code: OutcomeCode };

/** Smallest piece (code tokens, ≈ 5–10 lines) an answer too long for the output cap is cut down to. */
export const OUTPUT_PIECE_TOKENS = 60;

/**
 * Halves of a batch along its file/chunk entries, or of its one file or chunk along its lines (line
 * numbers kept); each carries its own input estimate. Undefined when nothing is left to cut.
 */
export function halves(batch: Batch, why: string, minPieceTokens: number): [Batch, Batch] | undefined {
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

/** `lines 120–151 of a.js`, or `a.js` for a whole file: the piece a failure is about. */
export function linesOf(batch: Batch): string {
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
export function merge(a: FileDispatch | undefined, b: FileDispatch): FileDispatch {
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
