/**
 * The one line "Analyze Workspace" ends with. It counts outcomes, not `file-done` events: after a
 * cancel the skipped files also leave the run, and "stopped after 305 file(s)" read as if all 305
 * had been analyzed.
 */
import type { FileOutcome } from '../../core/types';

export interface WorkspaceTally {
  analyzed: number;
  cached: number;
  skipped: number;
  failed: number;
  findings: number;
}

export function tally(outcomes: readonly FileOutcome[], into: WorkspaceTally = { analyzed: 0, cached: 0, skipped: 0, failed: 0, findings: 0 }): WorkspaceTally {
  for (const f of outcomes) {
    if (f.status === 'analyzed') into.analyzed++;
    else if (f.status === 'skipped') into.skipped++;
    else into.failed++;
    if (f.cached) into.cached++;
    into.findings += f.findings.length;
  }
  return into;
}

const files = (n: number) => `${n} file${n === 1 ? '' : 's'}`;

/**
 * `shown`: the findings the Problems panel shows for these files (after dismissals and the noise
 * settings); the rest are named as such, so an ignored finding is not announced as found.
 */
export function workspaceSummary(t: WorkspaceTally, cancelled: boolean, shown = t.findings): string {
  const total = t.analyzed + t.skipped + t.failed;
  const hidden = t.findings - shown;
  const findings = `${shown} finding${shown === 1 ? '' : 's'}${hidden > 0 ? ` (${hidden} more ignored or hidden by the noise settings)` : ''}`;
  const parts = [cancelled ? `Chorus stopped: ${t.analyzed} of ${files(total)} analyzed` : `Chorus analyzed ${files(t.analyzed)}${t.cached ? ` (${t.cached} unchanged, from the cache)` : ''}`];
  if (t.skipped) parts.push(`${t.skipped} skipped${cancelled ? ' (cancelled or not sent)' : ''}`);
  if (t.failed) parts.push(`${t.failed} failed (see the log)`);
  return `${parts.join(', ')}: ${findings}.`;
}
