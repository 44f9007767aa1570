/**
 * Fingerprints that survive line shifts: derived from the file, the rule, the flagged line's text
 * (whitespace-normalized) and how many earlier findings of that rule flag an identical line in that
 * file — never the line number. Inserting code above a finding keeps its fingerprint; editing the
 * flagged line gives a new one, which is what a baseline should do.
 */
import { createHash } from 'node:crypto';

export function normalizeLine(line: string): string {
  return line.trim().replace(/\s+/g, ' ');
}

export function fingerprintOf(path: string, ruleId: string, flaggedLine: string, occurrence: number): string {
  return createHash('sha256')
    .update(`${path}\0${ruleId}\0${normalizeLine(flaggedLine)}\0${occurrence}`)
    .digest('hex')
    .slice(0, 32);
}

/** Assigns fingerprints to a file's findings (sorted by line so occurrence indexes are stable). */
export function fingerprintAll<T extends { file: string; ruleId: string; startLine: number }>(
  findings: readonly T[],
  lines: readonly string[],
): (T & { fingerprint: string })[] {
  const seen = new Map<string, number>();
  return [...findings]
    .sort((a, b) => a.startLine - b.startLine || a.ruleId.localeCompare(b.ruleId))
    .map((f) => {
      const text = normalizeLine(lines[f.startLine - 1] ?? '');
      const key = `${f.file}\0${f.ruleId}\0${text}`;
      const occurrence = seen.get(key) ?? 0;
      seen.set(key, occurrence + 1);
      return { ...f, fingerprint: fingerprintOf(f.file, f.ruleId, text, occurrence) };
    });
}
