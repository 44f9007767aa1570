/**
 * The scorer seam. The engine uses the real scorer (src/core/score: parsers, metrics, import graph)
 * by default; this size-only one groups files by directory and needs no workers or grammars, for
 * hosts and tests that want scoring to be cheap and predictable.
 */
import type { Group } from '../types';

export interface ScorerInput {
  path: string;
  text: string;
  bytes: number;
  /** Content hash, when known (the real scorer memoises by it). */
  hash?: string;
}

/** Structurally the same as src/core/score's Scorer, so either can be injected. */
export interface EngineScorer {
  score(files: ScorerInput[], signal?: AbortSignal): Promise<{ groups: Group[] }>;
  dispose(): void;
}

const MAX_GROUP_FILES = 20;
const MAX_GROUP_BYTES = 256 * 1024;
/** A group this size or larger gets the full size component of the score. */
const LARGE_GROUP_BYTES = 128 * 1024;

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function makeGroup(files: ScorerInput[]): Group {
  const totalSize = files.reduce((s, f) => s + f.bytes, 0);
  const size = Math.min(1, totalSize / LARGE_GROUP_BYTES);
  const count = Math.min(1, files.length / MAX_GROUP_FILES);
  // No dependency analysis here: complexity is approximated by size, weights as in types.ts.
  const complexity = size;
  return { files: files.map((f) => f.path), totalSize, complexity, score: 0.3 * size + 0.5 * complexity + 0.2 * count };
}

export function createInterimScorer(): EngineScorer {
  return {
    score(files, signal) {
      signal?.throwIfAborted();
      const byDir = new Map<string, ScorerInput[]>();
      for (const file of files) {
        const list = byDir.get(dirOf(file.path)) ?? [];
        list.push(file);
        byDir.set(dirOf(file.path), list);
      }
      const groups: Group[] = [];
      for (const list of byDir.values()) {
        let current: ScorerInput[] = [];
        let bytes = 0;
        for (const file of list) {
          if (current.length > 0 && (current.length >= MAX_GROUP_FILES || bytes + file.bytes > MAX_GROUP_BYTES)) {
            groups.push(makeGroup(current));
            current = [];
            bytes = 0;
          }
          current.push(file);
          bytes += file.bytes;
        }
        if (current.length > 0) groups.push(makeGroup(current));
      }
      return Promise.resolve({ groups });
    },
    dispose() {},
  };
}
