/** From per-file metrics to scored groups. */
import type { Group } from '../../types';
import type { FileMetrics } from '../types';
import { dependencyFactor, groupScore, round4 } from './groupScore';
import { groupFiles, type GroupingLimits } from './grouping';

export function buildGroups(files: readonly FileMetrics[], limits: GroupingLimits): Group[] {
  const byPath = new Map(files.map((f) => [f.path, f]));
  // Undirected edge count per file: each import edge counted once for each of its two ends.
  const degree = new Map<string, number>();
  for (const file of files) {
    for (const target of file.imports) {
      if (!byPath.has(target)) continue;
      degree.set(file.path, (degree.get(file.path) ?? 0) + 1);
      degree.set(target, (degree.get(target) ?? 0) + 1);
    }
  }
  return groupFiles(files, limits).map((paths) => {
    const members = paths.map((p) => byPath.get(p)!);
    const totalSize = members.reduce((sum, f) => sum + f.bytes, 0);
    // Edges touching the group: the sum of its members' degrees, minus internal edges counted twice.
    const inside = new Set(paths);
    let internal = 0;
    let degreeSum = 0;
    for (const file of members) {
      degreeSum += degree.get(file.path) ?? 0;
      for (const target of file.imports) if (inside.has(target)) internal++;
    }
    const complexity = round4(dependencyFactor({
      fileCount: paths.length,
      totalSize,
      maxCyclomatic: Math.max(0, ...members.map((f) => f.maxComplexity)),
      edges: degreeSum - internal,
    }));
    return { files: paths, totalSize, complexity, score: round4(groupScore(totalSize, complexity, paths.length)) };
  });
}
