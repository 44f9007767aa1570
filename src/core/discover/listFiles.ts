/**
 * Walks a workspace folder and lists the files a run may consider: `.gitignore` rules at every
 * level, the config's include/exclude globs, never `.git`, never symlinks (they could point outside
 * the folder or loop). Files that are filtered out here never "enter" a run.
 */
import picomatch from 'picomatch';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { GitignoreStack } from './ignoreRules';

export interface PathFilter {
  /** True when a workspace-relative file path passes include/exclude and .gitignore. */
  accepts(path: string, gitignore: GitignoreStack): boolean;
  /** True when a directory (workspace-relative, no trailing slash) should not be entered. */
  prunes(dir: string, gitignore: GitignoreStack): boolean;
}

export function createPathFilter(include: readonly string[], exclude: readonly string[]): PathFilter {
  const included = include.length > 0 ? picomatch([...include], { dot: true }) : () => true;
  const excluded = exclude.length > 0 ? picomatch([...exclude], { dot: true }) : () => false;
  return {
    accepts: (path, gitignore) => included(path) && !excluded(path) && !gitignore.ignores(path),
    prunes: (dir, gitignore) => dir === '.git' || dir.endsWith('/.git') || excluded(dir) || gitignore.ignores(`${dir}/`),
  };
}

/** Every accepted file under `root`, workspace-relative with forward slashes, sorted. */
export async function listFiles(root: string, filter: PathFilter, signal?: AbortSignal): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, parentRules: GitignoreStack): Promise<void> => {
    signal?.throwIfAborted();
    const rules = await parentRules.enter(root, dir);
    let entries;
    try {
      entries = await readdir(join(root, dir), { withFileTypes: true });
    } catch (err) {
      // The folder itself must be readable; an unreadable subfolder's files simply never enter.
      if (dir === '') throw err;
      return;
    }
    for (const entry of entries) {
      const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!filter.prunes(rel, rules)) await walk(rel, rules);
      } else if (entry.isFile() && filter.accepts(rel, rules)) {
        out.push(rel);
      }
    }
  };
  await walk('', GitignoreStack.empty());
  return out.sort();
}

/** The .gitignore stack that applies to one file (for explicitly requested paths). */
export async function gitignoreFor(root: string, path: string): Promise<GitignoreStack> {
  const parts = path.split('/').slice(0, -1);
  let stack = await GitignoreStack.empty().enter(root, '');
  for (let i = 1; i <= parts.length; i++) stack = await stack.enter(root, parts.slice(0, i).join('/'));
  return stack;
}
