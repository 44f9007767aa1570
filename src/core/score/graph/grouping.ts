/**
 * Groups of related files: connected components of the import graph (imports taken both ways:
 * to analyse either file well you want the other), capped in files and bytes. A component over a
 * cap is cut into connected pieces grown from its most connected files, so each piece keeps
 * neighbours together. Files with no workspace imports either way are grouped by directory.
 */

export interface GraphFile { path: string; bytes: number; imports: readonly string[] }

export interface GroupingLimits { maxFiles: number; maxBytes: number }

function adjacency(files: readonly GraphFile[]): Map<string, Set<string>> {
  const neighbours = new Map<string, Set<string>>();
  for (const file of files) neighbours.set(file.path, new Set());
  for (const file of files) {
    for (const target of file.imports) {
      if (!neighbours.has(target) || target === file.path) continue;
      neighbours.get(file.path)!.add(target);
      neighbours.get(target)!.add(file.path);
    }
  }
  return neighbours;
}

/** All files reachable from `seed` (the connected component), marking them seen. */
function componentOf(seed: string, neighbours: Map<string, Set<string>>, seen: Set<string>): string[] {
  const order = [seed];
  seen.add(seed);
  for (let i = 0; i < order.length; i++) {
    for (const n of neighbours.get(order[i]!)!) {
      if (seen.has(n)) continue;
      seen.add(n);
      order.push(n);
    }
  }
  return order;
}

/**
 * Splits an oversized component into connected pieces: grow each piece breadth-first from the most
 * connected file not yet placed, preferring neighbours in the seed's own directory, until a cap.
 */
function splitComponent(component: string[], neighbours: Map<string, Set<string>>, bytes: Map<string, number>, limits: GroupingLimits): string[][] {
  const unplaced = new Set(component);
  const seeds = [...component].sort((a, b) => neighbours.get(b)!.size - neighbours.get(a)!.size || (a < b ? -1 : 1));
  const pieces: string[][] = [];
  for (const seed of seeds) {
    if (!unplaced.has(seed)) continue;
    const home = dirOf(seed);
    const piece = [seed];
    let size = bytes.get(seed) ?? 0;
    unplaced.delete(seed);
    for (let i = 0; i < piece.length && piece.length < limits.maxFiles; i++) {
      const next = [...neighbours.get(piece[i]!)!]
        .filter((n) => unplaced.has(n))
        .sort((a, b) => Number(dirOf(b) === home) - Number(dirOf(a) === home) || (a < b ? -1 : 1));
      for (const n of next) {
        const b = bytes.get(n) ?? 0;
        if (piece.length >= limits.maxFiles || size + b > limits.maxBytes) continue;
        piece.push(n);
        size += b;
        unplaced.delete(n);
      }
    }
    pieces.push(piece);
  }
  return pieces;
}

function fits(paths: string[], bytes: Map<string, number>, limits: GroupingLimits): boolean {
  return paths.length <= limits.maxFiles && paths.reduce((sum, p) => sum + (bytes.get(p) ?? 0), 0) <= limits.maxBytes;
}

/** Cuts an ordered list into consecutive pieces within the limits (a lone oversized file stands alone). */
function chunk(paths: string[], bytes: Map<string, number>, limits: GroupingLimits): string[][] {
  const pieces: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const path of paths) {
    const b = bytes.get(path) ?? 0;
    if (current.length > 0 && (current.length >= limits.maxFiles || size + b > limits.maxBytes)) {
      pieces.push(current);
      current = [];
      size = 0;
    }
    current.push(path);
    size += b;
  }
  if (current.length > 0) pieces.push(current);
  return pieces;
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** Lists of paths, each a group; deterministic for the same input. */
export function groupFiles(files: readonly GraphFile[], limits: GroupingLimits): string[][] {
  const neighbours = adjacency(files);
  const bytes = new Map(files.map((f) => [f.path, f.bytes]));
  const byDegree = [...neighbours.keys()].sort((a, b) => neighbours.get(b)!.size - neighbours.get(a)!.size || (a < b ? -1 : 1));
  const seen = new Set<string>();
  const groups: string[][] = [];
  const loners = new Map<string, string[]>();
  for (const seed of byDegree) {
    if (seen.has(seed)) continue;
    if (neighbours.get(seed)!.size === 0) {
      seen.add(seed);
      const dir = dirOf(seed);
      let inDir = loners.get(dir);
      if (!inDir) loners.set(dir, (inDir = []));
      inDir.push(seed);
      continue;
    }
    const component = componentOf(seed, neighbours, seen);
    if (fits(component, bytes, limits)) groups.push(component);
    else groups.push(...splitComponent(component, neighbours, bytes, limits));
  }
  for (const paths of loners.values()) groups.push(...chunk(paths.sort(), bytes, limits));
  for (const group of groups) group.sort();
  return groups.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}
