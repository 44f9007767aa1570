/**
 * Unified diffs as data: git's output (or any `diff -u`) parsed into files → hunks with the true line
 * numbers of both sides. A diff is untrusted input (a CI job pipes in whatever a pull request has), so
 * a malformed or huge one is a clear DiffError, never a crash or a guess.
 */

export class DiffError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DiffError';
  }
}

/** What the diff does to one file. */
export type DiffStatus = 'added' | 'deleted' | 'modified' | 'renamed' | 'binary';

export interface Hunk {
  /** First line and line count of the hunk on the old and the new side (1-based; a count may be 0). */
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** New-side line numbers of the lines the hunk adds (or rewrites). */
  added: number[];
  /** Their text as the diff carries it (to check the diff matches the file it is applied to). */
  addedText: string[];
  /**
   * Runs of removed old-side lines, each with the new-side line it sat before (`beforeNewLine`;
   * one past the end when removed at the end), so deleted code can be named at its place.
   */
  removed: { oldStart: number; count: number; beforeNewLine: number }[];
}

export interface DiffFile {
  /** Paths as the diff names them (a/ and b/ prefixes dropped); undefined for /dev/null. */
  oldPath?: string;
  newPath?: string;
  status: DiffStatus;
  hunks: Hunk[];
}

export interface DiffLimits {
  /** Characters of diff text accepted. */
  maxChars: number;
  /** Files in one diff. */
  maxFiles: number;
}

export const DEFAULT_DIFF_LIMITS: DiffLimits = { maxChars: 64 * 1024 * 1024, maxFiles: 20_000 };

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** `"a/x y"` (git quotes paths with special characters, C-style) and `a/x` → `x`. */
function unquotePath(raw: string): string | undefined {
  let path = raw.trim();
  if (path.startsWith('"') && path.endsWith('"') && path.length >= 2) {
    path = path.slice(1, -1).replace(/\\([0-7]{3}|.)/g, (_m, c: string) => {
      if (/^[0-7]{3}$/.test(c)) return String.fromCharCode(parseInt(c, 8));
      return ({ n: '\n', t: '\t', '"': '"', '\\': '\\' } as Record<string, string>)[c] ?? c;
    });
    // Octal escapes are UTF-8 bytes: re-decode them.
    path = Buffer.from(path, 'latin1').toString('utf8');
  }
  // `--- a/x\tdate` (diff -u) carries a timestamp after a tab.
  path = path.replace(/\t.*$/, '');
  if (path === '/dev/null') return undefined;
  return path.replace(/^[ab]\//, '');
}

/** Parses a unified diff. Throws DiffError with the line number of the first thing it cannot read. */
export function parseUnifiedDiff(text: string, limits: DiffLimits = DEFAULT_DIFF_LIMITS): DiffFile[] {
  if (typeof text !== 'string') throw new DiffError('Expected the diff as text.');
  if (text.length > limits.maxChars) {
    throw new DiffError(`The diff is ${text.length} characters, above the limit of ${limits.maxChars}; review a smaller range of commits.`);
  }
  if (text.includes('\u0000')) throw new DiffError('The diff contains NUL bytes; it is not a text diff (use git diff without --binary).');
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  const files: DiffFile[] = [];
  let file: DiffFile | undefined;
  /** A `diff --git` header was read and its ---/+++ pair or first hunk not yet. */
  let headerOpen = false;
  let i = 0;
  const fail = (why: string): never => {
    throw new DiffError(`Malformed diff at line ${i + 1}: ${why}.`);
  };
  const start = (partial: Partial<DiffFile>) => {
    if (files.length >= limits.maxFiles) throw new DiffError(`The diff touches more than ${limits.maxFiles} files; review a smaller range.`);
    file = { status: 'modified', hunks: [], ...partial };
    files.push(file);
  };
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.startsWith('diff --git ')) {
      // `diff --git a/x b/y`: the paths; exact ones come from ---/+++ or rename lines when present.
      const m = /^diff --git ("(?:[^"\\]|\\.)*"|\S+) ("(?:[^"\\]|\\.)*"|\S+)$/.exec(line);
      const oldPath = m ? unquotePath(m[1]!) : undefined;
      const newPath = m ? unquotePath(m[2]!) : undefined;
      start({ ...(oldPath !== undefined ? { oldPath } : {}), ...(newPath !== undefined ? { newPath } : {}) });
      headerOpen = true;
      i++;
      continue;
    }
    if (line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      const oldPath = unquotePath(line.slice(4));
      const newPath = unquotePath(lines[i + 1]!.slice(4));
      // After `diff --git` the pair names that file; without one (plain `diff -u`) it starts a file.
      if (!file || !headerOpen) start({});
      headerOpen = false;
      const f = file!;
      if (oldPath === undefined) f.status = 'added';
      else f.oldPath = oldPath;
      if (newPath === undefined) f.status = 'deleted';
      else f.newPath = newPath;
      if (f.status === 'modified' && f.oldPath !== f.newPath) f.status = 'renamed';
      i += 2;
      continue;
    }
    const hunk = HUNK.exec(line);
    if (hunk) {
      if (!file) fail('a hunk before any file header');
      headerOpen = false;
      i = readHunk(lines, i, hunk, file!, fail);
      continue;
    }
    if (file) {
      if (line.startsWith('new file mode')) file.status = 'added';
      else if (line.startsWith('deleted file mode')) file.status = 'deleted';
      else if (line.startsWith('rename from ')) {
        const from = unquotePath(line.slice(12));
        if (from !== undefined) file.oldPath = from;
        file.status = 'renamed';
      } else if (line.startsWith('rename to ')) {
        const to = unquotePath(line.slice(10));
        if (to !== undefined) file.newPath = to;
      }
      else if (line.startsWith('Binary files ') || line === 'GIT binary patch') {
        // Its header ends here: a ---/+++ pair after it starts the next file (a plain diff's).
        file.status = 'binary';
        headerOpen = false;
      }
    }
    // Anything else (index lines, mode lines, `similarity index`, commit headers of git log -p) is skipped.
    i++;
  }
  for (const f of files) {
    if (f.status === 'added') delete f.oldPath;
    if (f.status === 'deleted') delete f.newPath;
  }
  return files;
}

function readHunk(lines: string[], at: number, m: RegExpExecArray, file: DiffFile, fail: (why: string) => never): number {
  const hunk: Hunk = {
    oldStart: Number(m[1]),
    oldLines: m[2] === undefined ? 1 : Number(m[2]),
    newStart: Number(m[3]),
    newLines: m[4] === undefined ? 1 : Number(m[4]),
    added: [],
    addedText: [],
    removed: [],
  };
  if (![hunk.oldStart, hunk.oldLines, hunk.newStart, hunk.newLines].every(Number.isSafeInteger)) fail('hunk line numbers out of range');
  // A count of 0 names the line before the hunk: `-0,0 +1,3` adds three lines at the top.
  let oldLine = hunk.oldLines === 0 ? hunk.oldStart + 1 : hunk.oldStart;
  let newLine = hunk.newLines === 0 ? hunk.newStart + 1 : hunk.newStart;
  let oldLeft = hunk.oldLines;
  let newLeft = hunk.newLines;
  let i = at + 1;
  while (oldLeft > 0 || newLeft > 0) {
    if (i >= lines.length) fail(`the hunk at line ${at + 1} ends early (${oldLeft} old and ${newLeft} new line(s) missing)`);
    const line = lines[i]!;
    const kind = line[0];
    if (kind === '\\') {
      i++; // "\ No newline at end of file"
      continue;
    }
    if (kind === ' ' || line === '') {
      // An empty line is a context line whose leading space an editor stripped.
      if (oldLeft <= 0 || newLeft <= 0) fail('a context line past the hunk\'s counts');
      oldLine++;
      newLine++;
      oldLeft--;
      newLeft--;
    } else if (kind === '-') {
      if (oldLeft <= 0) fail('a removed line past the hunk\'s old count');
      const last = hunk.removed[hunk.removed.length - 1];
      if (last && last.oldStart + last.count === oldLine && last.beforeNewLine === newLine) last.count++;
      else hunk.removed.push({ oldStart: oldLine, count: 1, beforeNewLine: newLine });
      oldLine++;
      oldLeft--;
    } else if (kind === '+') {
      if (newLeft <= 0) fail('an added line past the hunk\'s new count');
      hunk.added.push(newLine);
      hunk.addedText.push(line.slice(1));
      newLine++;
      newLeft--;
    } else {
      fail(`unexpected line in a hunk (starts with ${JSON.stringify(line.slice(0, 12))})`);
    }
    i++;
  }
  while (i < lines.length && lines[i]!.startsWith('\\')) i++;
  file.hunks.push(hunk);
  return i;
}

/** New-side lines the diff adds or rewrites, plus the lines next to a removal (where the code changed). */
export function changedLines(file: DiffFile): Set<number> {
  const out = new Set<number>();
  for (const h of file.hunks) {
    for (const n of h.added) out.add(n);
    for (const r of h.removed) {
      // Lines replaced by added ones are marked already; a pure removal sits between
      // beforeNewLine-1 and beforeNewLine, and both neighbours are "changed".
      if (h.added.includes(r.beforeNewLine)) continue;
      if (r.beforeNewLine > 1) out.add(r.beforeNewLine - 1);
      out.add(r.beforeNewLine);
    }
  }
  return out;
}

/**
 * A whole file as a change: every line counts as changed, so a change review sends each of its
 * functions — and, with the function-level cache, only those whose text changed since the last
 * review (what analyze-on-save sends for a file reviewed before).
 */
export function wholeFileChange(path: string): DiffFile {
  return { newPath: path, status: 'added', hunks: [] };
}
