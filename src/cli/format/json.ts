/**
 * The JSON report (stable shape, see issue 5): files with their status and findings, the per-model
 * summary, elapsed time and the routing decisions. Paths are relative to the analyzed folder.
 */
import type { AnalyzeResult } from '../../core/engine';
import { countRun } from './summary';

export const JSON_REPORT_VERSION = 1;

export function formatJson(result: AnalyzeResult, meta: { version: string }): string {
  const report = {
    version: JSON_REPORT_VERSION,
    tool: { name: 'chorus', version: meta.version },
    files: result.files.map((f) => ({
      path: f.path,
      status: f.status,
      ...(f.reason !== undefined ? { reason: f.reason } : {}),
      // The reason as data (src/core/outcome.ts), for scripts: switch on it, not on `reason`'s wording.
      ...(f.code !== undefined ? { code: f.code } : {}),
      ...(f.retryable !== undefined ? { retryable: f.retryable } : {}),
      ...(f.partial !== undefined ? { partial: f.partial } : {}),
      ...(f.model !== undefined ? { model: f.model } : {}),
      ...(f.cached ? { cached: true } : {}),
      findings: f.findings.map((x) => ({
        file: x.file,
        startLine: x.startLine,
        endLine: x.endLine,
        severity: x.severity,
        ruleId: x.ruleId,
        message: x.message,
        ...(x.suggestion !== undefined ? { suggestion: x.suggestion } : {}),
        model: x.model,
        fingerprint: x.fingerprint,
      })),
    })),
    models: result.models.map((m) => ({
      id: m.id,
      requests: m.requests,
      inputTokens: m.inputTokens,
      outputTokens: m.outputTokens,
      throttled: m.throttled,
      fallbacksIn: m.fallbacksIn,
      fallbacksOut: m.fallbacksOut,
      costUsd: Number(m.costUsd.toFixed(6)),
      usageEstimated: m.usageEstimated,
    })),
    routing: result.routing,
    summary: countRun(result),
    redactions: result.redactions,
    cancelled: result.cancelled,
    elapsedMs: Math.round(result.elapsedMs),
  };
  return JSON.stringify(report, null, 2) + '\n';
}
