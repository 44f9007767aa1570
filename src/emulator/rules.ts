/**
 * The emulator's "model": simple deterministic rules over the files of a batch, so tests and the
 * offline demo see real findings on real lines. Lines are 1-based numbers of the original file
 * (a chunk's firstLine is respected), paths exactly as in the prompt's FILE markers.
 */
import { codeLines } from './codeText';
import type { ReadFile } from './promptReader';

/** A finding as the emulated model reports it (the findings tool's fields, written from the tool's docs). */
export interface EmulatedFinding {
  file: string;
  startLine: number;
  endLine: number;
  severity: 'error' | 'warning' | 'info';
  ruleId: string;
  message: string;
  suggestion?: string;
  snippet?: string;
}

/** Starts every message of the emulator's rules, so its findings are never taken for a model's. */
export const EMULATOR_MARK = '[emulator] ';

/** A function longer than this many lines is reported. */
export const LONG_FUNCTION_LINES = 60;

const JS_LIKE = /\.(?:[cm]?[jt]sx?)$/i;
const BRACE_LANGS = /\.(?:[cm]?[jt]sx?|java|cs|go|c|h|cc|cpp|hpp|kt|swift|rs|php|scala)$/i;
const PYTHON = /\.pyw?$/i;

/** The code part of a file's lines (codeText.ts): strings, comments and JS regex literals blanked. */
function codeOf(file: ReadFile): string[] {
  return PYTHON.test(file.path) ? file.lines.map((l) => l.replace(/#.*$/, '')) : codeLines(file.lines, JS_LIKE.test(file.path));
}

type Emit = (index: number, endIndex: number, severity: EmulatedFinding['severity'], ruleId: string, message: string, suggestion?: string, snippet?: string) => void;

/** The offending code as the findings tool asks for it (exact ranges): the first match on the line. */
function snippetOf(line: string, pattern: RegExp): string | undefined {
  return pattern.exec(line)?.[0].trim() || undefined;
}

function lineRules(file: ReadFile, emit: Emit): void {
  const js = JS_LIKE.test(file.path);
  const py = PYTHON.test(file.path);
  const codes = codeOf(file);
  file.lines.forEach((line, i) => {
    const code = codes[i]!;
    if (/(?<![\w.])eval\s*\(/.test(code)) {
      emit(i, i, 'error', 'no-eval', '`eval` runs arbitrary code; parse the data or call the function directly.', undefined, snippetOf(line, /(?<![\w.])eval\s*\([^()]*\)?/));
    }
    if (js && /[^=!<>]==(?!=)|!=(?!=)/.test(code)) {
      const fixed = line.replace(/([^=!<>])==(?!=)/g, '$1===').replace(/!=(?!=)/g, '!==');
      emit(i, i, 'warning', 'eqeqeq', 'Loose equality coerces types; use === or !==.', fixed, snippetOf(line, /[\w$.\])]+\s*(?:[^=!<>]==(?!=)|!=(?!=))\s*[\w$."'[(]+/) ?? snippetOf(line, /[^=!<>]==(?!=)|!=(?!=)/));
    }
    if (/(?:\/\/|#|\/\*|^\s*\*).*\b(?:TODO|FIXME)\b/.test(line)) {
      emit(i, i, 'info', 'todo-comment', 'Unfinished work is marked here (TODO/FIXME).', undefined, snippetOf(line, /\b(?:TODO|FIXME)\b.*$/));
    }
    if (py && /^\s*except\s*:/.test(line)) {
      emit(i, i, 'warning', 'bare-except', 'A bare `except:` also catches KeyboardInterrupt and SystemExit; name the exception.');
    }
    // `name = "…"`, `name: "…"` or `name: Type = "…"`, with a name that says it holds a credential.
    if (/\b(?:password|passwd|pwd|secret|api_?key|access_?token)\w*\s*(?::\s*[\w.<>[\]| ]+?\s*)?[:=]\s*["'][^"']{4,}["']/i.test(line)) {
      emit(i, i, 'error', 'hardcoded-secret', 'A credential appears to be hard-coded; read it from the environment or a secret store.', undefined, snippetOf(line, /\b(?:password|passwd|pwd|secret|api_?key|access_?token)\w*\s*(?::\s*[\w.<>[\]| ]+?\s*)?[:=]\s*["'][^"']{4,}["']/i));
    }
  });
}

/** `catch (e) {}` on one line, or a catch block whose only content is blank lines. */
function emptyCatches(file: ReadFile, emit: Emit): void {
  if (!BRACE_LANGS.test(file.path) && !PYTHON.test(file.path)) return;
  const lines = file.lines;
  const codes = codeOf(file);
  lines.forEach((line, i) => {
    if (PYTHON.test(file.path)) {
      if (/^\s*except\b.*:\s*$/.test(line) && /^\s*pass\s*$/.test(lines[i + 1] ?? '')) {
        emit(i, i + 1, 'warning', 'empty-catch', 'The exception is swallowed silently; handle or log it.');
      }
      return;
    }
    const code = codes[i]!;
    if (/\bcatch\b[^{]*\{\s*\}/.test(code)) {
      emit(i, i, 'warning', 'empty-catch', 'The error is swallowed silently; handle or log it.');
    } else if (/\bcatch\b[^{]*\{\s*$/.test(code)) {
      let j = i + 1;
      while (j < lines.length && lines[j]!.trim() === '') j++;
      if (j < lines.length && /^\s*\}/.test(lines[j]!)) {
        emit(i, j, 'warning', 'empty-catch', 'The error is swallowed silently; handle or log it.');
      }
    }
  });
}

const FUNCTION_START = /\bfunction\b[^(]*\(|=>\s*\{\s*$|^\s*(?:(?:public|private|protected|static|async|override)\s+)*[A-Za-z_$][\w$]*\s*\([^;]*\)\s*(?::\s*[^={]+)?\{\s*$|^\s*func\s|^\s*fn\s/;

/** Functions longer than LONG_FUNCTION_LINES: brace matching for C-like files, indentation for Python. */
function longFunctions(file: ReadFile, emit: Emit): void {
  const lines = file.lines;
  const report = (start: number, end: number) => {
    if (end - start + 1 > LONG_FUNCTION_LINES) {
      emit(start, start, 'info', 'long-function', `This function is ${end - start + 1} lines long; split it into smaller ones.`);
    }
  };
  if (PYTHON.test(file.path)) {
    lines.forEach((line, i) => {
      const m = /^(\s*)(?:async\s+)?def\s/.exec(line);
      if (!m) return;
      const indent = m[1]!.length;
      let end = i;
      for (let j = i + 1; j < lines.length; j++) {
        const l = lines[j]!;
        if (l.trim() === '') continue;
        if (l.length - l.trimStart().length <= indent) break;
        end = j;
      }
      report(i, end);
    });
    return;
  }
  if (!BRACE_LANGS.test(file.path)) return;
  const codes = codeOf(file); // once per file: each function start scans ahead
  codes.forEach((code, i) => {
    if (!FUNCTION_START.test(code) || /^\s*(?:if|for|while|switch|catch|else)\b/.test(code)) return;
    let depth = 0;
    let opened = false;
    for (let j = i; j < codes.length; j++) {
      for (const ch of codes[j]!) {
        if (ch === '{') { depth++; opened = true; }
        else if (ch === '}') depth--;
      }
      if (opened && depth <= 0) return report(i, j);
    }
  });
}

export function findFindings(files: readonly ReadFile[]): EmulatedFinding[] {
  const out: EmulatedFinding[] = [];
  for (const file of files) {
    const ofFile: EmulatedFinding[] = [];
    const emit: Emit = (index, endIndex, severity, ruleId, message, suggestion, snippet) => {
      const finding: EmulatedFinding = {
        file: file.path,
        startLine: file.firstLine + index,
        endLine: file.firstLine + endIndex,
        severity,
        ruleId,
        // Canned rules, not a model's judgement: every host shows it (diagnostics, CLI, SARIF, report).
        message: `${EMULATOR_MARK}${message}`,
      };
      if (suggestion !== undefined) finding.suggestion = suggestion;
      if (snippet !== undefined) finding.snippet = snippet;
      ofFile.push(finding);
    };
    lineRules(file, emit);
    emptyCatches(file, emit);
    longFunctions(file, emit);
    // Files in prompt order, findings by line within a file (sort is stable: rule order breaks ties).
    out.push(...ofFile.sort((a, b) => a.startLine - b.startLine));
  }
  return out;
}
