/**
 * `.gitignore` at every level, the way git applies them: rules of a directory's `.gitignore` are
 * relative to that directory, deeper files are consulted after shallower ones (so they can
 * re-include with `!pattern`), and nothing inside an ignored directory is looked at again.
 */
import ignore, { type Ignore } from 'ignore';
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';

interface Level {
  /** Directory of the .gitignore, workspace-relative ('' for the root). */
  dir: string;
  rules: Ignore;
}

export class GitignoreStack {
  private constructor(private readonly levels: readonly Level[]) {}

  static empty(): GitignoreStack {
    return new GitignoreStack([]);
  }

  /** The stack for the children of `dir`: this one plus `dir/.gitignore` when it exists. */
  async enter(root: string, dir: string): Promise<GitignoreStack> {
    let content: string;
    try {
      content = await readFile(join(root, dir, '.gitignore'), 'utf8');
    } catch {
      return this;
    }
    return new GitignoreStack([...this.levels, { dir, rules: ignore().add(content) }]);
  }

  /** Whether a workspace-relative path (directories with a trailing '/') is ignored. */
  ignores(path: string): boolean {
    let ignored = false;
    for (const level of this.levels) {
      const rel = level.dir === '' ? path : posix.relative(level.dir, path) + (path.endsWith('/') ? '/' : '');
      if (rel.startsWith('..')) continue;
      const result = level.rules.test(rel);
      if (result.ignored) ignored = true;
      else if (result.unignored) ignored = false;
    }
    return ignored;
  }
}
