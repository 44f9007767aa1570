/**
 * What a file's findings become once some of their suggestions were applied, without another run:
 * the fixed ones are gone at once, and the ones below a fix move by the lines it added or removed
 * (so they still point at their code until the next analysis replaces them). Pure.
 */
import type { Finding } from '../../core/types';

function lineCount(text: string): number {
  return text.replace(/\r?\n$/, '').split(/\r\n|\r|\n/).length;
}

export function afterFix(findings: readonly Finding[], fixed: readonly Finding[]): Finding[] {
  const gone = new Set(fixed.map((f) => f.fingerprint));
  const shifts = fixed
    .filter((f) => f.suggestion !== undefined)
    .map((f) => ({ below: f.endLine, delta: lineCount(f.suggestion!) - (f.endLine - f.startLine + 1) }));
  return findings
    .filter((f) => !gone.has(f.fingerprint))
    .map((f) => {
      const delta = shifts.reduce((sum, s) => (f.startLine > s.below ? sum + s.delta : sum), 0);
      return delta === 0 ? f : { ...f, startLine: Math.max(1, f.startLine + delta), endLine: Math.max(1, f.endLine + delta) };
    });
}

/**
 * The findings of one rule whose suggestions can be applied together: with a suggestion, and not
 * overlapping an earlier one (two replacements of the same lines would conflict), in line order.
 */
export function fixableTogether(findings: readonly Finding[], ruleId: string): Finding[] {
  const out: Finding[] = [];
  let lastEnd = 0;
  for (const f of [...findings].filter((x) => x.ruleId === ruleId && x.suggestion !== undefined).sort((a, b) => a.startLine - b.startLine)) {
    if (f.startLine <= lastEnd) continue;
    out.push(f);
    lastEnd = f.endLine;
  }
  return out;
}
