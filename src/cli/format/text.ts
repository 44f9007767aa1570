/** The human report: findings grouped by file, files that were not analyzed, then the per-model summary. */
import type { AnalyzeResult } from '../../core/engine';
import { countRun } from './summary';

export interface TextStyle {
  color: boolean;
}

const SEVERITY_COLOR = { error: 31, warning: 33, info: 36 } as const;

function paint(style: TextStyle, code: number, text: string): string {
  return style.color ? `\u001b[${code}m${text}\u001b[0m` : text;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

export function formatText(result: AnalyzeResult, style: TextStyle = { color: false }): string {
  const out: string[] = [];
  for (const file of result.files) {
    if (file.findings.length === 0) continue;
    out.push(paint(style, 1, file.path) + (file.cached ? paint(style, 2, ' (cached)') : ''));
    for (const f of file.findings) {
      const where = f.endLine > f.startLine ? `${f.startLine}-${f.endLine}` : `${f.startLine}`;
      out.push(`  ${pad(where, 8)}${pad(paint(style, SEVERITY_COLOR[f.severity], f.severity), style.color ? 17 : 8)}${f.message}  ${paint(style, 2, `${f.ruleId} · ${f.model}`)}`);
    }
    out.push('');
  }
  const notAnalyzed = result.files.filter((f) => f.status !== 'analyzed');
  if (notAnalyzed.length > 0) {
    out.push(paint(style, 1, 'Not analyzed'));
    for (const f of notAnalyzed) out.push(`  ${pad(f.status, 8)}${f.path}: ${f.reason ?? ''}`);
    out.push('');
  }
  const c = countRun(result);
  out.push(
    `${c.files} file(s): ${c.analyzed} analyzed (${c.cached} cached), ${c.skipped} skipped, ${c.failed} failed · ` +
      `${c.findings} finding(s): ${c.bySeverity.error} error, ${c.bySeverity.warning} warning, ${c.bySeverity.info} info` +
      (result.redactions > 0 ? ` · ${result.redactions} secret(s) redacted` : '') +
      ` · ${(result.elapsedMs / 1000).toFixed(1)} s`,
  );
  out.push('');
  out.push(`${pad('model', 40)}${pad('requests', 10)}${pad('input tok', 12)}${pad('output tok', 12)}${pad('throttled', 11)}${pad('fallback in/out', 17)}cost`);
  for (const m of result.models) {
    out.push(
      `${pad(m.id, 40)}${pad(String(m.requests), 10)}${pad(String(m.inputTokens), 12)}${pad(String(m.outputTokens), 12)}` +
        `${pad(String(m.throttled), 11)}${pad(`${m.fallbacksIn}/${m.fallbacksOut}`, 17)}$${m.costUsd.toFixed(4)}`,
    );
  }
  return out.join('\n') + '\n';
}
