/**
 * SARIF 2.1.0 for code-scanning upload: one run, a rule per ruleId seen, results with regions,
 * `partialFingerprints` (our line-shift-stable fingerprint), the model as a property, suggestions as
 * fixes, and files that failed or were skipped as tool execution notifications.
 */
import type { AnalyzeResult } from '../../core/engine';
import type { Severity } from '../../core/contract';
import { ruleEntry } from '../../core/catalogue';
import { allFindings } from './summary';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** Relative paths as URI references (spaces and the like percent-encoded, slashes kept). */
function uri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

export function formatSarif(result: AnalyzeResult, meta: { version: string }): string {
  const findings = allFindings(result);
  const ruleIds = [...new Set(findings.map((f) => f.ruleId))].sort();
  const rules = ruleIds.map((id) => {
    const first = findings.find((f) => f.ruleId === id)!;
    // What the rule is (the catalogue), not what one finding said; a link only where one is certain.
    const rule = ruleEntry(id);
    return {
      id, name: id,
      shortDescription: { text: rule.title },
      fullDescription: { text: rule.description },
      ...(rule.helpUri ? { helpUri: rule.helpUri } : {}),
      ...(rule.cwe !== undefined ? { properties: { tags: [`external/cwe/cwe-${rule.cwe}`] } } : {}),
      defaultConfiguration: { level: LEVEL[first.severity] },
    };
  });
  const results = findings.map((f) => ({
    ruleId: f.ruleId,
    ruleIndex: ruleIds.indexOf(f.ruleId),
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: uri(f.file), uriBaseId: '%SRCROOT%' },
          region: { startLine: f.startLine, endLine: f.endLine },
        },
      },
    ],
    partialFingerprints: { 'chorusFingerprint/v1': f.fingerprint },
    properties: { model: f.model },
    ...(f.suggestion !== undefined
      ? {
          fixes: [
            {
              description: { text: 'Suggested replacement' },
              artifactChanges: [
                {
                  artifactLocation: { uri: uri(f.file), uriBaseId: '%SRCROOT%' },
                  replacements: [{ deletedRegion: { startLine: f.startLine, endLine: f.endLine }, insertedContent: { text: f.suggestion } }],
                },
              ],
            },
          ],
        }
      : {}),
  }));
  const notifications = result.files
    .filter((f) => f.status !== 'analyzed' || f.partial !== undefined)
    .map((f) => ({
      level: f.status === 'failed' ? ('error' as const) : f.status === 'analyzed' ? ('warning' as const) : ('note' as const),
      message: { text: f.status === 'analyzed' ? `${f.path} partially analyzed: ${f.partial}` : `${f.path} ${f.status}: ${f.reason ?? 'no reason given'}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: uri(f.path), uriBaseId: '%SRCROOT%' } } }],
      // Why, as data: the outcome code names the notification (src/core/outcome.ts).
      ...(f.code !== undefined ? { descriptor: { id: f.code }, properties: { code: f.code, ...(f.retryable !== undefined ? { retryable: f.retryable } : {}) } } : {}),
    }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'Chorus', version: meta.version, informationUri: 'https://github.com/chorus-dev/chorus', rules } },
        invocations: [
          {
            executionSuccessful: !result.cancelled && result.files.every((f) => f.status !== 'failed'),
            toolExecutionNotifications: notifications,
          },
        ],
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
