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
 * Bumping PROMPT_VERSION invalidates every cached result.
 */
import { FINDINGS_TOOL_NAME } from './findingsTool';

// 2: the findings tool's schema carries caps (maxItems, maxLength).
export const PROMPT_VERSION = 2;

export interface PromptFile {
  /** Workspace-relative, forward slashes. */
  path: string;
  /** Already redacted text. */
  text: string;
  /** Line number of the first line of `text` in the original file (chunks); 1 by default. */
  firstLine?: number;
}

const OPEN = /^<<<CHORUS FILE path="((?:[^"\\]|\\.)*)" lines=(\d+)(?: firstLine=(\d+))?>>>$/;
const CLOSE = '<<<CHORUS END FILE>>>';

export const SYSTEM_PROMPT = [
  'You are Chorus, a meticulous code reviewer.',
  'Find real defects: bugs, security problems, error handling mistakes, risky constructs, and maintainability hazards.',
  `Report them by calling the ${FINDINGS_TOOL_NAME} tool once. If you cannot call tools, answer with only the JSON object {"findings": [...]} and no prose.`,
  'Each finding names the file exactly as in its FILE marker and the 1-based line numbers shown in the listing.',
  'Do not report style nits. Do not invent files or lines.',
].join('\n');

function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  // A trailing newline ends the last line; it does not start a new one.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function renderFile(file: PromptFile): string {
  const lines = splitLines(file.text);
  const first = file.firstLine ?? 1;
  const path = file.path.replace(/["\\]/g, (c) => `\\${c}`);
  const header = `<<<CHORUS FILE path="${path}" lines=${lines.length}${first !== 1 ? ` firstLine=${first}` : ''}>>>`;
  const body = lines.map((line, i) => `${i + first}| ${line}`);
  return [header, ...body, CLOSE].join('\n');
}

/** The user message for a batch. */
export function renderBatchPrompt(files: readonly PromptFile[], instructions?: string): string {
  const intro = `Review these ${files.length} file(s).` + (instructions ? `\nProject guidance: ${guidanceText(instructions)}` : '');
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
