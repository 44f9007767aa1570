/**
 * Where a change review's diff comes from: a unified diff in a file or on stdin (`--diff FILE|-`,
 * what a CI job on a pull request has), or git (`--changed-since REF`; uncommitted work is
 * `--changed-since HEAD`). Sizes are checked before anything is read whole.
 */
import { open } from 'node:fs/promises';
import { DEFAULT_DIFF_LIMITS, DiffError, parseUnifiedDiff, type DiffFile } from './diff';
import { gitChanges } from './git';

export interface ChangeSource {
  /** A path (relative to the working directory) or `-` for stdin. */
  diff?: string;
  /** A git ref: the folder's changes against it, working tree included. */
  since?: string;
}

/** Reads at most `limit` characters from a stream; more is a DiffError, not a huge buffer. */
export async function readLimited(stream: AsyncIterable<Buffer | string>, limit: number, what: string): Promise<string> {
  const parts: string[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    size += text.length;
    if (size > limit) throw new DiffError(`${what} is larger than ${Math.round(limit / 1024 / 1024)} MB; review a smaller range.`);
    parts.push(text);
  }
  return parts.join('');
}

async function readDiffFile(path: string, limit: number): Promise<string> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw new DiffError(`cannot read the diff ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new DiffError(`the diff ${path} is not a file`);
    if (info.size > limit) throw new DiffError(`the diff ${path} is ${info.size} bytes, above the limit of ${limit}; review a smaller range.`);
    return await handle.readFile({ encoding: 'utf8' });
  } finally {
    await handle.close();
  }
}

/** The changes to review under `root`, or undefined when the source names none (whole-file analysis). */
export async function readChanges(root: string, source: ChangeSource, stdin: AsyncIterable<Buffer | string> = process.stdin): Promise<DiffFile[] | undefined> {
  if (source.diff !== undefined && source.since !== undefined) throw new DiffError('use --diff or --changed-since, not both');
  const limit = DEFAULT_DIFF_LIMITS.maxChars;
  if (source.diff === '-') return parseUnifiedDiff(await readLimited(stdin, limit, 'the diff on stdin'));
  if (source.diff !== undefined) return parseUnifiedDiff(await readDiffFile(source.diff, limit));
  if (source.since !== undefined) return gitChanges(root, source.since);
  return undefined;
}

/** One line for people: what the review sent and reused. */
export function describeChangeStats(stats: { files: number; regions: number; regionsSent: number; regionsCached: number; changedLines: number }): string {
  return `change review: ${stats.changedLines} changed line(s) in ${stats.files} file(s), ${stats.regions} function(s) or excerpt(s): ${stats.regionsSent} sent, ${stats.regionsCached} from the cache`;
}
