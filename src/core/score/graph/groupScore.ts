/**
 * The group score of the original design, and the dependency factor it leaves open.
 * See docs/scoring.md for why the factor is defined this way.
 */

/** Cyclomatic complexity above 1 at which the branching half reaches 1 − 1/e ≈ 0.63. */
export const BRANCHING_SCALE = 12;
/** Import edges per file at which the coupling half reaches 1 − 1/e ≈ 0.63. */
export const COUPLING_SCALE = 3;

export interface GroupFacts {
  fileCount: number;
  totalSize: number;
  /** Highest cyclomatic complexity of any function in the group (0 with no functions). */
  maxCyclomatic: number;
  /** Import edges with at least one end in the group (inside it or crossing its border). */
  edges: number;
}

/** 0 at x = 0, rising steeply then flattening towards 1: big values still rank above merely large ones. */
function saturate(x: number, scale: number): number {
  return 1 - Math.exp(-Math.max(x, 0) / scale);
}

/**
 * Dependency factor, 0..1: half branching (the group's hardest function: ESLint's threshold of 20
 * gives 0.79), half coupling (workspace imports touching the group per file: 2 give 0.49, 4 give
 * 0.74). Both are what makes a group hard to analyse in one prompt: tangled control flow, and
 * behaviour spread across files. See docs/scoring.md.
 */
export function dependencyFactor(facts: GroupFacts): number {
  const branching = saturate(facts.maxCyclomatic - 1, BRANCHING_SCALE);
  const coupling = facts.fileCount === 0 ? 0 : saturate(facts.edges / facts.fileCount, COUPLING_SCALE);
  return 0.5 * branching + 0.5 * coupling;
}

const SIZE_CAP = 20 * 1024;
const COUNT_CAP = 10;

/** The seed's weights: size 0.3, dependency factor 0.5, file count 0.2. */
export function groupScore(totalSize: number, complexity: number, fileCount: number): number {
  return Math.min(totalSize / SIZE_CAP, 1) * 0.3 + complexity * 0.5 + Math.min(fileCount / COUNT_CAP, 1) * 0.2;
}

/** Four decimals: stable output, and far finer than any routing threshold. */
export function round4(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
