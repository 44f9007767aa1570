/**
 * Which deletions a batch names. The change layout names a deletion where it stood when that place
 * is listed (an excerpt's line, or the line after its last); so a batch names the deletions at its
 * own excerpts, and the batch carrying the file's first excerpt also the ones no excerpt lists (they
 * go to its CHANGE block). A file cut over several batches does not repeat every deletion in each:
 * a data file's thousand removed runs once cost a thousand lines per batch.
 */
import type { ChangeContext } from '../contract';

interface Listed {
  firstLine?: number;
  text: string;
}

const lastLine = (e: Listed) => (e.firstLine ?? 1) + Math.max(1, e.text.split('\n').length - (e.text.endsWith('\n') ? 1 : 0)) - 1;
const at = (line: number, e: Listed) => line >= (e.firstLine ?? 1) && line <= lastLine(e) + 1;

/** The context a batch sends for a file: `change` with only the deletions this batch names. */
export function contextForBatch(change: ChangeContext, inBatch: readonly Listed[], allOfFile: readonly Listed[], carriesFirst: boolean): ChangeContext {
  if (!change.removed) return change;
  const removed = change.removed.filter((r) => inBatch.some((e) => at(r.beforeLine, e)) || (carriesFirst && !allOfFile.some((e) => at(r.beforeLine, e))));
  const { removed: _all, ...rest } = change;
  return removed.length > 0 ? { ...rest, removed } : rest;
}
