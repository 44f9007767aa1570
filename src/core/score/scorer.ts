/**
 * The Scorer: memo → worker pool → import resolution → groups.
 *
 * Incremental by construction: per-file analyses are memoised by content hash (and language, and
 * size, which decide how a file is parsed), so scoring the workspace again after one edit parses
 * only that file; resolving imports and grouping are cheap graph work redone every time.
 */
import { createHash } from 'node:crypto';
import { buildGroups } from './graph/buildGroups';
import { ImportResolver } from './imports/resolveImports';
import { WorkspaceIndex } from './imports/workspaceIndex';
import { extensionOf } from './lang/languages';
import { AnalysisPool } from './pool/analysisPool';
import { defaultWorkerScript } from './pool/workerScript';
import { resolveScorerOptions } from './options';
import type { FileAnalysis, FileMetrics, ScoreInput, ScoreResult, Scorer, ScorerOptions } from './types';

/** Yield to the event loop this often so that scoring never stalls the caller's thread for long. */
const YIELD_EVERY_MS = 10;

function yieldNow(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Runs `step` for each item, yielding to the event loop whenever a slice takes longer than 10 ms. */
async function eachSliced<T>(items: readonly T[], step: (item: T, index: number) => void, signal?: AbortSignal): Promise<void> {
  let sliceStart = performance.now();
  for (let i = 0; i < items.length; i++) {
    step(items[i]!, i);
    if (performance.now() - sliceStart > YIELD_EVERY_MS) {
      await yieldNow();
      signal?.throwIfAborted();
      sliceStart = performance.now();
    }
  }
}

function memoKey(file: ScoreInput): string {
  const hash = file.hash ?? createHash('sha1').update(file.text).digest('base64');
  return `${extensionOf(file.path)}:${file.bytes}:${hash}`;
}

function summarize(path: string, bytes: number, analysis: FileAnalysis, imports: string[]): FileMetrics {
  const complexities = analysis.functions.map((f) => f.cyclomatic);
  const metrics: FileMetrics = {
    path,
    language: analysis.language,
    loc: analysis.loc,
    bytes,
    imports,
    functions: analysis.functions,
    maxComplexity: Math.max(0, ...complexities),
    meanComplexity: complexities.length ? Math.round((complexities.reduce((a, b) => a + b, 0) / complexities.length) * 100) / 100 : 0,
  };
  if (analysis.note) metrics.note = analysis.note;
  return metrics;
}

export function createScorer(options: ScorerOptions = {}): Scorer {
  const { workers, timeoutMsPerFile, maxGroupSize, maxGroupBytes, maxParseBytes, memoEntries, workerScript } = resolveScorerOptions(options);
  const limits = { maxFiles: maxGroupSize, maxBytes: maxGroupBytes };
  const analyze = { timeoutMs: timeoutMsPerFile, maxParseBytes };
  const memo = new Map<string, FileAnalysis>();
  let pool: AnalysisPool | undefined;

  const getPool = () =>
    (pool ??= new AnalysisPool({
      size: workers,
      script: workerScript ?? defaultWorkerScript(),
      analyze,
      // The in-worker budget cuts off slow parses gracefully; the watchdog is the hard stop behind it.
      watchdogMs: 2 * timeoutMsPerFile + 1000,
    }));

  async function score(files: ScoreInput[], signal?: AbortSignal): Promise<ScoreResult> {
    signal?.throwIfAborted();
    const keys = new Array<string>(files.length);
    const misses: number[] = [];
    const missing = new Set<string>();
    await eachSliced(files, (file, i) => {
      const key = (keys[i] = memoKey(file));
      // Identical copies in one call are parsed once.
      if (!memo.has(key) && !missing.has(key)) {
        missing.add(key);
        misses.push(i);
      }
    }, signal);

    const fresh = await getPool().run(misses.map((i) => files[i]!), signal);
    fresh.forEach((analysis, n) => memo.set(keys[misses[n]!]!, analysis));

    const index = new WorkspaceIndex(files.map((f) => f.path));
    const goMods = files.filter((f) => f.path === 'go.mod' || f.path.endsWith('/go.mod'));
    const resolver = new ImportResolver(index, goMods);
    const metrics = new Array<FileMetrics>(files.length);
    await eachSliced(files, (file, i) => {
      const analysis = memo.get(keys[i]!)!;
      // Refresh recency: the memo is an LRU in Map insertion order.
      memo.delete(keys[i]!);
      memo.set(keys[i]!, analysis);
      metrics[i] = summarize(file.path, file.bytes, analysis, resolver.resolveAll(file.path, analysis.rawImports));
    }, signal);
    for (const key of memo.keys()) {
      if (memo.size <= memoEntries) break;
      memo.delete(key);
    }
    await yieldNow();
    return { files: metrics, groups: buildGroups(metrics, limits), stats: { parsed: misses.length, reused: files.length - misses.length } };
  }

  return {
    score,
    dispose() {
      pool?.dispose();
      pool = undefined;
    },
  };
}
