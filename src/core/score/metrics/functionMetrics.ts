/**
 * Per-function metrics from a query's captures, without walking the tree.
 *
 * Captures arrive as nodes with ranges. Functions (scopes), nesting structures and decisions are
 * all tree nodes, so their ranges nest properly: one sweep in source order with a stack of open
 * ranges finds, for every decision, its innermost function, and for every nesting structure, its
 * depth inside that function. That is the same attribution ESLint's code paths make: a nested
 * function's branches count for itself, never for its parent.
 */
import type { Node, QueryCapture } from 'web-tree-sitter';
import type { FunctionMetrics } from '../types';
import { functionHead, functionName } from './functionNames';

interface Scope {
  kind: 'scope';
  start: number;
  end: number;
  metrics: FunctionMetrics | undefined; // undefined: the file's top level, never reported
  depth: 0;
  /** A field initializer wraps the arrow function it may hold, which has the very same range. */
  implicit: boolean;
}

interface Nest {
  kind: 'nest';
  start: number;
  end: number;
  flat: boolean;
  depth: number;
  owner: Scope;
}

interface Point { kind: 'decision'; start: number }

type Item = Scope | Nest | Point;

/** A function's branches start at its parameters: its name or computed key belong to the outside. */
function scopeStart(node: Node): number {
  const params = node.childForFieldName('parameters') ?? node.childForFieldName('parameter');
  return (params ?? node).startIndex;
}

function newFunction(node: Node, capture: string, isJs: boolean): FunctionMetrics {
  const startLine = node.startPosition.row + 1;
  const endLine = node.endPosition.row + 1;
  const fn: FunctionMetrics = {
    name: functionName(node, capture),
    startLine,
    endLine,
    cyclomatic: 1,
    maxNesting: 0,
    length: endLine - startLine + 1,
  };
  if (isJs) fn.head = functionHead(node, capture);
  return fn;
}

/** Orders items by start; at equal starts ranges open before points, outer ranges before inner. */
function compareItems(a: Item, b: Item): number {
  if (a.start !== b.start) return a.start - b.start;
  const aRange = a.kind === 'decision' ? 0 : 1;
  const bRange = b.kind === 'decision' ? 0 : 1;
  if (aRange !== bRange) return bRange - aRange;
  if (a.kind !== 'decision' && b.kind !== 'decision') {
    if (a.end !== b.end) return b.end - a.end;
    if (a.kind !== b.kind) return a.kind === 'scope' ? -1 : 1;
    if (a.kind === 'scope' && b.kind === 'scope') return Number(b.implicit) - Number(a.implicit);
  }
  return 0;
}

export function functionMetrics(captures: QueryCapture[], textLength: number, isJs: boolean): FunctionMetrics[] {
  const top: Scope = { kind: 'scope', start: 0, end: textLength + 1, metrics: undefined, depth: 0, implicit: true };
  const items: Item[] = [];
  const functions: FunctionMetrics[] = [];
  const flatIds = new Set<number>();
  const nestIds = new Set<number>();
  for (const { name, node } of captures) if (name === 'nest.flat') flatIds.add(node.id);

  for (const { name, node } of captures) {
    if (name === 'decision') {
      items.push({ kind: 'decision', start: node.startIndex });
    } else if (name === 'fn' || name === 'fn.init' || name === 'fn.static') {
      const metrics = newFunction(node, name, isJs);
      functions.push(metrics);
      const start = name === 'fn' ? scopeStart(node) : node.startIndex;
      items.push({ kind: 'scope', start, end: node.endIndex, metrics, depth: 0, implicit: name !== 'fn' });
    } else if ((name === 'nest' || name === 'nest.flat') && !nestIds.has(node.id)) {
      nestIds.add(node.id);
      items.push({ kind: 'nest', start: node.startIndex, end: node.endIndex, flat: flatIds.has(node.id), depth: 0, owner: top });
    }
  }
  items.sort(compareItems);

  const stack: (Scope | Nest)[] = [top];
  for (const item of items) {
    while (stack.length > 1 && stack[stack.length - 1]!.end <= item.start) stack.pop();
    const open = stack[stack.length - 1]!;
    const owner = open.kind === 'scope' ? open : open.owner;
    if (item.kind === 'decision') {
      if (owner.metrics) owner.metrics.cyclomatic++;
    } else if (item.kind === 'scope') {
      stack.push(item);
    } else {
      // `else if` continues its chain at the same depth; anything else goes one level deeper.
      item.depth = open.kind === 'scope' ? 1 : item.flat ? open.depth : open.depth + 1;
      item.owner = owner;
      if (owner.metrics && item.depth > owner.metrics.maxNesting) owner.metrics.maxNesting = item.depth;
      stack.push(item);
    }
  }
  functions.sort((a, b) => a.startLine - b.startLine);
  return functions;
}
