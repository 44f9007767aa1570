/**
 * Which files are "saved" during the burst: `count` files spread evenly over the codebase (by path
 * order), so that small and large, simple and complex files all appear, and every run saves the same.
 */
import type { SourceFile } from '../../src/core/types';

export function pickSaves(files: ReadonlyMap<string, SourceFile>, count: number): SourceFile[] {
  const all = [...files.values()];
  if (count <= 0 || all.length === 0) return [];
  const step = all.length / Math.min(count, all.length);
  return Array.from({ length: Math.min(count, all.length) }, (_, i) => all[Math.floor(i * step + step / 2)]!);
}
