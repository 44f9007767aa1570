/** From per-file metrics to scored groups. */
import type { Group } from '../../types';
import type { FileMetrics } from '../types';
import { dependencyFactor, groupScore, round4 } from './groupScore';
import { groupFiles, type GroupingLimits } from './grouping';

export function buildGroups(files: readonly FileMetrics[], limits: GroupingLimits): Group[] {
  const byPath = new Map<string, FileMetrics>();
  for (const f of files) byPath.set(f.path, f);
  // Undirected degree per file: each import edge counts once at each of its two ends.
  const degree = new Map<string, number>();
  for (const file of files) {
    for (const target of file.imports) {
      if (!byPath.has(target) || target === file.path) continue;
      degree.set(file.path, (degree.get(file.path) ?? 0) + 1);
      degree.set(target, (degree.get(target) ?? 0) + 1);
    }
  }
  return groupFiles(files, limits).map((paths) => {
    const inside = new Set(paths);
    let totalSize = 0;
    let maxCyclomatic = 0;
    let internal = 0;
    let degreeSum = 0;
    for (const path of paths) {
      const file = byPath.get(path)!;
      totalSize += file.bytes;
      maxCyclomatic = Math.max(maxCyclomatic, file.maxComplexity);
      degreeSum += degree.get(path) ?? 0;
      for (const target of file.imports) if (inside.has(target) && target !== path) internal++;
    }
    // Edges touching the group: members' degrees, minus each internal edge counted at both ends.
    const edges = degreeSum - internal;
    const complexity = round4(dependencyFactor({ fileCount: paths.length, totalSize, maxCyclomatic, edges }));
    return { files: paths, totalSize, complexity, score: round4(groupScore(totalSize, complexity, paths.length)) };
  });
}
