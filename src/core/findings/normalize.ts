/**
 * Turns a batch's validated raw findings into published ones: only files of the batch, lines clamped
 * to the file, duplicates merged, fingerprints attached.
 */
import type { RawFinding, Severity } from '../contract';
import type { Finding } from '../types';
import { fingerprintAll } from './fingerprint';

export interface BatchFileText {
  path: string;
  /** Full (redacted) text of the file: its lines bound the clamp and feed the fingerprint. */
  text: string;
}

export interface Normalized {
  byFile: Map<string, Finding[]>;
  /** Findings dropped and why (unknown file), for logs. */
  dropped: { file: string; reason: string }[];
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}

/** `./src/a.ts` and `src\a.ts` name `src/a.ts`; models do that. */
function canonicalPath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^\.\//, '');
}

/** Keeps one finding per (rule, range); the most severe one, with the longest message. */
function mergeDuplicates(findings: RawFinding[]): RawFinding[] {
  const byKey = new Map<string, RawFinding>();
  for (const f of findings) {
    const key = `${f.ruleId}\0${f.startLine}\0${f.endLine}`;
    const kept = byKey.get(key);
    if (!kept) byKey.set(key, f);
    else if (RANK[f.severity] > RANK[kept.severity] || (RANK[f.severity] === RANK[kept.severity] && f.message.length > kept.message.length)) {
      byKey.set(key, { ...f, suggestion: f.suggestion ?? kept.suggestion });
    }
  }
  return [...byKey.values()];
}

export function normalizeFindings(raw: readonly RawFinding[], files: readonly BatchFileText[], model: string): Normalized {
  const lines = new Map(files.map((f) => [f.path, splitLines(f.text)]));
  const grouped = new Map<string, RawFinding[]>();
  const dropped: Normalized['dropped'] = [];
  for (const finding of raw) {
    const file = canonicalPath(finding.file);
    const fileLines = lines.get(file);
    if (!fileLines) {
      dropped.push({ file: finding.file, reason: 'not a file of this batch' });
      continue;
    }
    const last = Math.max(1, fileLines.length);
    const startLine = clamp(finding.startLine, 1, last);
    const endLine = clamp(finding.endLine, startLine, last);
    const list = grouped.get(file) ?? [];
    list.push({ ...finding, file, startLine, endLine });
    grouped.set(file, list);
  }
  const byFile = new Map<string, Finding[]>();
  for (const [file, findings] of grouped) {
    const withModel = mergeDuplicates(findings).map((f) => ({ ...f, model }));
    byFile.set(file, fingerprintAll(withModel, lines.get(file) ?? []));
  }
  return { byFile, dropped };
}
