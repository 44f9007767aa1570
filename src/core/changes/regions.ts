/**
 * What is sent for a change: each changed line widened to its enclosing function (from the
 * scorer's tree-sitter parse), or to ± N lines where no function encloses it (top-level code, or a
 * language without a grammar); overlapping pieces merged into regions. Plus the file's outline:
 * its functions' signatures with their true line numbers.
 */
import type { OutlineEntry } from '../contract';
import type { FunctionMetrics } from '../score/types';

export interface Region {
  /** 1-based, inclusive, lines of the (redacted) file. */
  startLine: number;
  endLine: number;
  /** Lines of the region the change adds or rewrites. */
  changed: number[];
}

export interface RegionOptions {
  /** Lines of context on each side of a change no function encloses. */
  contextLines: number;
  /**
   * An enclosing function longer than this is not taken whole when a shorter one inside it also
   * encloses the change (a 2,000-line module function would be the whole file).
   */
  maxFunctionLines: number;
}

export const DEFAULT_REGION_OPTIONS: RegionOptions = { contextLines: 5, maxFunctionLines: 400 };

/** Most outline entries sent per file: the ones nearest the changes win. */
export const MAX_OUTLINE_ENTRIES = 60;

/** The outermost function enclosing `line` not longer than maxFunctionLines (else the innermost). */
function enclosingFunction(line: number, functions: readonly FunctionMetrics[], o: RegionOptions): FunctionMetrics | undefined {
  const enclosing = functions.filter((f) => f.startLine <= line && line <= f.endLine).sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  return enclosing.find((f) => f.endLine - f.startLine + 1 <= o.maxFunctionLines) ?? enclosing[enclosing.length - 1];
}

/** Overlapping (or, with `touching`, adjacent) ranges merged, in order. */
function merge(ranges: [number, number][], touching: boolean): [number, number][] {
  const out: [number, number][] = [];
  for (const [s, e] of [...ranges].sort((a, b) => a[0] - b[0] || b[1] - a[1])) {
    const last = out[out.length - 1];
    if (last && s <= last[1] + (touching ? 1 : 0)) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/**
 * Regions of a file of `lineCount` lines for these changed lines, in line order, never overlapping.
 * A function is a region of its own (so its cache entry survives edits next to it); lines outside
 * any function pull in ± contextLines, kept within the gap between the functions sent.
 */
export function regionsFor(
  changed: Iterable<number>,
  functions: readonly FunctionMetrics[],
  lineCount: number,
  options: RegionOptions = DEFAULT_REGION_OPTIONS,
  isBlank: (line: number) => boolean = () => false,
): Region[] {
  const lines = [...new Set(changed)].filter((n) => Number.isInteger(n) && n >= 1 && n <= lineCount).sort((a, b) => a - b);
  const fnPieces: [number, number][] = [];
  const loose: number[] = [];
  for (const n of lines) {
    const f = enclosingFunction(n, functions, options);
    if (f) fnPieces.push([f.startLine, Math.min(f.endLine, lineCount)]);
    // A blank line between functions is not worth an excerpt of its own.
    else if (!isBlank(n)) loose.push(n);
  }
  const fnRegions = merge(fnPieces, false);
  const windows = loose.map((n): [number, number] => {
    // Clip to the gap between the function regions around n: a window never swallows a function.
    const before = fnRegions.filter((r) => r[1] < n).reduce((m, r) => Math.max(m, r[1]), 0);
    const after = fnRegions.filter((r) => r[0] > n).reduce((m, r) => Math.min(m, r[0]), lineCount + 1);
    return [Math.max(before + 1, n - options.contextLines), Math.min(after - 1, n + options.contextLines)];
  });
  const all = [...fnRegions, ...merge(windows, true)].sort((a, b) => a[0] - b[0]);
  return all.map(([startLine, endLine]) => ({ startLine, endLine, changed: lines.filter((n) => n >= startLine && n <= endLine) })).filter((r) => r.changed.length > 0);
}

/**
 * The file's outline: the first line of each function that no other function encloses (methods of a
 * class are top-level functions to the parse), at most MAX_OUTLINE_ENTRIES, nearest the regions first.
 * Functions a region sends whole are left out: their text is in the prompt already.
 */
export function outlineOf(lines: readonly string[], functions: readonly FunctionMetrics[], regions: readonly Region[]): OutlineEntry[] {
  const outer = functions.filter((f) => !functions.some((g) => g !== f && g.startLine <= f.startLine && f.endLine <= g.endLine && (g.startLine < f.startLine || g.endLine > f.endLine)));
  const sent = (f: FunctionMetrics) => regions.some((r) => r.startLine <= f.startLine && f.endLine <= r.endLine);
  const distance = (f: FunctionMetrics) => Math.min(...regions.map((r) => (f.endLine < r.startLine ? r.startLine - f.endLine : f.startLine > r.endLine ? f.startLine - r.endLine : 0)), Number.MAX_SAFE_INTEGER);
  const seen = new Set<number>();
  return outer
    .filter((f) => !sent(f) && !seen.has(f.startLine) && seen.add(f.startLine))
    .sort((a, b) => distance(a) - distance(b) || a.startLine - b.startLine)
    .slice(0, MAX_OUTLINE_ENTRIES)
    .sort((a, b) => a.startLine - b.startLine)
    .map((f) => ({ line: f.startLine, text: (lines[f.startLine - 1] ?? '').trim() }))
    .filter((e) => e.text !== '');
}
