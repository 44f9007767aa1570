/**
 * A line diff of two versions of one file (Myers' O(ND) algorithm), for a save whose previous
 * analyzed version the engine still holds (incremental.ts): the edit as a DiffFile the change review
 * takes, and where each unchanged old line sits now, so old findings can follow their code.
 * Bounded: a diff of more than `maxEdits` added + removed lines is not computed (undefined) — such a
 * save is analyzed whole anyway.
 */
import { parseUnifiedDiff, type DiffFile } from './diff';

export interface LineDiff {
  /** The edit, in the shape parseUnifiedDiff gives (one hunk per run of changes, no context lines). */
  diff: DiffFile;
  /** New line number (1-based) of each old line that survived unchanged; absent = removed or rewritten. */
  moved: Map<number, number>;
  /** Added + removed lines. */
  edits: number;
}

/** One run of the edit script: old lines [oldStart, oldStart+removed) became new lines [newStart, newStart+added). */
interface Run {
  oldStart: number;
  removed: number;
  newStart: number;
  added: number;
}

/** The shortest edit script between a and b as runs (0-based starts), or undefined above maxEdits. */
function editRuns(a: readonly string[], b: readonly string[], maxEdits: number): Run[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    v = next;
  }
  if (found < 0) return undefined;
  // Walk back through the trace: each step is one removal (x-1) or one addition (y-1) plus a snake.
  const steps: { kind: 'del' | 'add'; x: number; y: number }[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const pv = trace[d]!;
    const k = x - y;
    const down = k === -d || (k !== d && pv[offset + k - 1]! < pv[offset + k + 1]!);
    const prevK = down ? k + 1 : k - 1;
    const prevX = pv[offset + prevK]!;
    const prevY = prevX - prevK;
    if (down) steps.push({ kind: 'add', x: prevX, y: prevY });
    else steps.push({ kind: 'del', x: prevX, y: prevY });
    x = prevX;
    y = prevY;
  }
  steps.reverse();
  const runs: Run[] = [];
  for (const s of steps) {
    const last = runs[runs.length - 1];
    // Steps are contiguous when they start where the last run ended (no common line between them).
    const joins = last && last.oldStart + last.removed === s.x && last.newStart + last.added === s.y;
    const run = joins ? last : { oldStart: s.x, removed: 0, newStart: s.y, added: 0 };
    if (!joins) runs.push(run);
    if (s.kind === 'del') run.removed++;
    else run.added++;
  }
  return runs;
}

function linesOf(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The diff of `before` → `after` of `path`, or undefined when more than maxEdits lines changed. */
export function lineDiff(path: string, before: string, after: string, maxEdits: number): LineDiff | undefined {
  const a = linesOf(before);
  const b = linesOf(after);
  // The common head and tail are most of a save: diff only the middle.
  let top = 0;
  while (top < a.length && top < b.length && a[top] === b[top]) top++;
  let tail = 0;
  while (tail < a.length - top && tail < b.length - top && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const runs = editRuns(a.slice(top, a.length - tail), b.slice(top, b.length - tail), maxEdits);
  if (!runs) return undefined;
  const moved = new Map<number, number>();
  const hunks: string[] = [];
  let oldAt = 0;
  let newAt = 0;
  let edits = 0;
  for (const r of runs.map((r) => ({ ...r, oldStart: r.oldStart + top, newStart: r.newStart + top }))) {
    for (; oldAt < r.oldStart; oldAt++, newAt++) moved.set(oldAt + 1, newAt + 1);
    oldAt += r.removed;
    newAt += r.added;
    edits += r.removed + r.added;
    // Unified diff convention: a side with no lines names the line before the hunk.
    const oldStart = r.removed === 0 ? r.oldStart : r.oldStart + 1;
    const newStart = r.added === 0 ? r.newStart : r.newStart + 1;
    hunks.push(`@@ -${oldStart},${r.removed} +${newStart},${r.added} @@`);
    for (let i = 0; i < r.removed; i++) hunks.push(`-${a[r.oldStart + i]!}`);
    for (let i = 0; i < r.added; i++) hunks.push(`+${b[r.newStart + i]!}`);
  }
  for (; oldAt < a.length; oldAt++, newAt++) moved.set(oldAt + 1, newAt + 1);
  // Parsed under a stand-in name (a path may hold what a diff header cannot), then named.
  const parsed = hunks.length === 0 ? [] : (parseUnifiedDiff(['--- a/file', '+++ b/file', ...hunks, ''].join('\n'))[0]?.hunks ?? []);
  const diff: DiffFile = { oldPath: path, newPath: path, status: 'modified', hunks: parsed };
  return { diff, moved, edits };
}
