/**
 * Where the wasm files live. One resolver for both ways the code runs:
 * - bundled (dist/cli.js, dist/scoreWorker.js, dist/extension.js): esbuild copies every grammar and
 *   web-tree-sitter.wasm to dist/grammars/, next to the bundle;
 * - from source (tsx, mocha): the files are in node_modules, found by walking up from this file.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Directory of the running module: the bundle's directory, or this source file's. */
function hereDir(): string {
  // CommonJS (bundles, tsx on this package) has __dirname; an ES module has import.meta.url.
  return typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
}

/** Package-relative homes of each wasm file inside node_modules. */
function packagePath(file: string): string {
  if (file === 'web-tree-sitter.wasm') return join('web-tree-sitter', file);
  if (file === 'tree-sitter-c.wasm') return join('tree-sitter-c', file);
  return join('@vscode', 'tree-sitter-wasm', 'wasm', file);
}

const cache = new Map<string, string>();

/** Absolute path of a grammar (or web-tree-sitter.wasm); throws with the places it looked. */
export function wasmPath(file: string): string {
  const hit = cache.get(file);
  if (hit) return hit;
  const tried: string[] = [];
  const here = hereDir();
  const bundled = join(here, 'grammars', file);
  tried.push(bundled);
  if (existsSync(bundled)) return remember(file, bundled);
  for (let dir = here; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', packagePath(file));
    tried.push(candidate);
    if (existsSync(candidate)) return remember(file, candidate);
    if (dirname(dir) === dir) break;
  }
  throw new Error(`grammar file ${file} not found; looked in:\n  ${tried.join('\n  ')}`);
}

function remember(file: string, path: string): string {
  cache.set(file, path);
  return path;
}
