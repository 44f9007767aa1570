/**
 * Findings → diagnostics, in one pure function (vscode-eslint's shape): 1-based inclusive model
 * lines become clamped 0-based ranges, `source` is always "Chorus", `code` is the rule id with a
 * link where one exists, the severity follows the user's mapping, and the model that found it is in
 * the message. The host turns these plain specs into vscode.Diagnostic objects.
 */
import { ruleHelpUri } from '../../core/catalogue';
import { locateSnippet } from '../../core/text/locateSnippet';
import type { Finding } from '../../core/types';
import type { DiagnosticLevel, SeverityMap } from '../settings/settings';

export const DIAGNOSTIC_SOURCE = 'Chorus';

export interface RangeSpec {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
}

export interface RelatedSpec {
  /** Workspace-relative path. */
  file: string;
  line: number;
  message: string;
}

export interface DiagnosticSpec {
  range: RangeSpec;
  level: Exclude<DiagnosticLevel, 'off'>;
  message: string;
  source: typeof DIAGNOSTIC_SOURCE;
  code: { value: string; target?: string };
  related: RelatedSpec[];
  finding: Finding;
}

/** What the mapper needs to know about the document: its lines, to clamp ranges. */
export interface LineInfo {
  lineCount: number;
  /** Length of a 0-based line without its line break. */
  lineLength(line: number): number;
  /** Text of a 0-based line, to find a finding's snippet in (exact ranges); without it, whole lines. */
  lineText?: (line: number) => string;
}

export function mapFinding(
  finding: Finding,
  severity: SeverityMap,
  lines: LineInfo,
  modelLabel: (id: string) => string = (id) => id,
  related: RelatedSpec[] = [],
): DiagnosticSpec | undefined {
  const level = severity[finding.severity];
  if (level === 'off') return undefined;
  const last = Math.max(0, lines.lineCount - 1);
  const startLine = clamp(finding.startLine - 1, 0, last);
  const endLine = clamp(Math.max(finding.endLine, finding.startLine) - 1, startLine, last);
  const target = ruleLink(finding.ruleId);
  // The offending code where the model says it is (or a line or two off), else the reported lines.
  const exact = lines.lineText ? locateSnippet(finding.snippet, lines.lineText, lines.lineCount, startLine, endLine) : undefined;
  return {
    range: exact ?? { startLine, startCharacter: 0, endLine, endCharacter: lines.lineLength(endLine) },
    level,
    message: `${finding.message} (${modelLabel(finding.model)})`,
    source: DIAGNOSTIC_SOURCE,
    code: target ? { value: finding.ruleId, target } : { value: finding.ruleId },
    related,
    finding,
  };
}

/**
 * Links only where the rule id says unambiguously what it means (the rules catalogue,
 * src/core/catalogue: known rules and CWE ids). Models invent rule ids freely, so a guessed link
 * would often point at the wrong page.
 */
export function ruleLink(ruleId: string): string | undefined {
  return ruleHelpUri(ruleId);
}

/**
 * One problem reported in several files (duplicated code) links its places as related locations —
 * only when the findings share the rule, the message and the offending code itself (the model's
 * `snippet`, whitespace aside). Rule and message alone match unrelated code ("function too long"
 * in two different functions), so findings without a snippet are never linked.
 */
/** Findings of one problem in more places than this are a pattern, not linked to each other. */
export const MAX_RELATED_GROUP = 10;

export function relatedLocations(findings: readonly Finding[]): Map<Finding, RelatedSpec[]> {
  const byProblem = new Map<string, Finding[]>();
  for (const f of findings) {
    const code = f.snippet?.replace(/\s+/g, ' ').trim();
    if (!code) continue;
    const key = `${f.ruleId}\u0000${f.message}\u0000${code}`;
    byProblem.set(key, [...(byProblem.get(key) ?? []), f]);
  }
  const out = new Map<Finding, RelatedSpec[]>();
  for (const group of byProblem.values()) {
    // One problem spanning a few files, not a pattern repeated across hundreds: linking those is
    // quadratic (400 files made 160,000 related entries and a stall of seconds in the host).
    if (group.length > MAX_RELATED_GROUP) continue;
    if (new Set(group.map((f) => f.file)).size < 2) continue;
    for (const f of group) {
      out.set(
        f,
        group.filter((g) => g.file !== f.file).map((g) => ({ file: g.file, line: g.startLine - 1, message: `Also reported in ${g.file}` })),
      );
    }
  }
  return out;
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(Math.max(n, lo), hi);
}
