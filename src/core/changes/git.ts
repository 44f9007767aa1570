/**
 * The diffs a change review reads from git: a folder against a ref (`--changed-since REF`: committed,
 * staged and working changes, what a pull request touches) or uncommitted work against HEAD. git runs
 * through execFile with an argument array (never a shell) and a ref from the user is checked first:
 * it may not start with `-` (an option) nor carry characters git refs cannot have.
 */
import { execFile } from 'node:child_process';
import { GitError } from '../discover/changedSince';
import { DEFAULT_DIFF_LIMITS, parseUnifiedDiff, type DiffFile } from './diff';

/** What git refs may be spelled with here (branches, tags, hashes, `HEAD~3`, `origin/main`, `@{u}`). */
const REF = /^[A-Za-z0-9_./@{}~^+-]{1,256}$/;

export function validateRef(ref: string): string {
  if (typeof ref !== 'string' || ref.startsWith('-') || !REF.test(ref) || ref.includes('..')) {
    throw new GitError(`Invalid git ref ${JSON.stringify(String(ref)).slice(0, 80)}: expected a branch, tag or commit (no "..", not starting with "-").`);
  }
  return ref;
}

function git(cwd: string, args: string[], maxBuffer = DEFAULT_DIFF_LIMITS.maxChars): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, maxBuffer, encoding: 'utf8', env: { ...process.env, GIT_EXTERNAL_DIFF: '', GIT_PAGER: 'cat' } }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      if ((err as { code?: unknown }).code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
        return reject(new GitError(`git diff is larger than ${Math.round(maxBuffer / 1024 / 1024)} MB; review a smaller range.`));
      }
      reject(new GitError(stderr.trim() || err.message));
    });
  });
}

/** Flags that make git's output exactly what parseUnifiedDiff reads, whatever the user's git config says. */
const DIFF_FLAGS = ['diff', '--no-color', '--no-ext-diff', '--no-textconv', '--unified=0', '--find-renames', '--relative', '--src-prefix=a/', '--dst-prefix=b/'];

/**
 * Changes of the folder `root` (a repository or a folder in one) against `ref` — or against HEAD when
 * no ref is given (uncommitted work) — with paths relative to `root`. Untracked files that .gitignore
 * does not hide count as added, whole.
 */
export async function gitChanges(root: string, ref?: string): Promise<DiffFile[]> {
  const base = validateRef(ref ?? 'HEAD');
  try {
    await git(root, ['rev-parse', '--verify', '--quiet', `${base}^{commit}`]);
  } catch {
    throw new GitError(`"${base}" is not a commit in the git repository at ${root} (is it a git repository, and was the ref fetched?).`);
  }
  const diff = await git(root, [...DIFF_FLAGS, base, '--']);
  const files = parseUnifiedDiff(diff);
  const untracked = (await git(root, ['ls-files', '--others', '--exclude-standard', '-z'])).split('\0').filter((p) => p !== '');
  for (const path of untracked) files.push({ newPath: path, status: 'added', hunks: [] });
  return files;
}

/** The diff one commit made (against its first parent), for the benchmark's replay. */
export async function commitChanges(root: string, commit: string): Promise<DiffFile[]> {
  const c = validateRef(commit);
  return parseUnifiedDiff(await git(root, [...DIFF_FLAGS, `${c}^`, c, '--']));
}

/** A file's text at a commit (`git show C:path`), or undefined when it is not there. */
export async function fileAt(root: string, commit: string, path: string): Promise<string | undefined> {
  try {
    // `C:./path` is relative to the folder git runs in, as the diff's --relative paths are.
    return await git(root, ['show', `${validateRef(commit)}:./${path}`]);
  } catch {
    return undefined;
  }
}

/** Branches (local first, then remote) and tags of the repository at `root`, for "Review Changes Against…". */
export async function listRefs(root: string, max = 200): Promise<string[]> {
  const out = await git(root, ['for-each-ref', `--count=${max}`, '--sort=-committerdate', '--format=%(refname:short)', 'refs/heads', 'refs/remotes', 'refs/tags']);
  // Only names a review could be asked for again: what validateRef accepts.
  return out.split('\n').filter((r) => r !== '' && !r.endsWith('/HEAD') && REF.test(r) && !r.startsWith('-') && !r.includes('..'));
}
