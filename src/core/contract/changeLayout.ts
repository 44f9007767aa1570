/**
 * The change layout (a review of what changed, src/core/changes): a file's excerpts in one batch are
 * one FILE block. Every line carries its true number, so the block needs no firstLine; `…` stands
 * for the lines between two excerpts; the lines the change adds or rewrites are marked `N+| ` — or,
 * when every listed line is changed (a new file), the marker says `changed=all` once instead of a
 * mark on each line. Code the change deleted is named where it stood, never sent:
 *
 *   <<<CHORUS CHANGE path="src/app.ts">>>
 *   outline 3| export function load(path: string): Config {
 *   import src/x.ts 12| export function parse(text: string): Ast {
 *   <<<CHORUS END CHANGE>>>
 *   <<<CHORUS FILE path="src/app.ts" lines=5>>>
 *   40| function run() {
 *   (removed 4 lines)
 *   41+|   return load(x);
 *   42| }
 *   …
 *   90+| export const LIMIT = 3;
 *   <<<CHORUS END FILE>>>
 *
 * The CHANGE block (only when there is something to say) gives the signatures the excerpts sit in or
 * call, with their lines, those they import, and deletions that stand outside this batch's lines.
 */
import { CLOSE, FILE_OPEN, GAP, quotePath, splitLines } from './markers';

/** One line of an outline: a signature (a function's first line) at its true line number. */
export interface OutlineEntry {
  line: number;
  text: string;
}

/** What a change review tells about a file beside its excerpts. */
export interface ChangeContext {
  /** Signatures of the file's functions, with their lines. */
  outline?: readonly OutlineEntry[];
  /** Signatures of directly imported symbols, by the (workspace-relative) file that declares them. */
  imports?: readonly { path: string; entries: readonly OutlineEntry[] }[];
  /** Code the change removed, by place: `count` old lines that stood before new line `beforeLine`. */
  removed?: readonly { count: number; beforeLine: number }[];
}

/** An excerpt as the change layout needs it (a PromptFile with `changedLines`). */
export interface ChangeExcerpt {
  path: string;
  text: string;
  firstLine?: number;
  changedLines?: readonly number[];
  change?: ChangeContext;
}

const CHANGE_CLOSE = '<<<CHORUS END CHANGE>>>';
/** Most deletions the CHANGE block names one by one (the rest are summed in one line): it is held back from every batch's budget. */
export const MAX_REMOVED_LISTED = 12;
/** Longest outline or import line sent (a signature, not a body); longer ones are cut. */
export const OUTLINE_LINE_CHARS = 160;

/** A signature as one line: control characters blanked, cut at OUTLINE_LINE_CHARS. */
function outlineText(text: string): string {
  // eslint-disable-next-line no-control-regex
  const one = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return one.length > OUTLINE_LINE_CHARS ? `${one.slice(0, OUTLINE_LINE_CHARS - 1)}…` : one;
}

const removedLine = (count: number) => `(removed ${count} line${count === 1 ? '' : 's'})`;

/** The CHANGE block, or '' when it would say nothing; `removed` are the deletions not shown in place. */
export function renderChange(path: string, change: ChangeContext, removed = change.removed ?? []): string {
  const body: string[] = [];
  for (const e of change.outline ?? []) body.push(`outline ${e.line}| ${outlineText(e.text)}`);
  for (const imp of change.imports ?? []) {
    for (const e of imp.entries) body.push(`import ${outlineText(imp.path)} ${e.line}| ${outlineText(e.text)}`);
  }
  for (const r of removed.slice(0, MAX_REMOVED_LISTED)) body.push(`removed ${r.count} line(s) before line ${r.beforeLine}`);
  const more = removed.slice(MAX_REMOVED_LISTED);
  if (more.length > 0) body.push(`removed ${more.reduce((n, r) => n + r.count, 0)} more line(s) in ${more.length} other place(s)`);
  return body.length === 0 ? '' : [`<<<CHORUS CHANGE path="${quotePath(path)}">>>`, ...body, CHANGE_CLOSE].join('\n');
}

/** What a rendered block used, for the batch's one line of guidance. */
export interface BlockFeatures {
  all: boolean;
  gap: boolean;
}

/**
 * One file's excerpts (same path, one batch) as its CHANGE block and one FILE block. Excerpts are
 * listed in line order; an excerpt that repeats lines already listed contributes only the new ones.
 */
export function renderExcerpts(excerpts: readonly ChangeExcerpt[], features?: BlockFeatures): string {
  const path = excerpts[0]!.path;
  const change = excerpts.find((e) => e.change)?.change;
  const rows: { n: number; text: string; changed: boolean }[] = [];
  for (const e of [...excerpts].sort((a, b) => (a.firstLine ?? 1) - (b.firstLine ?? 1))) {
    const first = e.firstLine ?? 1;
    const changed = new Set(e.changedLines ?? []);
    splitLines(e.text).forEach((text, i) => {
      const n = first + i;
      if (rows.length === 0 || n > rows[rows.length - 1]!.n) rows.push({ n, text, changed: changed.has(n) });
    });
  }
  const all = rows.length > 0 && rows.every((r) => r.changed);
  // A deletion is named where it stood when that place is listed: before line N, or after the last
  // line of an excerpt when N is the line after it; the others go to the CHANGE block.
  const removedAt = new Map<number, number>();
  for (const r of change?.removed ?? []) removedAt.set(r.beforeLine, (removedAt.get(r.beforeLine) ?? 0) + r.count);
  const body: string[] = [];
  const shown = new Set<number>();
  rows.forEach((row, i) => {
    const prev = rows[i - 1];
    if (prev && row.n !== prev.n + 1) {
      const after = removedAt.get(prev.n + 1);
      if (after !== undefined) {
        body.push(removedLine(after));
        shown.add(prev.n + 1);
      }
      body.push(GAP);
    }
    const here = removedAt.get(row.n);
    if (here !== undefined) {
      body.push(removedLine(here));
      shown.add(row.n);
    }
    body.push(`${row.n}${row.changed && !all ? '+' : ''}| ${row.text}`);
  });
  const last = rows[rows.length - 1];
  const tail = last ? removedAt.get(last.n + 1) : undefined;
  if (last && tail !== undefined) {
    body.push(removedLine(tail));
    shown.add(last.n + 1);
  }
  if (features) {
    features.all ||= all;
    features.gap ||= body.includes(GAP);
  }
  const header = `${FILE_OPEN} path="${quotePath(path)}" lines=${rows.length}${all ? ' changed=all' : ''}>>>`;
  const context = change ? renderChange(path, change, (change.removed ?? []).filter((r) => !shown.has(r.beforeLine))) : '';
  return [...(context ? [context] : []), header, ...body, CLOSE].join('\n');
}

/** The batch's one line of guidance for the change layout, naming only what its blocks use. */
export function changeGuidance(files: number, features: BlockFeatures): string {
  const marked = features.all ? 'Lines marked `N+|` (every line of a FILE marked changed=all)' : 'Lines marked `N+|`';
  return `Review the change in these ${files} file(s). ${marked} are the change: report problems it introduces or exposes. The rest is context${features.gap ? '; `…` skips lines' : ''}.`;
}
