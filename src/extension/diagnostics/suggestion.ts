/**
 * The edit behind "Apply suggestion": the model's replacement for lines startLine..endLine
 * (1-based, inclusive) replaces those whole lines, line breaks around them kept. Pure.
 */
import type { Finding } from '../../core/types';
import type { LineInfo, RangeSpec } from './mapFinding';

export interface SuggestionEdit {
  range: RangeSpec;
  text: string;
}

export function suggestionEdit(finding: Finding, lines: LineInfo): SuggestionEdit | undefined {
  if (finding.suggestion === undefined || lines.lineCount === 0) return undefined;
  const last = lines.lineCount - 1;
  const startLine = Math.min(Math.max(finding.startLine - 1, 0), last);
  const endLine = Math.min(Math.max(finding.endLine - 1, startLine), last);
  // The replacement stands for the lines' content; their final line break stays where it is.
  const text = finding.suggestion.replace(/\r?\n$/, '');
  return { range: { startLine, startCharacter: 0, endLine, endCharacter: lines.lineLength(endLine) }, text };
}
