/**
 * Turns a batch's validated raw findings into published ones: only files of the batch, lines clamped
 * to the file, duplicates merged, the caps of FINDINGS_LIMITS applied (and said), fingerprints attached.
 */
import { FINDINGS_LIMITS, type RawFinding, type Severity } from '../contract';
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
  /** Per file of the batch: what the caps cut from its findings, in words (the file's outcome says it). */
  cuts: Map<string, string[]>;
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
export function canonicalPath(path: string): string {
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

/** Shortens a message to the cap (on a code point boundary, with an ellipsis). */
function shorten(message: string): string {
  const chars = [...message.slice(0, FINDINGS_LIMITS.messageChars + 1)];
  return chars.length <= FINDINGS_LIMITS.messageChars ? message : chars.slice(0, FINDINGS_LIMITS.messageChars - 1).join('') + '…';
}

/** Message, suggestion and snippet within their caps; counts what it cut. */
function capSizes(f: RawFinding, counts: { messages: number; suggestions: number; snippets: number }): RawFinding {
  let out = f;
  if (f.message.length > FINDINGS_LIMITS.messageChars) {
    out = { ...out, message: shorten(f.message) };
    counts.messages++;
  }
  if (f.suggestion !== undefined && f.suggestion.length > FINDINGS_LIMITS.suggestionChars) {
    const { suggestion: _dropped, ...rest } = out;
    out = rest;
    counts.suggestions++;
  }
  // A snippet that long is not "the smallest code at fault": the hosts fall back to the whole lines.
  if (f.snippet !== undefined && f.snippet.length > FINDINGS_LIMITS.snippetChars) {
    const { snippet: _dropped, ...rest } = out;
    out = rest;
    counts.snippets++;
  }
  return out;
}

/** The most severe findings first, then by line: what a cut keeps. */
function byImportance(a: RawFinding, b: RawFinding): number {
  return RANK[b.severity] - RANK[a.severity] || a.startLine - b.startLine;
}

/**
 * A file's findings within FINDINGS_LIMITS.perFile (the most severe kept), and the note saying what
 * was cut. Used per answer here, and again over a file's chunks when they are put together.
 */
export function capPerFile<T extends RawFinding>(findings: readonly T[]): { kept: T[]; note?: string } {
  if (findings.length <= FINDINGS_LIMITS.perFile) return { kept: [...findings] };
  // Keep the most important, then give them back in line order (how files list their findings).
  const kept = [...findings].sort(byImportance).slice(0, FINDINGS_LIMITS.perFile).sort((a, b) => a.startLine - b.startLine || a.ruleId.localeCompare(b.ruleId));
  return { kept, note: `${findings.length - FINDINGS_LIMITS.perFile} finding(s) over the cap of ${FINDINGS_LIMITS.perFile} per file were cut` };
}

export function normalizeFindings(raw: readonly RawFinding[], files: readonly BatchFileText[], model: string): Normalized {
  const lines = new Map(files.map((f) => [f.path, splitLines(f.text)]));
  const grouped = new Map<string, RawFinding[]>();
  const dropped: Normalized['dropped'] = [];
  const counts = new Map<string, { messages: number; suggestions: number; snippets: number }>();
  for (const finding of raw) {
    const file = canonicalPath(finding.file);
    const fileLines = lines.get(file);
    if (!fileLines) {
      dropped.push({ file: finding.file, reason: 'not a file of this batch' });
      continue;
    }
    const count = counts.get(file) ?? { messages: 0, suggestions: 0, snippets: 0 };
    counts.set(file, count);
    const last = Math.max(1, fileLines.length);
    const startLine = clamp(finding.startLine, 1, last);
    const endLine = clamp(finding.endLine, startLine, last);
    const list = grouped.get(file) ?? [];
    list.push(capSizes({ ...finding, file, startLine, endLine }, count));
    grouped.set(file, list);
  }
  const byFile = new Map<string, Finding[]>();
  const cuts = new Map<string, string[]>();
  for (const [file, findings] of grouped) {
    const { kept, note } = capPerFile(mergeDuplicates(findings));
    const notes = note ? [note] : [];
    const count = counts.get(file);
    if (count?.messages) notes.push(`${count.messages} message(s) shortened to ${FINDINGS_LIMITS.messageChars} characters`);
    if (count?.suggestions) notes.push(`${count.suggestions} suggestion(s) over ${FINDINGS_LIMITS.suggestionChars} characters dropped`);
    if (count?.snippets) notes.push(`${count.snippets} snippet(s) over ${FINDINGS_LIMITS.snippetChars} characters dropped`);
    if (notes.length > 0) cuts.set(file, notes);
    const withModel = kept.map((f) => ({ ...f, model }));
    byFile.set(file, fingerprintAll(withModel, lines.get(file) ?? []));
  }
  return { byFile, dropped, cuts };
}
