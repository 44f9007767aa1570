/**
 * How a batch of files is laid out in the prompt: the other half of the engine/emulator contract.
 *
 *   <<<CHORUS FILE path="src/app.ts" lines=3>>>
 *   1| import x from './x';
 *   2| eval(x);
 *   3|
 *   <<<CHORUS END FILE>>>
 *
 * Lines are numbered from 1 so the model can cite them; the numbers are those of the original file
 * (redaction never adds or removes lines). A chunk of a large file carries `firstLine=N`.
 *
 * The change layout (a review of what changed) is changeLayout.ts: a file's excerpts in a batch as
 * one FILE block with true numbers on every line and `N+| ` on changed lines, after a CHANGE block.
 *
 * Bumping PROMPT_VERSION invalidates every cached result.
 */
import { changeGuidance, renderExcerpts, type BlockFeatures, type ChangeContext } from './changeLayout';
import { FINDINGS_TOOL_NAME } from './findingsTool';
import { CLOSE, FILE_OPEN, GAP, quotePath, splitLines } from './markers';

export { OUTLINE_LINE_CHARS, renderChange, type ChangeContext, type OutlineEntry } from './changeLayout';

// 2: the findings tool's schema carries caps (maxItems, maxLength).
// 3: the change layout (CHANGE blocks, `N+| ` marks on changed lines).
// 4: a shorter system prompt and tool schema (caps enforced on the way back, not sent).
// 5: the change layout's excerpts of a file as one FILE block (`…` between them, deletions in place, changed=all).
export const PROMPT_VERSION = 5;

export interface PromptFile {
  /** Workspace-relative, forward slashes. */
  path: string;
  /** Already redacted text. */
  text: string;
  /** Line number of the first line of `text` in the original file (chunks); 1 by default. */
  firstLine?: number;
  /** Change layout: original line numbers the change adds or rewrites, marked `N+| `. */
  changedLines?: readonly number[];
  /** Change layout: the CHANGE block rendered before the file's FILE block (on one of its excerpts in a batch). */
  change?: ChangeContext;
}

const OPEN = /^<<<CHORUS FILE path="((?:[^"\\]|\\.)*)" lines=(\d+)(?: firstLine=(\d+))?( changed=all)?>>>$/;
/** A listed line: its true number, `+` when the change made it, then the code. */
const NUMBERED = /^(\d+)(\+?)\| /;

/**
 * Every request carries this (and the tool spec), in every mode: each instruction in it changes what
 * a model answers — what to look for and not, how to report (the tool once, or the JSON for a model
 * without tools), how to name files and lines. Field-level help lives in the tool schema, once.
 */
export const SYSTEM_PROMPT = [
  'You are Chorus, a meticulous code reviewer. Find real defects: bugs, security problems, error handling mistakes, risky constructs, maintainability hazards; no style nits.',
  `Report them in one ${FINDINGS_TOOL_NAME} call or, if you cannot call tools, as only the JSON {"findings":[...]} with no prose.`,
  'Name each file exactly as in its FILE marker, with the 1-based line numbers shown; never invent files or lines.',
].join('\n');

/** A file (or a chunk of one) whole: numbered from its first line. */
function renderWholeFile(file: PromptFile): string {
  const lines = splitLines(file.text);
  const first = file.firstLine ?? 1;
  const header = `${FILE_OPEN} path="${quotePath(file.path)}" lines=${lines.length}${first !== 1 ? ` firstLine=${first}` : ''}>>>`;
  return [header, ...lines.map((line, i) => `${i + first}| ${line}`), CLOSE].join('\n');
}

/** One file of a batch: whole, or (with changedLines) as the change layout's block of one excerpt. */
export function renderFile(file: PromptFile): string {
  return file.changedLines ? renderExcerpts([file]) : renderWholeFile(file);
}

/** The user message for a batch. A change review's excerpts of one file go into one block (changeLayout.ts). */
export function renderBatchPrompt(files: readonly PromptFile[], instructions?: string): string {
  const blocks: string[] = [];
  const features: BlockFeatures = { all: false, gap: false };
  const excerpts = new Map<string, PromptFile[]>();
  for (const f of files) {
    if (!f.changedLines) continue;
    const list = excerpts.get(f.path);
    if (list) list.push(f);
    else excerpts.set(f.path, [f]);
  }
  const rendered = new Set<string>();
  for (const f of files) {
    if (!f.changedLines) blocks.push(renderWholeFile(f));
    else if (!rendered.has(f.path)) {
      rendered.add(f.path);
      blocks.push(renderExcerpts(excerpts.get(f.path)!, features));
    }
  }
  const count = files.filter((f) => !f.changedLines).length + excerpts.size;
  const intro =
    (excerpts.size > 0 ? changeGuidance(count, features) : `Review these ${count} file(s).`) +
    (instructions ? `\nProject guidance: ${guidanceText(instructions)}` : '');
  return [intro, ...blocks].join('\n\n');
}

/**
 * Guidance is data (the user's setting, the repository's AGENTS.md and rules): a line in it that
 * looks like a file marker must not open or close a file of the listing.
 */
export function guidanceText(instructions: string): string {
  return instructions.replace(/<<<CHORUS/g, '<<< CHORUS');
}

export interface ParsedPromptFile {
  path: string;
  firstLine: number;
  /** Original line texts (without the numbering). */
  lines: string[];
  /** Lines marked changed (`N+| `), in the change layout only. */
  changed?: number[];
}

/**
 * Recovers the files of a batch prompt (the emulator uses this; tests use it to check requests): one
 * entry per run of consecutive lines, so a change-layout block with `…` in it gives one per excerpt.
 * Lines are read by their own numbers; a line that is not numbered (a deletion named in place) is
 * not code and is left out.
 */
export function parseBatchPrompt(prompt: string): ParsedPromptFile[] {
  const out: ParsedPromptFile[] = [];
  let open: { path: string; all: boolean } | undefined;
  let current: ParsedPromptFile | undefined;
  const flush = () => {
    if (current && current.lines.length > 0) out.push(current);
    current = undefined;
  };
  for (const line of prompt.split('\n')) {
    if (open) {
      if (line === CLOSE || line === GAP) {
        flush();
        if (line === CLOSE) open = undefined;
        continue;
      }
      const m = NUMBERED.exec(line);
      if (!m) continue;
      const n = Number(m[1]);
      if (current && n !== current.firstLine + current.lines.length) flush();
      current ??= { path: open.path, firstLine: n, lines: [] };
      if (m[2] === '+' || open.all) (current.changed ??= []).push(n);
      current.lines.push(line.slice(m[0].length));
      continue;
    }
    const m = OPEN.exec(line);
    if (m) open = { path: (m[1] ?? '').replace(/\\(.)/g, '$1'), all: m[4] !== undefined };
  }
  return out;
}
