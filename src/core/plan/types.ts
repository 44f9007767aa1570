import type { Lane } from '../types';

/** One file (or one chunk of a large file) inside a batch. */
export interface BatchFile {
  path: string;
  /** Redacted text, as it goes into the prompt. */
  text: string;
  /** Line of the original file where `text` starts, for chunks of a large file (1 when absent). */
  firstLine?: number;
  /** UTF-8 bytes of `text`. */
  bytes: number;
  /** sha256 of the whole (redacted) file; every chunk of a file carries the file's hash. */
  hash: string;
  /** Set when a file was too large for one batch and was cut into line ranges. */
  chunk?: { index: number; count: number };
}

/** A unit of work for one model call. */
export interface Batch {
  id: string;
  files: BatchFile[];
  /** The model routing chose (by complexity, or forced); the dispatcher may move it (spillover, fallback). */
  preferredModel: string;
  lane: Lane;
  /** Input tokens of the whole request (system prompt, rendered files, tool spec), by the shared estimate. */
  estInputTokens: number;
  /** Highest complexity score among the batch's groups. */
  score: number;
  /** Why it went to preferredModel, e.g. `score 0.82 ≥ minComplexity 0.7 of us.amazon.nova-pro-v1:0`. */
  reason: string;
}
