/**
 * Resolves import specifiers to workspace files, per language. Anything outside the workspace
 * (packages, the standard library, system headers) resolves to nothing: the import graph is about
 * how the workspace's own files depend on each other.
 */
import type { RawImport } from '../types';
import { dirOf, joinPath, nearest, WorkspaceIndex } from './workspaceIndex';
import { goModules, resolveGo, type GoModule } from './goModules';
import { resolveRust } from './rust';

const JS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.d.ts'];

/** `./a` → a.ts, a.tsx, …, a/index.ts…; `./a.js` written for ESM also finds a.ts (TypeScript's rule). */
function resolveJs(index: WorkspaceIndex, from: string, spec: string): string[] {
  if (!spec.startsWith('./') && !spec.startsWith('../') && spec !== '.' && spec !== '..') return [];
  const base = joinPath(dirOf(from), spec);
  if (base === undefined) return [];
  const candidates = [base];
  const jsExt = /\.(m|c)?jsx?$/.exec(base);
  if (jsExt) {
    const stem = base.slice(0, -jsExt[0].length);
    const tsExt = jsExt[0].replace('js', 'ts');
    candidates.push(stem + tsExt, `${stem}.tsx`, `${stem}.d.ts`);
  }
  for (const ext of JS_EXTENSIONS) candidates.push(base + ext);
  for (const ext of JS_EXTENSIONS) candidates.push(`${base}/index${ext}`);
  const hit = candidates.find((c) => index.has(c));
  return hit ? [hit] : [];
}

/** A dotted module: relative (leading dots) to the importing package, else any workspace root. */
function pythonModule(index: WorkspaceIndex, from: string, spec: string): string | undefined {
  const dots = /^\.*/.exec(spec)![0].length;
  const rest = spec.slice(dots).split('.').filter(Boolean).join('/');
  if (dots > 0) {
    let dir = dirOf(from);
    for (let i = 1; i < dots; i++) dir = dirOf(dir);
    const base = rest ? (dir ? `${dir}/${rest}` : rest) : dir;
    return [`${base}.py`, `${base}/__init__.py`, `${base}.pyi`].find((c) => index.has(c));
  }
  if (!rest) return undefined;
  return nearest(from, [...index.withSuffix(`${rest}.py`), ...index.withSuffix(`${rest}/__init__.py`)]);
}

function resolvePython(index: WorkspaceIndex, from: string, raw: RawImport): string[] {
  const found = new Set<string>();
  const module = pythonModule(index, from, raw.spec);
  if (module) found.add(module);
  // `from pkg import mod`: each name may itself be a submodule of the package.
  for (const name of raw.names ?? []) {
    const sub = pythonModule(index, from, raw.spec.endsWith('.') ? raw.spec + name : `${raw.spec}.${name}`);
    if (sub) found.add(sub);
  }
  return [...found];
}

/** `a.b.C` → a/b/C.java; `a.b.C.member` (static) → a/b/C.java; `a.b.*` → every file of package a.b. */
function resolveJava(index: WorkspaceIndex, from: string, spec: string): string[] {
  const parts = spec.split('.');
  if (parts[parts.length - 1] === '*') {
    const dirs = index.dirsWithSuffix(parts.slice(0, -1).join('/'));
    const dir = nearest(from, dirs);
    return dir === undefined ? [] : index.filesIn(dir).filter((p) => p.endsWith('.java'));
  }
  for (let n = parts.length; n > 1; n--) {
    const hit = nearest(from, index.withSuffix(`${parts.slice(0, n).join('/')}.java`));
    if (hit) return [hit];
  }
  return [];
}

/** `#include "x.h"`: next to the includer first (the C rule), then anywhere by path suffix. */
function resolveInclude(index: WorkspaceIndex, from: string, spec: string): string[] {
  const local = joinPath(dirOf(from), spec);
  if (local !== undefined && index.has(local)) return [local];
  const hit = nearest(from, index.withSuffix(spec.replace(/^(\.\.?\/)+/, '')));
  return hit ? [hit] : [];
}

export class ImportResolver {
  private readonly modules: GoModule[];

  constructor(private readonly index: WorkspaceIndex, goModFiles: { path: string; text: string }[]) {
    this.modules = goModules(goModFiles);
  }

  resolve(from: string, raw: RawImport): string[] {
    switch (raw.kind) {
      case 'js': return resolveJs(this.index, from, raw.spec);
      case 'python': return resolvePython(this.index, from, raw);
      case 'go': return resolveGo(this.index, this.modules, raw.spec);
      case 'java': return resolveJava(this.index, from, raw.spec);
      case 'include': return resolveInclude(this.index, from, raw.spec);
      case 'rust-mod':
      case 'rust-use': return resolveRust(this.index, from, raw);
    }
  }

  /** Every workspace file `from` imports, without itself and without duplicates, sorted. */
  resolveAll(from: string, raws: readonly RawImport[]): string[] {
    const found = new Set<string>();
    for (const raw of raws) for (const path of this.resolve(from, raw)) if (path !== from) found.add(path);
    return [...found].sort();
  }
}
