/** Scorer options, checked at construction: a bad value fails at once with what was expected. */
import { availableParallelism } from 'node:os';
import { DEFAULT_ANALYZE_OPTIONS } from './analyzeFile';
import type { ScorerOptions } from './types';

export interface ResolvedScorerOptions {
  workers: number;
  timeoutMsPerFile: number;
  maxGroupSize: number;
  maxGroupBytes: number;
  maxParseBytes: number;
  memoEntries: number;
  workerScript: string | undefined;
}

function check(name: string, value: number, integer: boolean): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new TypeError(`createScorer: ${name} must be a positive ${integer ? 'integer' : 'number'}, got ${String(value)}`);
  }
  return value;
}

export function resolveScorerOptions(options: ScorerOptions): ResolvedScorerOptions {
  return {
    // The extension host keeps a core for the UI; the CLI passes every core explicitly.
    workers: check('workers', options.workers ?? Math.max(1, availableParallelism() - 1), true),
    timeoutMsPerFile: check('timeoutMsPerFile', options.timeoutMsPerFile ?? DEFAULT_ANALYZE_OPTIONS.timeoutMs, false),
    maxGroupSize: check('maxGroupSize', options.maxGroupSize ?? 20, true),
    maxGroupBytes: check('maxGroupBytes', options.maxGroupBytes ?? 256 * 1024, false),
    maxParseBytes: check('maxParseBytes', options.maxParseBytes ?? DEFAULT_ANALYZE_OPTIONS.maxParseBytes, false),
    memoEntries: check('memoEntries', options.memoEntries ?? 100_000, true),
    workerScript: options.workerScript,
  };
}
