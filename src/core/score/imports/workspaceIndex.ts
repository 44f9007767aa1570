/** Lookup tables over the workspace's paths, built once per scoring run for import resolution. */

export function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

export function joinPath(dir: string, relative: string): string | undefined {
  const parts = dir === '' ? [] : dir.split('/');
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined; // escapes the workspace
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return parts.join('/');
}

export class WorkspaceIndex {
  readonly paths: Set<string>;
  private readonly byDir = new Map<string, string[]>();
  private readonly bySuffix = new Map<string, string[]>();
  private readonly dirSuffixCache = new Map<string, string[]>();

  constructor(paths: Iterable<string>) {
    this.paths = new Set(paths);
    for (const path of this.paths) {
      const dir = dirOf(path);
      let list = this.byDir.get(dir);
      if (!list) this.byDir.set(dir, (list = []));
      list.push(path);
    }
  }

  has(path: string): boolean {
    return this.paths.has(path);
  }

  filesIn(dir: string): readonly string[] {
    return this.byDir.get(dir) ?? [];
  }

  /**
   * Files whose path ends with `suffix` at a directory boundary (`a/b.py` matches `src/a/b.py`),
   * for languages that name files by a path relative to some unknown source root.
   * Built lazily per file extension so that unused languages cost nothing.
   */
  withSuffix(suffix: string): readonly string[] {
    const ext = suffix.slice(suffix.lastIndexOf('.'));
    if (!this.bySuffix.has(`\0${ext}`)) this.indexSuffixes(ext);
    return this.bySuffix.get(suffix) ?? [];
  }

  /** Directories whose path ends with `suffix` (Java packages, Go packages by module path). */
  dirsWithSuffix(suffix: string): readonly string[] {
    let out = this.dirSuffixCache.get(suffix);
    if (!out) {
      out = [...this.byDir.keys()].filter((dir) => dir === suffix || dir.endsWith(`/${suffix}`));
      this.dirSuffixCache.set(suffix, out);
    }
    return out;
  }

  private indexSuffixes(ext: string): void {
    this.bySuffix.set(`\0${ext}`, []);
    for (const path of this.paths) {
      if (!path.endsWith(ext)) continue;
      this.addSuffix(path, path);
      for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) this.addSuffix(path.slice(i + 1), path);
    }
  }

  private addSuffix(suffix: string, path: string): void {
    let list = this.bySuffix.get(suffix);
    if (!list) this.bySuffix.set(suffix, (list = []));
    list.push(path);
  }
}

/** Of several candidates, the one sharing the longest directory prefix with `from` (nearest code). */
export function nearest(from: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestShared = -1;
  for (const candidate of candidates) {
    let shared = 0;
    while (shared < from.length && shared < candidate.length && from[shared] === candidate[shared]) shared++;
    if (shared > bestShared) {
      best = candidate;
      bestShared = shared;
    }
  }
  return best;
}
