/**
 * Cutting a queued batch in two along its file boundaries (and, for a single file or chunk, along
 * its lines) so that the first piece fits a limit: the room left in a model's window (filling it),
 * or the KB/token limits of a model it would spill to (re-packing). Line numbers and the file's hash
 * stay with every piece, so findings point at the right lines and the cache keys do not change.
 */
import { chunkFile } from '../plan/chunk';
import { estimateTokens } from '../contract';
import type { BatchFile } from '../plan/types';

/**
 * A piece carries at least this many tokens of code: below it the call is mostly system prompt,
 * tool spec and minimum output cap, and costs more than the room it fills is worth.
 */
export const MIN_PIECE_CODE_TOKENS = 500;
/**
 * The room a piece of whole files leaves is filled with the first lines of the next file when it holds
 * at least this many tokens of them. Files here average ~1,700 tokens, and a piece of whole files only
 * left up to one file of room empty beside it: at small quotas that was most of what a window lost.
 */
export const MIN_FILL_LINES_TOKENS = 200;

/** UTF-8 bytes of the files' text (what the per-batch KB limits count). */
export const bytesOf = (files: readonly BatchFile[]) => files.reduce((s, f) => s + Buffer.byteLength(f.text, 'utf8'), 0);

export interface Cut {
  piece: BatchFile[];
  rest: BatchFile[];
}

const codeTokens = (files: readonly BatchFile[]) => files.reduce((s, f) => s + estimateTokens(f.text), 0);

/**
 * The largest prefix of `files` for which `fits` holds, filled with the first lines of the next file
 * that still fit (MIN_FILL_LINES_TOKENS), and the rest (never empty); when not even the first file
 * fits, the first lines of it that do. Undefined when no piece of at least MIN_PIECE_CODE_TOKENS
 * fits, or when there is nothing to cut (one line).
 */
export function cutToFit(files: readonly BatchFile[], fits: (piece: BatchFile[]) => boolean, minPieceTokens = MIN_PIECE_CODE_TOKENS): Cut | undefined {
  let n = 0;
  while (n < files.length - 1 && fits(files.slice(0, n + 1))) n++;
  const prefix = files.slice(0, n);
  if (n > 0 && codeTokens(prefix) >= minPieceTokens) {
    const fill = linesOf(files[n]!, (piece) => fits([...prefix, ...piece]), MIN_FILL_LINES_TOKENS);
    return fill ? { piece: [...prefix, fill.head], rest: [...fill.tail, ...files.slice(n + 1)] } : { piece: prefix, rest: files.slice(n) };
  }
  // The whole files that fit are too few to be worth a call (or none fits): add the first lines of the
  // next file that still fit. Small files before a large one otherwise kept the batch whole, however
  // far above the room it was (a quota learned far below the configured one could never be met).
  const next = files[n];
  if (!next) return undefined;
  const lines = linesOf(next, (piece) => fits([...prefix, ...piece]), Math.max(1, minPieceTokens - codeTokens(prefix)));
  return lines && codeTokens([...prefix, lines.head]) >= minPieceTokens ? { piece: [...prefix, lines.head], rest: [...lines.tail, ...files.slice(n + 1)] } : undefined;
}

/** The first lines of `file` that fit (as large as fits, found by bisection), and the lines after them. */
function linesOf(file: BatchFile, fits: (piece: BatchFile[]) => boolean, minPieceTokens: number): { head: BatchFile; tail: BatchFile[] } | undefined {
  const cutAt = (maxTokens: number) => {
    const chunks = chunkFile({ path: file.path, text: file.text, hash: file.hash }, { maxBytes: file.bytes, maxTokens });
    if ('reason' in chunks || chunks.length < 2) return undefined;
    // chunkFile writes every line range with \n endings; the rest is the ranges after the first.
    const head = relocate(file, chunks[0]!, 0);
    const tailText = chunks.slice(1).map((c) => c.text).join('');
    const tail = relocate(file, { ...chunks[1]!, text: tailText }, 1);
    return { head, tail: [tail] };
  };
  let lo = minPieceTokens;
  let hi = estimateTokens(file.text);
  let best: ReturnType<typeof cutAt>;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const cut = cutAt(mid);
    if (cut && fits([cut.head])) {
      best = cut;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best && codeTokens([best.head]) >= minPieceTokens ? best : undefined;
}

/** A line range of `file` as a BatchFile: original line numbers, the file's hash, a chunk label. */
function relocate(file: BatchFile, part: BatchFile, index: number): BatchFile {
  const firstLine = (file.firstLine ?? 1) + (part.firstLine ?? 1) - 1;
  // `...file` keeps what the change layout adds to an excerpt (its marked lines, its CHANGE block: contract/prompt.ts).
  return { ...file, path: file.path, text: part.text, firstLine, bytes: Buffer.byteLength(part.text, 'utf8'), hash: file.hash, chunk: file.chunk ?? { index, count: 2 } };
}
