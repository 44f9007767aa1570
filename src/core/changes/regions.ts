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
  /**
   * The region is a window (of a long function, or top-level lines around a change), not whole
   * functions: an answer about it speaks for its changed lines, not for what it cuts short.
   */
  window?: boolean;
}

export interface RegionOptions {
  /** Lines of context on each side of a change no function encloses. */
  contextLines: number;
  /**
   * A change inside a function longer than this is sent with ± windowLines around it (within the
   * function) instead of the whole function — unless the change is on the function's first line,
   * which makes the whole function the change's context, up to maxSignatureFunctionLines.
   */
  maxFunctionLines: number;
  /**
   * A changed first line sends its function whole up to this many lines; a longer one (a whole
   * `describe(…)`, a module-level callback) is sent from its first line to windowLines below it.
   */
  maxSignatureFunctionLines: number;
  /** Lines of context on each side of a change inside a function longer than maxFunctionLines. */
  windowLines: number;
  /** Functions shorter than this (a one-line callback) are not a change's context: the next enclosing one is. */
  minFunctionLines: number;
}

export const DEFAULT_REGION_OPTIONS: RegionOptions = { contextLines: 3, maxFunctionLines: 40, windowLines: 6, minFunctionLines: 5, maxSignatureFunctionLines: 150 };

/** Most outline entries sent per file: the ones nearest the changes win. */
export const MAX_OUTLINE_ENTRIES = 12;

/**
 * The innermost function enclosing `line` that is at least minFunctionLines long (a test's `it`
 * callback, a method — not the `.map(x => …)` on the changed line), or the outermost when all are shorter.
 */
function enclosingFunction(line: number, functions: readonly FunctionMetrics[], o: RegionOptions): FunctionMetrics | undefined {
  const enclosing = functions.filter((f) => f.startLine <= line && line <= f.endLine).sort((a, b) => b.startLine - a.startLine || a.endLine - b.endLine);
  return enclosing.find((f) => f.endLine - f.startLine + 1 >= o.minFunctionLines) ?? enclosing[enclosing.length - 1];
}

/** What a changed line inside function `f` pulls in: `f` whole, or a window of it when `f` is long. */
function pieceIn(line: number, f: FunctionMetrics, lineCount: number, o: RegionOptions): [number, number] {
  const end = Math.min(f.endLine, lineCount);
  const length = end - f.startLine + 1;
  if (length <= o.maxFunctionLines || (line === f.startLine && length <= o.maxSignatureFunctionLines)) return [f.startLine, end];
  return [Math.max(f.startLine, line - o.windowLines), Math.min(end, line + o.windowLines)];
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
 * A function is a region of its own (so its cache entry survives edits next to it), a long one a
 * window of itself; lines outside any function pull in ± contextLines, kept within the gap between
 * the pieces of functions sent.
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
  const cutPieces: [number, number][] = [];
  const loose: number[] = [];
  for (const n of lines) {
    const f = enclosingFunction(n, functions, options);
    if (f) {
      const piece = pieceIn(n, f, lineCount, options);
      fnPieces.push(piece);
      if (piece[0] > f.startLine || piece[1] < Math.min(f.endLine, lineCount)) cutPieces.push(piece);
    }
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
  const cut = (r: [number, number]) => cutPieces.some((p) => p[0] <= r[1] && r[0] <= p[1]);
  const all = [...fnRegions.map((r) => [...r, cut(r)] as const), ...merge(windows, true).map((r) => [...r, true] as const)].sort((a, b) => a[0] - b[0]);
  return all
    .map(([startLine, endLine, window]): Region => ({ startLine, endLine, changed: lines.filter((n) => n >= startLine && n <= endLine), ...(window ? { window } : {}) }))
    .filter((r) => r.changed.length > 0);
}

/** The identifiers a piece of code mentions (what an outline entry must be named by to be worth sending). */
export function identifiersIn(text: string): Set<string> {
  return new Set(text.match(/[A-Za-z_$][\w$]*/g) ?? []);
}

/**
 * The file's outline: the signatures the excerpts need — the first line of each function a region
 * sits in without sending it whole (a window of a long one), and of each other top-level function
 * (methods of a class are top-level to the parse) that an excerpt mentions by name; at most
 * MAX_OUTLINE_ENTRIES, nearest the regions first. Functions a region sends whole are left out (their
 * text is in the prompt already), and so are the ones no excerpt refers to: a signature the changed
 * code neither sits in nor calls tells the model nothing about the change.
 */
export function outlineOf(lines: readonly string[], functions: readonly FunctionMetrics[], regions: readonly Region[]): OutlineEntry[] {
  const outer = (f: FunctionMetrics) => !functions.some((g) => g !== f && g.startLine <= f.startLine && f.endLine <= g.endLine && (g.startLine < f.startLine || g.endLine > f.endLine));
  const sent = (f: FunctionMetrics) => regions.some((r) => r.startLine <= f.startLine && f.endLine <= r.endLine);
  const around = (f: FunctionMetrics) => regions.some((r) => f.startLine < r.startLine && r.endLine <= f.endLine);
  const mentioned = identifiersIn(regions.map((r) => lines.slice(r.startLine - 1, r.endLine).join('\n')).join('\n'));
  const distance = (f: FunctionMetrics) => Math.min(...regions.map((r) => (f.endLine < r.startLine ? r.startLine - f.endLine : f.startLine > r.endLine ? f.startLine - r.endLine : 0)), Number.MAX_SAFE_INTEGER);
  const seen = new Set<number>();
  return functions
    // One-line functions (a class field's initializer, a callback) say little that a signature would.
    .filter((f) => f.endLine > f.startLine && (around(f) || (outer(f) && mentioned.has(f.name))) && !sent(f) && !seen.has(f.startLine) && seen.add(f.startLine))
    .sort((a, b) => distance(a) - distance(b) || a.startLine - b.startLine)
    .slice(0, MAX_OUTLINE_ENTRIES)
    .sort((a, b) => a.startLine - b.startLine)
    .map((f) => ({ line: f.startLine, text: (lines[f.startLine - 1] ?? '').trim() }))
    .filter((e) => e.text !== '');
}
