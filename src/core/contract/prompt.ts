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
 * The change layout (a review of what changed, src/core/changes): each excerpt is an enclosing
 * function (or a few lines around a change) with its true line numbers; the lines the change adds or
 * rewrites are marked `N+| `. Before a file's first excerpt in a batch, a CHANGE block gives the
 * file's outline (signatures with their lines), the signatures it imports, and the code the change
 * deleted, by place only — deleted code is named, never sent:
 *
 *   <<<CHORUS CHANGE path="src/app.ts">>>
 *   outline 3| export function load(path: string): Config {
 *   import src/x.ts 12| export function parse(text: string): Ast {
 *   removed 4 line(s) of the old file before line 41
 *   <<<CHORUS END CHANGE>>>
 *   <<<CHORUS FILE path="src/app.ts" lines=3 firstLine=40>>>
 *   40| function run() {
 *   41+|   return load(x);
 *   42| }
 *   <<<CHORUS END FILE>>>
 *
 * Bumping PROMPT_VERSION invalidates every cached result.
 */
import { FINDINGS_TOOL_NAME } from './findingsTool';

// 2: the findings tool's schema carries caps (maxItems, maxLength).
// 3: the change layout (CHANGE blocks, `N+| ` marks on changed lines).
// 4: a shorter system prompt and tool schema (caps enforced on the way back, not sent).
export const PROMPT_VERSION = 4;

/** One line of an outline: a signature (a function's first line) at its true line number. */
export interface OutlineEntry {
  line: number;
  text: string;
}

/** What a change review tells about a file beside its excerpts (see the change layout above). */
export interface ChangeContext {
  /** Signatures of the file's functions, with their lines. */
  outline?: readonly OutlineEntry[];
  /** Signatures of directly imported symbols, by the (workspace-relative) file that declares them. */
  imports?: readonly { path: string; entries: readonly OutlineEntry[] }[];
  /** Code the change removed, by place: `count` old lines that stood before new line `beforeLine`. */
  removed?: readonly { count: number; beforeLine: number }[];
}

export interface PromptFile {
  /** Workspace-relative, forward slashes. */
  path: string;
  /** Already redacted text. */
  text: string;
  /** Line number of the first line of `text` in the original file (chunks); 1 by default. */
  firstLine?: number;
  /** Change layout: original line numbers the change adds or rewrites, marked `N+| `. */
  changedLines?: readonly number[];
  /** Change layout: the CHANGE block rendered before this excerpt (a file's first in a batch). */
  change?: ChangeContext;
}

const OPEN = /^<<<CHORUS FILE path="((?:[^"\\]|\\.)*)" lines=(\d+)(?: firstLine=(\d+))?>>>$/;
const CLOSE = '<<<CHORUS END FILE>>>';
const CHANGE_CLOSE = '<<<CHORUS END CHANGE>>>';
/** Told once per batch in the change layout (the system prompt stays the same for every request). */
const CHANGE_GUIDANCE =
  'Lines marked `N+|` are the change: report problems it introduces or exposes. The rest is context.';
/** Longest outline or import line sent (a signature, not a body); longer ones are cut. */
export const OUTLINE_LINE_CHARS = 160;

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

function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  // A trailing newline ends the last line; it does not start a new one.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function quotePath(path: string): string {
  return path.replace(/["\\]/g, (c) => `\\${c}`);
}

/** A signature as one line: control characters blanked, cut at OUTLINE_LINE_CHARS. */
function outlineText(text: string): string {
  // eslint-disable-next-line no-control-regex
  const one = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return one.length > OUTLINE_LINE_CHARS ? `${one.slice(0, OUTLINE_LINE_CHARS - 1)}…` : one;
}

export function renderChange(path: string, change: ChangeContext): string {
  const body: string[] = [];
  for (const e of change.outline ?? []) body.push(`outline ${e.line}| ${outlineText(e.text)}`);
  for (const imp of change.imports ?? []) {
    for (const e of imp.entries) body.push(`import ${outlineText(imp.path)} ${e.line}| ${outlineText(e.text)}`);
  }
  for (const r of change.removed ?? []) body.push(`removed ${r.count} line(s) of the old file before line ${r.beforeLine}`);
  return [`<<<CHORUS CHANGE path="${quotePath(path)}">>>`, ...body, CHANGE_CLOSE].join('\n');
}

export function renderFile(file: PromptFile): string {
  const lines = splitLines(file.text);
  const first = file.firstLine ?? 1;
  const header = `<<<CHORUS FILE path="${quotePath(file.path)}" lines=${lines.length}${first !== 1 ? ` firstLine=${first}` : ''}>>>`;
  const changed = file.changedLines ? new Set(file.changedLines) : undefined;
  const body = lines.map((line, i) => `${i + first}${changed?.has(i + first) ? '+' : ''}| ${line}`);
  const rendered = [header, ...body, CLOSE].join('\n');
  return file.change ? `${renderChange(file.path, file.change)}\n${rendered}` : rendered;
}

/** The user message for a batch. */
export function renderBatchPrompt(files: readonly PromptFile[], instructions?: string): string {
  const intro =
    (files.some((f) => f.changedLines) ? `Review the changes in these ${files.length} excerpt(s). ${CHANGE_GUIDANCE}` : `Review these ${files.length} file(s).`) +
    (instructions ? `\nProject guidance: ${guidanceText(instructions)}` : '');
  return [intro, ...files.map(renderFile)].join('\n\n');
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

/** Recovers the files of a batch prompt (the emulator uses this; tests use it to check requests). */
export function parseBatchPrompt(prompt: string): ParsedPromptFile[] {
  const out: ParsedPromptFile[] = [];
  let current: ParsedPromptFile | undefined;
  for (const line of prompt.split('\n')) {
    if (current) {
      if (line === CLOSE) {
        out.push(current);
        current = undefined;
        continue;
      }
      const bar = line.indexOf('| ');
      if (bar > 0 && line[bar - 1] === '+') (current.changed ??= []).push(current.firstLine + current.lines.length);
      current.lines.push(bar >= 0 ? line.slice(bar + 2) : line);
      continue;
    }
    const m = OPEN.exec(line);
    if (m) {
      current = {
        path: (m[1] ?? '').replace(/\\(.)/g, '$1'),
        firstLine: m[3] ? Number(m[3]) : 1,
        lines: [],
      };
    }
  }
  return out;
}
