/**
 * The `--report F.html` hook. The dashboard owns the real renderer (per-model throughput charts) and
 * registers it with `registerHtmlReportRenderer`; until one is registered, a plain summary page is
 * written so the flag never silently does nothing.
 */
import type { AnalyzeResult } from '../../core/engine';
import type { RunSnapshot } from '../../core/metrics/types';
import { countRun } from './summary';

export interface HtmlReportInput {
  result: AnalyzeResult;
  /** Metrics snapshots of the run, in order (≤ 1 s apart on the run's clock). */
  snapshots: RunSnapshot[];
  version: string;
}

export type HtmlReportRenderer = (input: HtmlReportInput) => string;

let registered: HtmlReportRenderer | undefined;

export function registerHtmlReportRenderer(renderer: HtmlReportRenderer): void {
  registered = renderer;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function fallbackRenderer({ result, version }: HtmlReportInput): string {
  const c = countRun(result);
  const rows = result.models
    .map((m) => `<tr><td>${escape(m.id)}</td><td>${m.requests}</td><td>${m.inputTokens}</td><td>${m.outputTokens}</td><td>${m.throttled}</td></tr>`)
    .join('');
  const findings = result.files
    .flatMap((f) => f.findings)
    .map((f) => `<tr><td>${escape(f.file)}:${f.startLine}</td><td>${f.severity}</td><td>${escape(f.ruleId)}</td><td>${escape(f.message)}</td><td>${escape(f.model)}</td></tr>`)
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Chorus report</title></head><body>
<h1>Chorus ${escape(version)}</h1>
<p>${c.files} files: ${c.analyzed} analyzed (${c.cached} cached), ${c.skipped} skipped, ${c.failed} failed; ${c.findings} findings; ${(result.elapsedMs / 1000).toFixed(1)} s.</p>
<table><tr><th>model</th><th>requests</th><th>input tokens</th><th>output tokens</th><th>throttled</th></tr>${rows}</table>
<table><tr><th>where</th><th>severity</th><th>rule</th><th>message</th><th>model</th></tr>${findings}</table>
</body></html>
`;
}

export function renderHtmlReport(input: HtmlReportInput): string {
  return (registered ?? fallbackRenderer)(input);
}
