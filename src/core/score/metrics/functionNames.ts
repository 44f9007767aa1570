/** Readable names for functions, and the ESLint "head" location of JavaScript/TypeScript ones. */
import type { Node } from 'web-tree-sitter';

const MAX_NAME = 80;

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > MAX_NAME ? `${oneLine.slice(0, MAX_NAME - 1)}…` : oneLine;
}

/** C and C++ bury the name in declarators: `int *(*f)(void)`, `Foo::bar(int)`. */
function declaratorName(node: Node): string | undefined {
  let declarator = node.childForFieldName('declarator');
  for (let guard = 0; declarator && guard < 16; guard++) {
    if (declarator.type === 'function_declarator') {
      const inner = declarator.childForFieldName('declarator');
      return inner ? clip(inner.text) : undefined;
    }
    declarator = declarator.childForFieldName('declarator');
  }
  return undefined;
}

/** A function expression takes the name of what it is assigned to: `const f = () => {}`, `{ f: … }`. */
function nameFromParent(node: Node): string | undefined {
  const parent = node.parent;
  if (!parent) return undefined;
  switch (parent.type) {
    case 'variable_declarator':
      return parent.childForFieldName('name')?.text;
    case 'pair':
      return parent.childForFieldName('key')?.text;
    case 'assignment_expression':
      return parent.childForFieldName('left')?.text;
    case 'field_definition':
      return parent.childForFieldName('property')?.text;
    case 'public_field_definition':
      return parent.childForFieldName('name')?.text;
    default:
      return undefined;
  }
}

export function functionName(node: Node, capture: string): string {
  if (capture === 'fn.init') return 'class field initializer';
  if (capture === 'fn.static') return 'class static block';
  const own = node.childForFieldName('name') ?? undefined;
  const name = own?.text ?? declaratorName(node) ?? nameFromParent(node);
  return name ? clip(name) : '<anonymous>';
}

const HEAD_FROM_PARENT = new Set(['pair', 'field_definition', 'public_field_definition']);

/**
 * ESLint's getFunctionHeadLoc: the key of a method or property, the `=>` of an arrow, else the
 * start of the function (class field initializers: the value; static blocks: `static`).
 */
export function functionHead(node: Node, capture: string): { line: number; column: number } {
  let at = node.startPosition;
  if (capture === 'fn' && node.parent && HEAD_FROM_PARENT.has(node.parent.type)) {
    at = node.parent.startPosition;
  } else if (capture === 'fn' && node.type === 'arrow_function') {
    const arrow = node.children.find((child) => child?.type === '=>');
    if (arrow) at = arrow.startPosition;
  }
  return { line: at.row + 1, column: at.column + 1 };
}
