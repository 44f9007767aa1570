/**
 * Test Connection's one short line: the models that answered with their latency (once), or what
 * failed and what to do — the same reason for several models said once. Pure; tested without VS Code.
 */
import type { ConnectionReport } from '../../core/engine/api';
import { forVsCodeUser } from '../notify/wording';

export interface LabelledReport {
  label: string;
  report: ConnectionReport;
}

export interface ConnectionSummary {
  ok: boolean;
  message: string;
}

const CREDENTIALS = /credential|ExpiredToken|UnrecognizedClient|security token|InvalidSignature|SSO session/i;

/** The first line of a report's detail without the latency it may already carry ("… (838 ms)"). */
export function shortDetail(detail: string): string {
  const first = (detail.split('\n')[0] ?? '').replace(/\s*\(\d+ ms\)\s*$/, '').trim();
  const line = CREDENTIALS.test(detail) && !/chorus\.profile/.test(first)
    ? `${first} — set chorus.profile, or add credentials to ~/.aws or the environment (no reload needed), then test again`
    : first;
  return forVsCodeUser(line.length > 220 ? `${line.slice(0, 217)}...` : line);
}

export function summarizeConnection(results: readonly LabelledReport[], errors: readonly string[] = []): ConnectionSummary {
  const answered = results.filter((r) => r.report.ok);
  const failed = results.filter((r) => !r.report.ok);
  if (failed.length === 0 && errors.length === 0) {
    const each = answered.map((r) => `${r.label} ${r.report.latencyMs ?? '?'} ms`).join(' · ');
    return { ok: true, message: `Chorus: connected — ${each}.` };
  }
  const byReason = new Map<string, string[]>();
  for (const r of failed) {
    const reason = shortDetail(r.report.detail);
    byReason.set(reason, [...(byReason.get(reason) ?? []), r.label]);
  }
  const parts = [...byReason].map(([reason, labels]) => `${labels.join(', ')}: ${reason}`);
  parts.push(...errors.map((e) => forVsCodeUser(e.split('\n')[0] ?? e)));
  const fine = answered.length > 0 ? ` (${answered.map((r) => r.label).join(', ')} OK)` : '';
  return { ok: false, message: `Chorus: ${parts.join(' · ')}${fine}` };
}
