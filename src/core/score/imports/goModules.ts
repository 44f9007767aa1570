/** Go: an import path inside a module declared by a go.mod maps to that module's directory. */
import { dirOf, WorkspaceIndex } from './workspaceIndex';

export interface GoModule { path: string; dir: string }

const MODULE_LINE = /^\s*module\s+("?)([^\s"]+)\1/m;

export function goModules(files: { path: string; text: string }[]): GoModule[] {
  const modules: GoModule[] = [];
  for (const file of files) {
    const match = MODULE_LINE.exec(file.text);
    if (match?.[2]) modules.push({ path: match[2], dir: dirOf(file.path) });
  }
  // Longest module path first: nested modules win over their parents.
  return modules.sort((a, b) => b.path.length - a.path.length);
}

/** All non-test .go files of the imported package's directory. */
export function resolveGo(index: WorkspaceIndex, modules: GoModule[], spec: string): string[] {
  for (const module of modules) {
    if (spec !== module.path && !spec.startsWith(`${module.path}/`)) continue;
    const rest = spec.slice(module.path.length + 1);
    const dir = [module.dir, rest].filter(Boolean).join('/');
    return index.filesIn(dir).filter((p) => p.endsWith('.go') && !p.endsWith('_test.go'));
  }
  return [];
}
