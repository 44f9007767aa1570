/** Counts every formatter and the exit code agree on. */
import type { AnalyzeResult } from '../../core/engine';
import { SEVERITIES, type Severity } from '../../core/contract';
import type { Finding } from '../../core/types';

export interface RunCounts {
  files: number;
  analyzed: number;
  cached: number;
  skipped: number;
  failed: number;
  findings: number;
  bySeverity: Record<Severity, number>;
}

export function allFindings(result: AnalyzeResult): Finding[] {
  return result.files.flatMap((f) => f.findings);
}

export function countRun(result: AnalyzeResult): RunCounts {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of allFindings(result)) bySeverity[f.severity]++;
  return {
    files: result.files.length,
    analyzed: result.files.filter((f) => f.status === 'analyzed').length,
    cached: result.files.filter((f) => f.cached).length,
    skipped: result.files.filter((f) => f.status === 'skipped').length,
    failed: result.files.filter((f) => f.status === 'failed').length,
    findings: allFindings(result).length,
    bySeverity,
  };
}
