/** What a `--report` carries beyond the snapshots: the run's totals and its findings (cli/report/reportPart.ts). */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { renderReportHtml, reportPartOf } from '../../../src/cli/report';
import type { AnalyzeResult } from '../../../src/core/engine';
import type { Finding } from '../../../src/core/types';
import { PROTOCOL_LIMITS, validateHostMessage } from '../../../src/core/webviewProtocol';
import { recordRun, TWO_MODELS } from '../../integration/dashboard/series';

function finding(over: Partial<Finding>): Finding {
  return { file: 'a.ts', startLine: 1, endLine: 1, severity: 'warning', ruleId: 'r', message: 'm', model: 'us.amazon.nova-pro-v1:0', fingerprint: 'f', ...over };
}

function result(over: Partial<AnalyzeResult> = {}): AnalyzeResult {
  return {
    runId: 'run-7', routing: [], redactions: 0, elapsedMs: 90_000, cancelled: false,
    files: [
      { path: 'a.ts', status: 'analyzed', model: 'm', findings: [finding({ startLine: 9 }), finding({ severity: 'error', file: 'b.ts', startLine: 3 })] },
      { path: 'c.ts', status: 'analyzed', model: 'm', cached: true, findings: [finding({ severity: 'info', file: 'c.ts' })] },
      { path: 'd.bin', status: 'skipped', reason: 'binary', findings: [] },
      { path: 'e.ts', status: 'failed', reason: 'throttled', findings: [] },
    ],
    models: [
      { id: 'a', requests: 3, inputTokens: 30_000, outputTokens: 3_000, throttled: 0, fallbacksIn: 0, fallbacksOut: 0, costUsd: 0, usageEstimated: 0 },
      { id: 'b', requests: 2, inputTokens: 10_000, outputTokens: 1_000, throttled: 1, fallbacksIn: 0, fallbacksOut: 0, costUsd: 0, usageEstimated: 0 },
    ],
    ...over,
  };
}

describe('report part (totals and findings)', () => {
  const snapshots = recordRun(TWO_MODELS, 5);

  it('counts the run from its result: files by outcome, requests and tokens of this run, the quotas in it', () => {
    const part = reportPartOf(result(), snapshots);
    assert.deepEqual(part.totals, { files: 4, analyzed: 2, cached: 1, skipped: 1, failed: 1, requests: 5, tokens: 44_000, quotaTpm: 160_000, elapsedMs: 90_000 });
    assert.equal(part.findingsTotal, 3);
  });

  it('measures against the most quota the run had, not what was left at its end', () => {
    const gone = snapshots.map((snap, i) => (i < snapshots.length - 1 ? snap : { ...snap, models: snap.models.map((m) => ({ ...m, disabledReason: 'unreachable' })) }));
    assert.equal(reportPartOf(result(), gone).totals.quotaTpm, 160_000);
  });

  it('lists the findings most severe first, then by file and line', () => {
    const part = reportPartOf(result(), snapshots);
    assert.deepEqual(part.findings.map((f) => `${f.severity} ${f.file}:${f.line}`), ['error b.ts:3', 'warning a.ts:9', 'info c.ts:1']);
  });

  it('links a rule to its documentation from the catalogue, never from the answer', () => {
    const part = reportPartOf(result({ files: [{ path: 'a.ts', status: 'analyzed', findings: [finding({ ruleId: 'no-eval' }), finding({ ruleId: 'made-up-rule' })] }] }), snapshots);
    const [known, unknown] = part.findings;
    assert.equal(known!.helpUri, 'https://cwe.mitre.org/data/definitions/95.html');
    assert.equal(known!.ruleTitle, 'Use of eval');
    assert.equal(unknown!.helpUri, undefined);
  });

  it('lets only plain https links through the protocol', () => {
    const part = reportPartOf(result(), snapshots);
    for (const bad of ['javascript:alert(1)', 'http://example.com/x', 'https://a.example/"><script>', 'data:text/html,x']) {
      const message = validateHostMessage({ type: 'update', run: null, frames: [], report: { ...part, findings: [{ ...part.findings[0]!, helpUri: bad }] } });
      assert.equal(message.ok, false, bad);
      if (!message.ok) assert.match(message.error, /report\.findings\[0\]\.helpUri: expected an https URL/);
    }
  });

  it('clips long model text to the protocol’s bound and keeps at most the protocol’s number of findings', () => {
    const many = Array.from({ length: PROTOCOL_LIMITS.findings + 7 }, (_, i) => finding({ startLine: i + 1, message: 'x'.repeat(2_000) }));
    const part = reportPartOf(result({ files: [{ path: 'a.ts', status: 'analyzed', findings: many }] }), snapshots);
    assert.equal(part.findings.length, PROTOCOL_LIMITS.findings);
    assert.equal(part.findingsTotal, PROTOCOL_LIMITS.findings + 7);
    assert.equal(part.findings[0]!.message.length, PROTOCOL_LIMITS.textLength);
    assert.ok(part.findings[0]!.message.endsWith('…'));
    assert.ok(validateHostMessage({ type: 'update', run: null, frames: [], report: part }).ok);
  });

  it('travels in the report file, with markup in findings kept as data', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'chorus-report-'));
    writeFileSync(path.join(dir, 'dashboard.js'), '');
    writeFileSync(path.join(dir, 'dashboard.css'), '');
    const hostile = finding({ file: '</script><script>alert(1)</script>.ts', message: '<img src=x onerror=alert(1)>' });
    const part = reportPartOf(result({ files: [{ path: 'x', status: 'analyzed', findings: [hostile] }] }), snapshots);
    const html = await renderReportHtml(snapshots, { assetsDir: dir, report: part });
    assert.doesNotMatch(html, /<img src=x/);
    assert.equal(html.match(/<script/g)?.length, 2, 'only the data block and the page’s script');
    const json = html.slice(html.indexOf('id="chorus-report">') + 19, html.indexOf('</script>'));
    const message = validateHostMessage(JSON.parse(json));
    assert.ok(message.ok);
    assert.equal(message.value.report?.findings[0]!.message, '<img src=x onerror=alert(1)>');
  });

  it('refuses, with the reason, a report part the page would refuse', async () => {
    const bad = reportPartOf(result(), snapshots);
    (bad.findings[0] as unknown as Record<string, unknown>).severity = 'fatal';
    await assert.rejects(renderReportHtml(snapshots, { assetsDir: '/nonexistent', report: bad }), /report\.findings\[0\]\.severity: expected one of error, warning, info/);
  });
});
