/**
 * The burst's codebase: the JavaScript/TypeScript sources of a real package in node_modules (by
 * default ESLint's lib/, ~400 files, ~2.8 MB), read once, in path order so every run is the same.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { SourceFile } from '../../src/core/types';

export const DEFAULT_CODEBASE = 'node_modules/eslint/lib';
const SOURCE = /\.(?:[cm]?js|[cm]?ts|tsx|jsx)$/;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return walk(path);
    return entry.isFile() && SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * Loads up to `limit` source files under `dir` (relative to `cwd`). Paths are relative to the
 * package's parent (e.g. `eslint/lib/linter/linter.js`), the way a workspace would name them.
 */
export function loadCodebase(dir: string, options: { cwd?: string; limit?: number } = {}): Map<string, SourceFile> {
  const root = join(options.cwd ?? process.cwd(), dir);
  const base = join(root, '..');
  const paths = walk(root).sort().slice(0, options.limit ?? Infinity);
  if (paths.length === 0) throw new Error(`bench: no source files under ${root}`);
  const files = new Map<string, SourceFile>();
  for (const abs of paths) {
    const text = readFileSync(abs, 'utf8');
    const path = relative(base, abs).split(sep).join('/');
    files.set(path, { path, text, bytes: Buffer.byteLength(text, 'utf8'), hash: createHash('sha256').update(text).digest('hex'), redactions: 0 });
  }
  return files;
}
