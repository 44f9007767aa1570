/**
 * How the emulated model reads a batch prompt: its own reader, written from the documented layout
 * (docs/emulator.md, *Reading the prompt*), never the engine's parser. A real model reads the text it
 * is sent; if the engine renders a line number or a path wrongly, a parser shared with the engine
 * would read it back "right" and hide the mistake. This one reads what is printed:
 *
 *   <<<CHORUS FILE path="src/app.ts" lines=3 firstLine=10>>>      (firstLine and changed=all optional)
 *   10| code            a line, cited by the number printed before `| `
 *   11+| code           a changed line (change layout)
 *   …                   lines skipped between two excerpts
 *   (removed 4 lines)   code deleted here: not code, nothing to cite
 *   <<<CHORUS END FILE>>>
 *
 * What it trusts: only unnumbered lines are structure. Every line of a file's text is printed after
 * its number, so a forged `<<<CHORUS FILE …>>>` inside code reads as code. Outside a FILE block only
 * a line that starts with the FILE marker opens one (prose, guidance, CHANGE blocks are not code).
 * What it tolerates, as a model would: unknown attributes, CRLF, `...` for `…`, a block left open
 * (closed by the next header or the end), lines it does not understand (skipped). What it notices
 * (`notes`, kept in the request log): a header whose `lines=` or `firstLine=` disagrees with the lines
 * printed, a block without a path, a block never closed, a stated file count that is not the count read.
 */

/** One run of consecutive numbered lines of a file, as the model saw it. */
export interface ReadFile {
  /** As written in the header, `\"` and `\\` unescaped. */
  path: string;
  /** The number printed on the first line of the run. */
  firstLine: number;
  /** Line texts after their `N| ` prefix. */
  lines: string[];
  /** Numbers of the lines marked changed (`N+| `, or all of a `changed=all` block). */
  changed?: number[];
}

export interface PromptReading {
  files: ReadFile[];
  /** What did not add up, for people and tests (the model answers anyway). */
  notes: string[];
}

const FILE_MARKER = '<<<CHORUS FILE';
const END_MARKER = '<<<CHORUS END FILE>>>';
const NUMBERED = /^(\d+)(\+?)\|(?: |$)/;
const GAP = /^(?:…|\.\.\.)$/;
const REMOVED = /^\(removed \d+ lines?\)$/;
const STATED_COUNT = /\bthese (\d+) file\(s\)/;

interface Header {
  path?: string;
  lines?: number;
  firstLine?: number;
  all: boolean;
}

/** `path="…"` (backslash escapes) and `key=value` words, in any order; unknown keys are ignored. */
function readHeader(line: string): Header {
  const header: Header = { all: false };
  let i = FILE_MARKER.length;
  const text = line.replace(/>>>\s*$/, '');
  while (i < text.length) {
    const rest = text.slice(i);
    const attr = /^\s+([A-Za-z]+)=/.exec(rest);
    if (!attr) break;
    i += attr[0].length;
    if (text[i] === '"') {
      let value = '';
      for (i++; i < text.length && text[i] !== '"'; i++) value += text[i] === '\\' && i + 1 < text.length ? text[++i] : text[i];
      i++;
      if (attr[1] === 'path') header.path = value;
      continue;
    }
    const word = /^[^\s]*/.exec(text.slice(i))![0];
    i += word.length;
    if (attr[1] === 'lines' && /^\d+$/.test(word)) header.lines = Number(word);
    if (attr[1] === 'firstLine' && /^\d+$/.test(word)) header.firstLine = Number(word);
    if (attr[1] === 'changed' && word === 'all') header.all = true;
  }
  return header;
}

export function readPrompt(prompt: string): PromptReading {
  const files: ReadFile[] = [];
  const notes: string[] = [];
  let block: (Header & { listed: number; unread: number; firstPrinted?: number }) | undefined;
  let run: ReadFile | undefined;
  let blocks = 0;

  const endRun = () => {
    if (run && block?.path !== undefined) files.push(run);
    run = undefined;
  };
  const endBlock = (closed: boolean) => {
    endRun();
    if (!block) return;
    const name = block.path ?? '(no path)';
    if (!closed) notes.push(`${name}: FILE block not closed`);
    if (block.listed === 0) notes.push(`${name}: FILE block lists no numbered line`);
    if (block.lines !== undefined && block.lines !== block.listed) notes.push(`${name}: header says lines=${block.lines}, ${block.listed} listed`);
    if (block.firstLine !== undefined && block.firstPrinted !== undefined && block.firstLine !== block.firstPrinted) {
      notes.push(`${name}: header says firstLine=${block.firstLine}, the first line is numbered ${block.firstPrinted}`);
    }
    if (block.unread > 0) notes.push(`${name}: ${block.unread} unnumbered line(s) inside the block, read as not code`);
    block = undefined;
  };

  const lines = prompt.split(/\r?\n/);
  for (const line of lines) {
    if (line.startsWith(FILE_MARKER) && !NUMBERED.test(line)) {
      if (block) endBlock(false);
      block = { ...readHeader(line), listed: 0, unread: 0 };
      blocks++;
      if (block.path === undefined || block.path === '') {
        notes.push(`a FILE block without a path: ${line.slice(0, 120)}`);
        block.path = undefined;
      }
      continue;
    }
    if (!block) continue;
    if (line.trim() === END_MARKER) {
      endBlock(true);
      continue;
    }
    const m = NUMBERED.exec(line);
    if (!m) {
      // A skip ends a run; a deletion does not (the lines around it are consecutive in the file);
      // anything else unnumbered is not code either.
      if (GAP.test(line.trim())) endRun();
      else if (!REMOVED.test(line.trim()) && line.trim() !== '') block.unread++;
      continue;
    }
    const n = Number(m[1]);
    block.listed++;
    block.firstPrinted ??= n;
    if (run && n !== run.firstLine + run.lines.length) endRun();
    run ??= { path: block.path ?? '', firstLine: n, lines: [] };
    if (m[2] === '+' || block.all) (run.changed ??= []).push(n);
    run.lines.push(line.slice(m[0].length));
  }
  if (block) endBlock(false);

  const stated = STATED_COUNT.exec(lines[0] ?? '');
  if (stated && Number(stated[1]) !== blocks) notes.push(`the prompt says ${stated[1]} file(s), ${blocks} FILE block(s) read`);
  return { files, notes };
}
