/**
 * One file's metrics: parse with tree-sitter, run the language's query once, derive functions,
 * code lines and raw imports. Runs in a worker thread (worker.ts) and, for tests, in-process.
 * Never throws for bad input: a file that cannot be parsed gets size-only metrics and a note.
 */
import type { FileAnalysis } from './types';
import { extensionOf, languageForPath, type LanguageId } from './lang/languages';
import { loadLanguage } from './lang/treeSitter';
import { functionMetrics } from './metrics/functionMetrics';
import { codeLines, longestLine, nonBlankLines } from './metrics/codeLines';
import { extractImports } from './imports/extract';

export interface AnalyzeOptions {
  /** Parse and query budget; past it the file is scored by size only. */
  timeoutMs: number;
  /** Larger files are scored by size only. */
  maxParseBytes: number;
}

export const DEFAULT_ANALYZE_OPTIONS: AnalyzeOptions = { timeoutMs: 2000, maxParseBytes: 1024 * 1024 };

/** A line this long means generated or minified code: still parsed, but flagged. */
const MINIFIED_LINE = 2000;

export function sizeOnly(text: string, note: string, language = 'text'): FileAnalysis {
  return { language, loc: nonBlankLines(text), functions: [], rawImports: [], note };
}

/** NUL in the first 8 KB: the same test git uses to call a file binary. */
export function looksBinary(text: string): boolean {
  return text.slice(0, 8192).includes('\u0000');
}

function describeSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}

export async function analyzeFile(path: string, text: string, bytes: number, options = DEFAULT_ANALYZE_OPTIONS): Promise<FileAnalysis> {
  const language = languageForPath(path);
  if (looksBinary(text)) return { language: 'text', loc: 0, functions: [], rawImports: [], note: 'size-only: binary file' };
  if (!language) {
    const ext = extensionOf(path);
    return sizeOnly(text, `size-only: no parser for ${ext ? `.${ext}` : 'files without an extension'}`);
  }
  if (bytes > options.maxParseBytes) {
    return sizeOnly(text, `size-only: ${describeSize(bytes)} is above the ${describeSize(options.maxParseBytes)} parse limit`, language);
  }
  return parseAndMeasure(language, text, options.timeoutMs);
}

/**
 * The budget is this thread's CPU time where Node can tell (24+): on a busy machine a file must not
 * lose its metrics because other processes had the cores. Older runtimes fall back to wall time.
 */
const threadCpu = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.bind(process);
const budgetClock: () => number = threadCpu
  ? () => {
      const usage = threadCpu();
      return (usage.user + usage.system) / 1000;
    }
  : () => performance.now();

async function parseAndMeasure(id: LanguageId, text: string, timeoutMs: number): Promise<FileAnalysis> {
  const { parser, query } = await loadLanguage(id);
  const deadline = budgetClock() + timeoutMs;
  const pastDeadline = () => budgetClock() > deadline;
  const tree = parser.parse(text, null, { progressCallback: pastDeadline });
  // A cancelled parse leaves state behind; reset so the next file starts clean.
  if (!tree) {
    parser.reset();
    return sizeOnly(text, `size-only: parse timed out after ${timeoutMs} ms`, id);
  }
  try {
    const captures = query.captures(tree.rootNode, { progressCallback: pastDeadline });
    if (pastDeadline()) return sizeOnly(text, `size-only: analysis timed out after ${timeoutMs} ms`, id);
    const isJs = id === 'javascript' || id === 'typescript' || id === 'tsx';
    const notes: string[] = [];
    if (tree.rootNode.hasError) notes.push('partial: syntax errors (metrics from the recoverable tree)');
    if (text.includes('\uFFFD')) notes.push('not valid UTF-8 (decoded with replacement characters)');
    const longest = longestLine(text);
    if (longest > MINIFIED_LINE) notes.push(`looks minified or generated (a ${longest}-character line)`);
    const analysis: FileAnalysis = {
      language: id,
      loc: codeLines(text, captures.filter((c) => c.name === 'comment').map((c) => c.node)),
      functions: functionMetrics(captures, text.length, isJs),
      rawImports: extractImports(captures),
    };
    if (notes.length > 0) analysis.note = notes.join('; ');
    return analysis;
  } finally {
    tree.delete();
  }
}
