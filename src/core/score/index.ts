/**
 * Complexity scoring (issue 6): real parsers in a worker pool, per-function metrics, import-graph
 * groups, and the 0..1 score that routing compares with each model's minComplexity.
 */
export type { FileMetrics, FunctionMetrics, ScoreInput, ScoreResult, Scorer, ScorerOptions } from './types';
export { createScorer } from './scorer';
export { analyzeFile } from './analyzeFile';
export { languageForPath } from './lang/languages';
export { dependencyFactor, groupScore } from './graph/groupScore';
