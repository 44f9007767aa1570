/** Import specifiers as written, from the query's @import captures (resolution is resolve.ts's job). */
import type { Node, QueryCapture } from 'web-tree-sitter';
import type { RawImport } from '../types';

/** `from .a.b import c, d as e` → spec '.a.b', names ['c', 'd']; `import a.b as c` → spec 'a.b'. */
function pythonImports(node: Node): RawImport[] {
  if (node.type === 'import_statement') {
    return node.childrenForFieldName('name').flatMap((name) => {
      const dotted = name?.type === 'aliased_import' ? name.childForFieldName('name') : name;
      return dotted ? [{ kind: 'python' as const, spec: dotted.text }] : [];
    });
  }
  const module = node.childForFieldName('module_name');
  if (!module) return [];
  const names = node.childrenForFieldName('name').flatMap((name) => {
    const dotted = name?.type === 'aliased_import' ? name.childForFieldName('name') : name;
    return dotted ? [dotted.text] : [];
  });
  return [{ kind: 'python', spec: module.text.replace(/\s+/g, ''), names }];
}

/** `import static a.b.C.d;` → 'a.b.C.d'; `import a.b.*;` → 'a.b.*'. */
function javaImport(node: Node): RawImport {
  const spec = node.text.replace(/^import\s+(static\s+)?/, '').replace(/[\s;]/g, '');
  return { kind: 'java', spec };
}

export function extractImports(captures: QueryCapture[]): RawImport[] {
  const imports: RawImport[] = [];
  for (const { name, node } of captures) {
    switch (name) {
      case 'import':
        imports.push({ kind: node.type === 'string_fragment' ? 'js' : node.type === 'string_content' ? 'include' : 'go', spec: node.text.replace(/^"|"$/g, '') });
        break;
      case 'import.py':
        imports.push(...pythonImports(node));
        break;
      case 'import.java':
        imports.push(javaImport(node));
        break;
      case 'import.rustmod':
        imports.push({ kind: 'rust-mod', spec: node.text });
        break;
      case 'import.rustuse':
        imports.push({ kind: 'rust-use', spec: node.text.replace(/\s+/g, '') });
        break;
      default:
        break;
    }
  }
  return imports;
}
