/**
 * Rust: `mod x;` names a file next to (or under) the declaring module; `use crate::a::b` walks
 * from the crate root (the directory of lib.rs/main.rs), `super::`/`self::` from the current module.
 */
import type { RawImport } from '../types';
import { dirOf, WorkspaceIndex } from './workspaceIndex';

const ROOT_FILES = new Set(['lib.rs', 'main.rs', 'mod.rs']);

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Directory holding the submodules of the module defined by `file`. */
function moduleDir(file: string): string {
  const base = baseName(file);
  if (ROOT_FILES.has(base)) return dirOf(file);
  return `${dirOf(file)}${dirOf(file) ? '/' : ''}${base.replace(/\.rs$/, '')}`;
}

function moduleFile(index: WorkspaceIndex, dir: string, name: string): string | undefined {
  const base = dir ? `${dir}/${name}` : name;
  return [`${base}.rs`, `${base}/mod.rs`].find((c) => index.has(c));
}

/** The crate root directory: nearest ancestor directory with lib.rs or main.rs. */
function crateDir(index: WorkspaceIndex, from: string): string | undefined {
  for (let dir = dirOf(from); ; dir = dirOf(dir)) {
    const prefix = dir ? `${dir}/` : '';
    if (index.has(`${prefix}lib.rs`) || index.has(`${prefix}main.rs`)) return dir;
    if (dir === '') return undefined;
  }
}

/** Follows path segments as modules as far as files exist; returns the deepest module file found. */
function walkModules(index: WorkspaceIndex, dir: string, segments: string[]): string | undefined {
  let found: string | undefined;
  for (const segment of segments) {
    const file = moduleFile(index, dir, segment);
    if (!file) break;
    found = file;
    dir = moduleDir(file);
  }
  return found;
}

/** `crate::a::{b, c::d}` → [['crate','a','b'], ['crate','a','c','d']] (one level of braces). */
function expandUse(spec: string): string[][] {
  const brace = spec.indexOf('{');
  const clean = (s: string) => s.replace(/\s+as\s+\w+$/, '').split('::').filter((p) => p && p !== '*');
  if (brace < 0) return [clean(spec)];
  const prefix = clean(spec.slice(0, brace));
  const inner = spec.slice(brace + 1, spec.lastIndexOf('}'));
  return inner.split(',').map((item) => [...prefix, ...clean(item.trim())]);
}

export function resolveRust(index: WorkspaceIndex, from: string, raw: RawImport): string[] {
  if (raw.kind === 'rust-mod') {
    const file = moduleFile(index, moduleDir(from), raw.spec);
    return file ? [file] : [];
  }
  const found = new Set<string>();
  for (const segments of expandUse(raw.spec)) {
    const [head, ...rest] = segments;
    let dir: string | undefined;
    if (head === 'crate') dir = crateDir(index, from);
    else if (head === 'self') dir = moduleDir(from);
    else if (head === 'super') dir = dirOf(moduleDir(from));
    // `super::super::x` climbs once per `super`.
    while (dir !== undefined && rest[0] === 'super') {
      rest.shift();
      dir = dirOf(dir);
    }
    if (dir === undefined) continue;
    const file = walkModules(index, dir, rest);
    if (file) found.add(file);
  }
  return [...found];
}
