/**
 * Findings scope in a change review: by default only findings that touch a changed line are kept
 * (what the change introduced or exposed); `all` keeps everything the model said about the context
 * it was sent.
 */
export type ChangeScope = 'changed' | 'all';

export function onChangedLines<T extends { startLine: number; endLine: number }>(findings: readonly T[], changed: ReadonlySet<number>, scope: ChangeScope): T[] {
  if (scope === 'all') return [...findings];
  return findings.filter((f) => {
    for (let n = f.startLine; n <= f.endLine; n++) if (changed.has(n)) return true;
    return false;
  });
}
