/**
 * Exact ranges: where a finding's `snippet` (the offending code the model copied) stands in the
 * file, searched on the reported lines first and then outward a few lines (models are often off by
 * one or two), so a diagnostic underlines `eval(input)` rather than the whole line. Undefined when
 * the snippet is absent, blank or nowhere near: the caller falls back to the reported lines.
 */

/** How far from the reported lines a snippet is still believed to be the finding's. */
export const SNIPPET_SEARCH_LINES = 3;

export interface SnippetRange {
  /** 0-based lines and characters, end exclusive (VS Code's Range). */
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
}

/**
 * `lineText(i)` gives 0-based line i without its line break; `startLine`/`endLine` are the
 * finding's 0-based reported lines. A snippet of several lines is matched line by line (each line's
 * surrounding whitespace ignored); the first occurrence nearest the reported start wins.
 */
export function locateSnippet(
  snippet: string | undefined,
  lineText: (line: number) => string,
  lineCount: number,
  startLine: number,
  endLine: number,
): SnippetRange | undefined {
  const parts = (snippet ?? '').split(/\r\n|\r|\n/).map((p) => p.trim());
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  while (parts.length > 0 && parts[0] === '') parts.shift();
  if (parts.length === 0 || parts.some((p) => p === '')) return undefined;
  for (const line of searchOrder(startLine, endLine, lineCount)) {
    const found = matchAt(parts, lineText, lineCount, line);
    if (found) return found;
  }
  return undefined;
}

/** The reported lines first, then one line further out on each side, up to SNIPPET_SEARCH_LINES. */
function searchOrder(startLine: number, endLine: number, lineCount: number): number[] {
  const order: number[] = [];
  const add = (i: number) => {
    if (i >= 0 && i < lineCount && !order.includes(i)) order.push(i);
  };
  for (let i = startLine; i <= Math.max(startLine, endLine); i++) add(i);
  for (let d = 1; d <= SNIPPET_SEARCH_LINES; d++) {
    add(startLine - d);
    add(Math.max(startLine, endLine) + d);
  }
  return order;
}

function matchAt(parts: readonly string[], lineText: (line: number) => string, lineCount: number, line: number): SnippetRange | undefined {
  const first = parts[0]!;
  const text = lineText(line);
  if (parts.length === 1) {
    const at = text.indexOf(first);
    return at < 0 ? undefined : { startLine: line, startCharacter: at, endLine: line, endCharacter: at + first.length };
  }
  // Several lines: the first ends its line, the middle ones are whole lines, the last starts its line.
  if (line + parts.length > lineCount || !text.trimEnd().endsWith(first)) return undefined;
  for (let k = 1; k < parts.length - 1; k++) if (lineText(line + k).trim() !== parts[k]) return undefined;
  const lastLine = line + parts.length - 1;
  const last = lineText(lastLine);
  const lastPart = parts[parts.length - 1]!;
  if (!last.trimStart().startsWith(lastPart)) return undefined;
  const lastStart = last.length - last.trimStart().length;
  return { startLine: line, startCharacter: text.trimEnd().length - first.length, endLine: lastLine, endCharacter: lastStart + lastPart.length };
}
