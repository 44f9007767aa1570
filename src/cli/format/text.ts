/**
 * The human report: findings grouped by file, files that were not analyzed, then the per-model summary.
 * Every string that came from a model, a file name or a service goes through terminalSafe: the report
 * is read on terminals and in CI logs, where it must stay data (see src/core/text).
 */
import { styleText } from 'node:util';
import type { AnalyzeResult } from '../../core/engine';
import { terminalSafe, terminalSafeLine } from '../../core/text';
import { countRun } from './summary';

export interface TextStyle {
  /** Paint severities, paths and notes; decide it with colorFor so NO_COLOR/FORCE_COLOR are honoured. */
  color: boolean;
}

type Format = Parameters<typeof styleText>[0];

const SEVERITY_COLOR = { error: 'red', warning: 'yellow', info: 'cyan' } as const satisfies Record<string, Format>;

/**
 * Whether a report written to `stream` gets colors: Node's own rule (util.styleText) — FORCE_COLOR,
 * NO_COLOR, NODE_DISABLE_COLORS, TERM=dumb, and only a terminal otherwise — and never when the user
 * said --no-color (`allowed` false).
 */
export function colorFor(stream: NodeJS.WritableStream, allowed = true): boolean {
  // The first two terms are Node's rule too; they keep a pipe plain on a Node 22 before 22.13,
  // whose styleText ignores its stream option and always colors.
  const candidate = process.env.FORCE_COLOR !== undefined || (stream as { isTTY?: boolean }).isTTY === true;
  return allowed && candidate && styleText('red', 'x', { stream }) !== 'x';
}

function paint(style: TextStyle, format: Format, text: string): string {
  // The decision was made once by colorFor; here the stream is not checked again.
  return style.color ? styleText(format, text, { validateStream: false }) : text;
}

/** More files than this with one status and reason are listed as one line with a count. */
const GROUP_ABOVE = 3;

/** Where a finding's message starts: two blanks, the line range (8) and the severity (8). */
const MESSAGE_COLUMN = 18;

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** A multi-line message keeps its lines, indented under the finding so none looks like a line of its own. */
function indented(text: string): string {
  return text.replace(/\n/g, `\n${' '.repeat(MESSAGE_COLUMN)}`);
}

export function formatText(result: AnalyzeResult, style: TextStyle = { color: false }): string {
  const out: string[] = [];
  for (const file of result.files) {
    if (file.findings.length === 0) continue;
    out.push(paint(style, 'bold', terminalSafeLine(file.path)) + (file.cached ? paint(style, 'dim', ' (cached)') : ''));
    for (const f of file.findings) {
      const where = f.endLine > f.startLine ? `${f.startLine}-${f.endLine}` : `${f.startLine}`;
      const tag = terminalSafeLine(`${f.ruleId} · ${f.model}`);
      out.push(`  ${pad(where, 8)}${paint(style, SEVERITY_COLOR[f.severity], pad(f.severity, 8))}${indented(terminalSafe(f.message))}  ${paint(style, 'dim', tag)}`);
    }
    out.push('');
  }
  const notAnalyzed = result.files.filter((f) => f.status !== 'analyzed');
  if (notAnalyzed.length > 0) {
    out.push(paint(style, 'bold', 'Not analyzed'));
    // Many files with one reason (an endpoint that refuses, a budget) make one line, not hundreds.
    const byReason = new Map<string, typeof notAnalyzed>();
    for (const f of notAnalyzed) {
      const key = `${f.status}\0${f.reason ?? ''}`;
      byReason.set(key, [...(byReason.get(key) ?? []), f]);
    }
    for (const [first, ...rest] of byReason.values()) {
      if (!first) continue;
      const reason = terminalSafeLine(first.reason ?? '');
      if (rest.length < GROUP_ABOVE) {
        for (const f of [first, ...rest]) out.push(`  ${pad(f.status, 8)}${terminalSafeLine(f.path)}: ${reason}`);
        continue;
      }
      const some = [first, ...rest].slice(0, GROUP_ABOVE).map((f) => terminalSafeLine(f.path)).join(', ');
      out.push(`  ${pad(first.status, 8)}${rest.length + 1} files (${some}, …): ${reason}`);
    }
    out.push('');
  }
  const partial = result.files.filter((f) => f.status === 'analyzed' && f.partial);
  if (partial.length > 0) {
    out.push(paint(style, 'bold', 'Partially analyzed'));
    for (const f of partial) out.push(`  ${terminalSafeLine(f.path)}: ${terminalSafeLine(f.partial ?? '')}`);
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
      `${pad(terminalSafeLine(m.id), 40)}${pad(String(m.requests), 10)}${pad(String(m.inputTokens), 12)}${pad(String(m.outputTokens), 12)}` +
        `${pad(String(m.throttled), 11)}${pad(`${m.fallbacksIn}/${m.fallbacksOut}`, 17)}$${m.costUsd.toFixed(4)}`,
    );
  }
  for (const m of result.models.filter((x) => x.usageEstimated > 0)) {
    out.push(`${terminalSafeLine(m.id)}: ${m.usageEstimated} call(s) charged at their reservation (the service's usage was missing or implausible)`);
  }
  return out.join('\n') + '\n';
}
