/**
 * `--changed-since REF`: the files of a folder that differ from a git ref (committed, staged or in
 * the working tree) plus untracked files that .gitignore does not hide — what a pull request touches.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class GitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitError';
  }
}

async function git(cwd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new GitError(stderr || (err instanceof Error ? err.message : String(err)));
  }
}

/** Workspace-relative paths (relative to `root`, which may be a subfolder of the repository). */
export async function changedSince(root: string, ref: string): Promise<Set<string>> {
  if (ref.startsWith('-')) throw new GitError(`Invalid git ref "${ref}".`);
  try {
    await git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new GitError(`--changed-since: "${ref}" is not a commit in the git repository at ${root} (is it a git repository, and was the ref fetched?).`);
  }
  // --relative limits output to `root` and makes paths relative to it.
  const changed = await git(root, ['diff', '--name-only', '--relative', '--no-renames', '-z', ref, '--']);
  const untracked = await git(root, ['ls-files', '--others', '--exclude-standard', '-z']);
  const paths = [...changed.split('\0'), ...untracked.split('\0')].filter((p) => p !== '');
  return new Set(paths);
}
