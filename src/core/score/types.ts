/** The scorer's plain data: what goes in, what comes out (the engine's seam). */
import type { Group } from '../types';

export interface ScoreInput {
  /** Workspace-relative, forward slashes. */
  path: string;
  text: string;
  bytes: number;
  /** Content hash if the caller has one (SourceFile.hash); saves hashing the text again. */
  hash?: string;
}

export interface FunctionMetrics {
  name: string;
  /** 1-based lines of the function's whole node. */
  startLine: number;
  endLine: number;
  cyclomatic: number;
  /** Deepest nesting of control structures inside the function (its own body only). */
  maxNesting: number;
  /** Lines, endLine − startLine + 1. */
  length: number;
  /**
   * JavaScript/TypeScript only: where ESLint reports the function (1-based line and column of the
   * "function head": the `=>` of an arrow, the key of a method or property, else the node start).
   */
  head?: { line: number; column: number };
}

export interface FileMetrics {
  path: string;
  /** 'typescript', 'tsx', 'javascript', 'python', 'go', 'java', 'rust', 'c', 'cpp', 'csharp' or 'text'. */
  language: string;
  /** Lines with code: not blank, not only comment. */
  loc: number;
  bytes: number;
  /** Resolved workspace paths this file imports. */
  imports: string[];
  functions: FunctionMetrics[];
  maxComplexity: number;
  meanComplexity: number;
  /** Why the metrics are partial or size-only, e.g. 'size-only: no parser for .md'. */
  note?: string;
}

export interface ScoreResult {
  files: FileMetrics[];
  groups: Group[];
  /** How much work this call did: files parsed now versus taken from the content-hash memo. */
  stats?: { parsed: number; reused: number };
}

export interface Scorer {
  score(files: ScoreInput[], signal?: AbortSignal): Promise<ScoreResult>;
  dispose(): void;
}

export interface ScorerOptions {
  /** Worker threads. Default: cores − 1 (min 1); the CLI passes all cores. */
  workers?: number;
  /** A file taking longer is cut off and scored by size only. Default 2,000 ms. */
  timeoutMsPerFile?: number;
  /** Most files in one group. Default 20. */
  maxGroupSize?: number;
  /** Most bytes in one group of several files (a single larger file is its own group). Default 256 KB. */
  maxGroupBytes?: number;
  /** Files above this many bytes are scored by size only. Default 1 MB. */
  maxParseBytes?: number;
  /** The worker entry; default: dist/scoreWorker.js next to the bundle, or worker.ts from source. */
  workerScript?: string;
  /** Most entries kept in the content-hash memo. Default 100,000. */
  memoEntries?: number;
}

/** How an import was written, before resolution against the workspace's files. */
export interface RawImport {
  kind: 'js' | 'python' | 'go' | 'java' | 'rust-mod' | 'rust-use' | 'include';
  /** The specifier as written (for python: dotted module, leading dots for relative). */
  spec: string;
  /** Python `from M import a, b`: the imported names, each possibly a submodule. */
  names?: string[];
}

/** What a worker computes for one file: everything except what needs the other files. */
export interface FileAnalysis {
  language: string;
  loc: number;
  functions: FunctionMetrics[];
  rawImports: RawImport[];
  note?: string;
}
