/**
 * What a `--report` file knows beyond the live dashboard's snapshots: the run's totals counted from
 * its result (so a run served from the cache says so, and the utilization is over the whole run) and
 * its findings for the table. Strings are clipped to the protocol's bounds here, before validation;
 * they stay text all the way to the page (the page renders them with textContent only).
 */
import { ruleEntry } from '../../core/catalogue';
import type { AnalyzeResult } from '../../core/engine';
import type { RunSnapshot } from '../../core/metrics/types';
import { PROTOCOL_LIMITS, type ReportFinding, type ReportPart } from '../../core/webviewProtocol';

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

const clip = (s: string) => (s.length <= PROTOCOL_LIMITS.textLength ? s : `${s.slice(0, PROTOCOL_LIMITS.textLength - 1)}…`);

export function reportPartOf(result: AnalyzeResult, snapshots: readonly RunSnapshot[]): ReportPart {
  const all = result.files.flatMap((f) => f.findings);
  const findings: ReportFinding[] = all
    .map((f): ReportFinding => {
      // The link comes from the catalogue by rule id, never from the model's answer.
      const rule = ruleEntry(f.ruleId);
      return {
        file: clip(f.file), line: Math.max(0, f.startLine), severity: f.severity, ruleId: clip(f.ruleId), message: clip(f.message), model: clip(f.model),
        ...(rule.helpUri?.startsWith('https://') ? { helpUri: rule.helpUri } : {}),
        ...(rule.title && rule.title !== f.ruleId ? { ruleTitle: clip(rule.title) } : {}),
      };
    })
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.file.localeCompare(b.file) || a.line - b.line)
    .slice(0, PROTOCOL_LIMITS.findings);
  return {
    totals: {
      files: result.files.length,
      analyzed: result.files.filter((f) => f.status === 'analyzed').length,
      cached: result.files.filter((f) => f.status === 'analyzed' && f.cached).length,
      skipped: result.files.filter((f) => f.status === 'skipped').length,
      failed: result.files.filter((f) => f.status === 'failed').length,
      requests: result.models.reduce((s, m) => s + m.requests, 0),
      tokens: result.models.reduce((s, m) => s + m.inputTokens + m.outputTokens, 0),
      // The most the run had: a model that left mid-run (access denied, unreachable) still counts for
      // the time it was in, so the quotas at the end alone (maybe none) would overstate the utilization.
      quotaTpm: Math.max(0, ...snapshots.map((snap) => snap.models.reduce((s, m) => s + (m.disabledReason ? 0 : m.quotaTpm), 0))),
      elapsedMs: Math.max(0, result.elapsedMs),
    },
    findings,
    findingsTotal: all.length,
  };
}
