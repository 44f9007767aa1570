/** From per-file metrics to scored groups. */
import type { Group } from '../../types';
import type { FileMetrics } from '../types';
import { dependencyFactor, groupScore, round4 } from './groupScore';
import { groupIndices, type GroupingLimits } from './grouping';

export function buildGroups(files: readonly FileMetrics[], limits: GroupingLimits): Group[] {
  const { groups, neighbours } = groupIndices(files, limits);
  const groupOf = new Int32Array(files.length);
  groups.forEach((members, g) => {
    for (const m of members) groupOf[m] = g;
  });
  return groups.map((members, g) => {
    let totalSize = 0;
    let maxCyclomatic = 0;
    let crossing = 0;
    let insideTwice = 0;
    for (const m of members) {
      const file = files[m]!;
      totalSize += file.bytes;
      maxCyclomatic = Math.max(maxCyclomatic, file.maxComplexity);
      for (const n of neighbours[m]!) {
        if (groupOf[n] === g) insideTwice++;
        else crossing++;
      }
    }
    // Linked file pairs inside the group (each seen from both ends) plus links crossing its border.
    const edges = crossing + insideTwice / 2;
    const fileCount = members.length;
    const complexity = round4(dependencyFactor({ fileCount, totalSize, maxCyclomatic, edges }));
    return { files: members.map((m) => files[m]!.path), totalSize, complexity, score: round4(groupScore(totalSize, complexity, fileCount)) };
  });
}
