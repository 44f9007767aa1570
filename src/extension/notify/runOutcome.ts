/**
 * What a finished run means for the user: which problems to raise (one per kind, via the gate in
 * the notifier) and when the slate is clean again. Pure over a small sink, so "300 failed files make
 * one notification" is tested without VS Code.
 */
import type { AnalyzeResult } from '../../core/engine/api';
import { allModelsFailed, problemOf, problemOfError, type ProblemKind } from './problems';

export interface ProblemSink {
  report(kind: ProblemKind, detail: string): void;
  reset(): void;
}

export function reportRunError(error: unknown, sink: ProblemSink): void {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : JSON.stringify(error);
  const kind = problemOfError(error) ?? 'all-models-failed';
  sink.report(kind, message);
}

export function reportRunResult(result: Pick<AnalyzeResult, 'files'>, sink: ProblemSink): void {
  const failed = result.files.filter((f) => f.status === 'failed');
  const firstReasonOf = new Map<ProblemKind, string>();
  for (const f of failed) {
    const kind = problemOf(f.code);
    if (kind && !firstReasonOf.has(kind)) firstReasonOf.set(kind, f.reason ?? kind);
  }
  for (const [kind, reason] of firstReasonOf) sink.report(kind, reason);
  if (firstReasonOf.size === 0 && allModelsFailed(result.files)) sink.report('all-models-failed', failed[0]?.reason ?? 'every file failed');
  // Something worked: a problem that comes back later deserves a new notification.
  if (result.files.some((f) => f.status === 'analyzed')) sink.reset();
}
