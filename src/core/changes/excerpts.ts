/**
 * One changed file as a change review sends it: its regions (enclosing functions), each with its
 * text cut from the *redacted* file, the lines the change marks, and the cache key of the function
 * (its text + the outline it is sent with + its marks, all relative to the region so that a region
 * that only moved keeps its key); plus the CHANGE context (outline, deleted code by place).
 */
import { createHash } from 'node:crypto';
import type { ChangeContext, OutlineEntry } from '../contract';
import { splitLines } from '../findings';
import type { FunctionMetrics } from '../score/types';
import type { SourceFile } from '../types';
import { changedLines, type DiffFile } from './diff';
import type { ImportedSignatures } from './imports';
import { identifiersIn, outlineOf, regionsFor, type Region, type RegionOptions } from './regions';

export interface Excerpt extends Region {
  /** The region's redacted lines, newline-terminated. */
  text: string;
  /** Function-level cache key: independent of where the region sits in the file. */
  key: string;
}

export interface ChangedFile {
  source: SourceFile;
  lines: string[];
  excerpts: Excerpt[];
  context: ChangeContext;
  /** Every line the change touched (for the findings scope). */
  changed: Set<number>;
}

/**
 * Why a diff's new side is not this file, or undefined when it is: each added line must read the
 * same here (a diff taken from another commit would put findings on the wrong lines).
 */
export function mismatch(diff: DiffFile, source: { text: string; redactions: number }): string | undefined {
  const lines = splitLines(source.text);
  for (const h of diff.hunks) {
    for (let i = 0; i < h.added.length; i++) {
      const n = h.added[i]!;
      const here = lines[n - 1];
      // A redacted line (or a line inside a redacted multi-line secret) reads differently by design.
      if (here !== undefined && source.redactions > 0 && (here.includes('«redacted:') || here.trim() === '')) continue;
      if (here === undefined || here.replace(/\r$/, '') !== h.addedText[i]!.replace(/\r$/, '')) {
        return `the diff does not match the file (line ${n} differs): review from the commit the diff was made from`;
      }
    }
  }
  return undefined;
}

function sha(parts: readonly string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
}

/**
 * Old lines replaced by as many new ones or more (a rewritten line): the `N+|` marks say it already,
 * so the deletion is not named. A run that lost more lines than it gained is (10 lines became 1).
 */
function rewritten(r: { count: number; beforeNewLine: number }, added: readonly number[]): boolean {
  const set = new Set(added);
  let run = 0;
  while (set.has(r.beforeNewLine + run)) run++;
  return r.count <= run;
}

/** The change's lines in the file: all of them for a file the diff adds whole without hunks (untracked). */
function touchedLines(diff: DiffFile, lineCount: number): Set<number> {
  if (diff.status === 'added' && diff.hunks.length === 0) return new Set(Array.from({ length: lineCount }, (_, i) => i + 1));
  // A removal at the very end names the line after the last one: it changes the last line's context.
  return new Set([...changedLines(diff)].map((n) => Math.min(Math.max(1, n), Math.max(1, lineCount))));
}

export function changedFile(
  source: SourceFile,
  diff: DiffFile,
  functions: readonly FunctionMetrics[],
  options: RegionOptions,
  imported: readonly ImportedSignatures[] = [],
): ChangedFile {
  const lines = splitLines(source.text);
  const lineCount = source.text === '' ? 0 : lines.length;
  const changed = touchedLines(diff, lineCount);
  const regions = regionsFor(changed, functions, lineCount, options, (n) => (lines[n - 1] ?? '').trim() === '');
  const outline: OutlineEntry[] = outlineOf(lines, functions, regions);
  // Of what the file imports, the signatures its excerpts call (an import the change does not use says nothing about it).
  const mentioned = identifiersIn(regions.map((r) => lines.slice(r.startLine - 1, r.endLine).join('\n')).join('\n'));
  // A file the change adds is sent whole, as whole-file analysis sends it: nothing of another file beside it.
  const imports = (diff.status === 'added' ? [] : imported)
    .map((i) => ({ path: i.path, entries: i.entries.filter((e) => mentioned.has(e.name)).map(({ line, text }) => ({ line, text })) }))
    .filter((i) => i.entries.length > 0);
  const removed = diff.hunks.flatMap((h) => h.removed.filter((r) => !rewritten(r, h.added)).map((r) => ({ count: r.count, beforeLine: r.beforeNewLine })));
  // The key sees the outline's signatures, never their lines: moving code around leaves keys alone.
  const outlineKey = [...outline.map((e) => e.text), ...imports.flatMap((i) => i.entries.map((e) => `${i.path} ${e.text}`))].join('\n');
  const excerpts = regions.map((r): Excerpt => {
    const text = lines.slice(r.startLine - 1, r.endLine).join('\n') + '\n';
    const rel = (n: number) => String(n - r.startLine);
    const removedHere = removed.filter((x) => x.beforeLine >= r.startLine && x.beforeLine <= r.endLine + 1).map((x) => `${rel(x.beforeLine)}:${x.count}`);
    return { ...r, text, key: sha(['chorus-change', outlineKey, r.changed.map(rel).join(','), removedHere.join(','), text]) };
  });
  const context: ChangeContext = {
    ...(outline.length > 0 ? { outline } : {}),
    ...(removed.length > 0 ? { removed } : {}),
    ...(imports.length > 0 ? { imports } : {}),
  };
  return { source, lines, excerpts, context, changed };
}
