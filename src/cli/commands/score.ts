/**
 * `chorus score [DIR] [--json]`: complexity metrics and scored groups for a directory, without
 * calling any model. The walk here is deliberately small (root and nested .gitignore files,
 * node_modules/.git skipped, binary files skipped); the analyze pipeline has its own discovery.
 */
import { Command } from 'commander';
import { availableParallelism } from 'node:os';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { createScorer, type ScoreInput, type ScoreResult } from '../../core/score';
import { terminalSafeLine } from '../../core/text';

const ALWAYS_SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn']);
/** Larger files are not even read: they would be scored by size only anyway. */
const MAX_READ_BYTES = 16 * 1024 * 1024;
const READ_CONCURRENCY = 32;

interface Skipped { path: string; reason: string }

interface Walked { paths: string[]; skipped: Skipped[] }

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** Lists files under root, applying every .gitignore on the way down (each relative to its own directory). */
async function walk(root: string): Promise<Walked> {
  const paths: string[] = [];
  const skipped: Skipped[] = [];
  const visit = async (dir: string, rules: { base: string; ig: Ignore }[]): Promise<void> => {
    const gitignore = await readFile(join(root, dir, '.gitignore'), 'utf8').catch(() => undefined);
    const scoped = gitignore === undefined ? rules : [...rules, { base: dir, ig: ignore().add(gitignore) }];
    const entries = await readdir(join(root, dir), { withFileTypes: true });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory() && ALWAYS_SKIPPED.has(entry.name)) continue;
      if (!entry.isDirectory() && !entry.isFile()) continue;
      const ignored = scoped.some(({ base, ig }) => {
        const rel = base ? path.slice(base.length + 1) : path;
        return ig.ignores(entry.isDirectory() ? `${rel}/` : rel);
      });
      if (ignored) continue;
      if (entry.isDirectory()) await visit(path, scoped);
      else paths.push(path);
    }
  };
  await visit('', []);
  return { paths, skipped };
}

/** Reads files with bounded concurrency; binary and oversized files are skipped with a reason. */
async function readInputs(root: string, walked: Walked): Promise<ScoreInput[]> {
  const inputs = new Array<ScoreInput | undefined>(walked.paths.length);
  const decoder = new TextDecoder('utf-8');
  let next = 0;
  const reader = async () => {
    for (let i = next++; i < walked.paths.length; i = next++) {
      const path = walked.paths[i]!;
      const full = join(root, path);
      const size = (await stat(full)).size;
      if (size > MAX_READ_BYTES) {
        walked.skipped.push({ path, reason: `larger than ${MAX_READ_BYTES / 1024 / 1024} MB` });
        continue;
      }
      const buffer = await readFile(full);
      if (buffer.subarray(0, 8192).includes(0)) {
        walked.skipped.push({ path, reason: 'binary' });
        continue;
      }
      inputs[i] = { path, text: decoder.decode(buffer), bytes: buffer.length };
    }
  };
  await Promise.all(Array.from({ length: READ_CONCURRENCY }, reader));
  return inputs.filter((input): input is ScoreInput => input !== undefined);
}

/** File and function names come from the repository: shown as data on the terminal (the JSON stays exact). */
function textReport(result: ScoreResult, skipped: Skipped[]): string {
  const lines: string[] = [];
  const parsed = result.files.filter((f) => !f.note?.startsWith('size-only'));
  lines.push(`${result.files.length} files (${parsed.length} parsed), ${result.groups.length} groups, ${skipped.length} skipped`);
  lines.push('', 'score  complexity  files  KB     first file');
  for (const group of [...result.groups].sort((a, b) => b.score - a.score)) {
    lines.push(`${group.score.toFixed(2).padStart(5)}  ${group.complexity.toFixed(2).padStart(10)}  ${String(group.files.length).padStart(5)}  ${(group.totalSize / 1024).toFixed(0).padStart(5)}  ${terminalSafeLine(group.files[0] ?? '')}`);
  }
  const functions = result.files.flatMap((f) => f.functions.map((fn) => ({ file: f.path, fn })));
  functions.sort((a, b) => b.fn.cyclomatic - a.fn.cyclomatic);
  lines.push('', 'most complex functions:');
  for (const { file, fn } of functions.slice(0, 10)) {
    lines.push(`  ${String(fn.cyclomatic).padStart(3)}  ${terminalSafeLine(file)}:${fn.startLine}  ${terminalSafeLine(fn.name)}`);
  }
  return `${lines.join('\n')}\n`;
}

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, got '${value}'`);
  return n;
}

export interface ScoreCommandOptions { json?: boolean; workers?: string; maxGroupSize?: string; timeoutMs?: string }

export async function runScore(dir: string, opts: ScoreCommandOptions, write: (text: string) => void): Promise<void> {
  const root = resolve(dir);
  if (!(await stat(root).catch(() => undefined))?.isDirectory()) throw new Error(`not a directory: ${dir}`);
  const walked = await walk(root);
  const inputs = await readInputs(root, walked);
  const scorer = createScorer({
    // The CLI owns the machine: every core scores (the extension host keeps one free for the UI).
    workers: opts.workers ? positiveInt('--workers', opts.workers) : availableParallelism(),
    ...(opts.maxGroupSize ? { maxGroupSize: positiveInt('--max-group-size', opts.maxGroupSize) } : {}),
    ...(opts.timeoutMs ? { timeoutMsPerFile: positiveInt('--timeout-ms', opts.timeoutMs) } : {}),
  });
  try {
    const result = await scorer.score(inputs);
    const skipped = walked.skipped.sort((a, b) => (a.path < b.path ? -1 : 1));
    write(opts.json ? `${JSON.stringify({ ...result, skipped, root: toPosix(relative(process.cwd(), root)) || '.' }, null, 2)}\n` : textReport(result, skipped));
  } finally {
    scorer.dispose();
  }
}

export function scoreCommand(): Command {
  return new Command('score')
    .description('Parse and score a directory: per-function complexity, imports, and groups with their 0..1 score.')
    .argument('[dir]', 'directory to score', '.')
    .option('--json', 'print { files, groups, skipped } as JSON')
    .option('--workers <n>', 'worker threads (default: all cores)')
    .option('--max-group-size <n>', 'most files in one group (default 20)')
    .option('--timeout-ms <n>', 'per-file parse budget; slower files are scored by size only (default 2000)')
    .action(async (dir: string, opts: ScoreCommandOptions) => {
      await runScore(dir, opts, (text) => process.stdout.write(text));
    });
}
