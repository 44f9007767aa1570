/** Code lines: lines that are not blank and not only comment. */
import type { Node } from 'web-tree-sitter';

const NEWLINE = 10;

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 12 || code === 11 || code === 0xfeff;
}

interface LineSpan { first: number; last: number } // first/last non-blank character; first < 0: blank

function lineSpans(text: string): LineSpan[] {
  const spans: LineSpan[] = [];
  let first = -1;
  let last = -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === NEWLINE) {
      spans.push({ first, last });
      first = -1;
      last = -1;
    } else if (!isSpace(code)) {
      if (first < 0) first = i;
      last = i;
    }
  }
  spans.push({ first, last });
  return spans;
}

/** Counts lines with code, given the comment nodes (each may span lines, or share a line with code). */
export function codeLines(text: string, comments: Node[]): number {
  const spans = lineSpans(text);
  const commentOnly = new Uint8Array(spans.length);
  for (const comment of comments) {
    const start = comment.startIndex;
    const end = comment.endIndex;
    for (let row = comment.startPosition.row; row <= comment.endPosition.row && row < spans.length; row++) {
      const span = spans[row]!;
      if (span.first >= start && span.last < end) commentOnly[row] = 1;
    }
  }
  let count = 0;
  for (let row = 0; row < spans.length; row++) {
    if (spans[row]!.first >= 0 && !commentOnly[row]) count++;
  }
  return count;
}

/** Non-blank lines, for files without a parser. */
export function nonBlankLines(text: string): number {
  let count = 0;
  for (const span of lineSpans(text)) if (span.first >= 0) count++;
  return count;
}

/** Length of the longest line, to recognise minified bundles. */
export function longestLine(text: string): number {
  let longest = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    longest = Math.max(longest, i - start);
    start = i + 1;
  }
  return Math.max(longest, text.length - start);
}
